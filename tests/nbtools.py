"""Read code out of the notebooks so tests check the very functions students see.

Cells tagged ``export`` hold self-contained definitions (an update rule, a forward pass);
:func:`notebook_namespace` runs just those cells and returns what they define.
"""

from __future__ import annotations

import ast
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def notebook_path(stem: str) -> Path:
    """``"01"`` or ``"01_perceptron"`` → the notebook's path."""
    matches = [p for p in NOTEBOOKS.glob("*.ipynb") if p.stem == stem or p.stem.startswith(stem + "_")]
    if len(matches) != 1:
        raise FileNotFoundError(f"no single notebook matches {stem!r}: {matches}")
    return matches[0]


def cells_with_tag(stem: str, tag: str) -> list[str]:
    """Source of every code cell carrying ``tag``, in order."""
    notebook = json.loads(notebook_path(stem).read_text())
    return [
        "".join(cell["source"])
        for cell in notebook["cells"]
        if cell["cell_type"] == "code" and tag in cell.get("metadata", {}).get("tags", [])
    ]


@lru_cache(maxsize=None)
def _namespace(stem: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": f"notebook_{stem}"}
    sources = cells_with_tag(stem, "export")
    if not sources:
        raise LookupError(f"notebook {stem} has no cell tagged 'export'")
    for source in sources:
        exec(compile(source, f"<{stem} export cell>", "exec"), namespace)
    return namespace


def notebook_namespace(stem: str) -> dict[str, Any]:
    """Names defined by the notebook's ``export`` cells (run once, then cached)."""
    return dict(_namespace(stem))


def profile_sizes(stem: str) -> dict[str, dict[str, Any]]:
    """The notebook's ``SIZES`` table (knob → profile → value), read as data from its ``profile-sizes`` cell."""
    sources = cells_with_tag(stem, "profile-sizes")
    if len(sources) != 1:
        raise LookupError(f"notebook {stem} needs exactly one cell tagged 'profile-sizes', found {len(sources)}")
    (statement,) = ast.parse(sources[0]).body
    if not (isinstance(statement, ast.Assign) and [t.id for t in statement.targets] == ["SIZES"]):
        raise LookupError(f"notebook {stem}: the profile-sizes cell must hold only `SIZES = {{...}}`")
    return ast.literal_eval(statement.value)
