"""Package layout: notebooks and ``utils`` (what students import) never import ``course`` (the tooling)."""

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLING = "course"


def imports_of(source: str) -> set[str]:
    """Top-level package names a piece of Python source imports (IPython magics and shell lines skipped)."""
    lines = [line for line in source.splitlines() if not re.match(r"\s*[%!]", line)]
    names = set()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _student_sources() -> list[tuple[str, str]]:
    """(where, source) for every module under utils/ and every code cell of every notebook."""
    sources = [(str(path.relative_to(ROOT)), path.read_text()) for path in sorted((ROOT / "utils").rglob("*.py"))]
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for number, cell in enumerate(json.loads(path.read_text())["cells"]):
            if cell["cell_type"] == "code":
                source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                sources.append((f"{path.name} cell {number}", source))
    return sources


def test_the_scan_sees_utils_and_notebooks():
    where = [w for w, _ in _student_sources()]
    assert "utils/results.py" in where and "utils/collection.py" in where
    assert any(w.startswith("00_introduction.ipynb cell") for w in where)


def test_no_student_code_imports_the_tooling():
    offenders = [where for where, source in _student_sources() if TOOLING in imports_of(source)]
    assert not offenders, f"notebooks and utils/ must not import {TOOLING}/ (move the shared part to utils/): {offenders}"


@pytest.mark.parametrize("source", [
    "import course",
    "import course.runner as r",
    "from course import runner",
    "from course.records import aggregate",
    "def f():\n    from course.site import build_site\n",
    "%matplotlib inline\nimport numpy\nfrom course.report import write_results",
])
def test_the_scan_catches_an_import_of_the_tooling(source):
    assert TOOLING in imports_of(source)


@pytest.mark.parametrize("source", ["import courses", "from utils.collection import collection_map", "x = 'course'"])
def test_the_scan_ignores_what_is_not_the_tooling(source):
    assert TOOLING not in imports_of(source)
