"""Rewrite notebooks in their canonical form, so that a diff shows only what an author changed.

    python tools/format_notebooks.py                 # every notebook under notebooks/
    python tools/format_notebooks.py --check a.ipynb # exit 1, naming the files, if any is not canonical

Canonical: what nbformat's normalization gives (nbformat 4, cell ids, sources as lists of lines),
with no outputs and no execution counts, written as nbformat writes it (sorted keys, one-space
indent, UTF-8 characters as they are) plus a final newline. Cells' metadata (tags, slide types)
are kept as they are.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.validator import normalize

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO_ROOT / "notebooks"


def canonical(text: str) -> str:
    """The canonical text of the notebook whose JSON is ``text``."""
    notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    if notebook.nbformat != 4:
        notebook = nbformat.convert(notebook, 4)
    _, notebook = normalize(notebook)
    notebook = nbformat.from_dict(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.validate(notebook)
    return nbformat.writes(notebook).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook is not canonical")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(NOTEBOOKS.glob("*.ipynb"))
    off = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        wanted = canonical(text)
        if text != wanted:
            off.append(path)
            if not args.check:
                path.write_text(wanted, encoding="utf-8")
    verb = "not canonical" if args.check else "rewritten"
    for path in off:
        print(f"{verb}: {path}")
    if args.check and off:
        print("run `make format` to fix", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
