"""Slides: slide metadata from the notebook skeleton, and reveal.js decks from executed notebooks.

    python -m course.slides --annotate notebooks/*.ipynb   # write each cell's slide type
    python -m course.slides --check notebooks/*.ipynb      # exit 1 if any notebook disagrees
    python -m course.slides --build                        # build/executed/*.ipynb → build/slides/
    python -m course.slides --build --run-missing class    # build/class/executed/ → build/class/slides/

Slide types follow the skeleton (``NOTEBOOK_SKELETON.md``), decided by :func:`slide_type`:

- the title cell and every ``##`` section → a new slide; ``###`` cells → a sub-slide;
- the parameters cell, the profile-sizes and course-setup cells, the setup cell and the ``record_results(...)`` cell → skipped;
- code cells tagged ``export`` (the code under study), code cells that draw a figure, and code cells longer than :data:`LONG_CODE_LINES` lines,
  → a sub-slide of their own, so the figure or the code gets the whole screen (in the slides,
  a figure cell shows the figure only; its plotting code stays in the notebook and the site);
- "What to notice" cells → a fragment (appears on the next key press, under the figure);
- cells tagged ``teacher-notes`` → speaker notes: shown only in reveal.js's speaker view
  (key ``s``), collapsed in JupyterLab, and left out of the HTML site;
- everything else → ``-`` (continues the current slide).
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import sys
from pathlib import Path
from typing import Any, Iterable

from course.web_assets import web_assets_dir
from utils.profiles import SIZES_TAG

REPO_ROOT = Path(__file__).resolve().parent.parent
BUILD = REPO_ROOT / "build"
TEACHER_TAG = "teacher-notes"
LONG_CODE_LINES = 14
FIGURE_CALL = re.compile(r"plt\.show\(|plt\.subplots\(|plt\.figure\(|\bplot_[a-z_]+\(|\.imshow\(")
ANNOTATE_COMMAND = "python -m course.slides --annotate notebooks/*.ipynb"

# The slide size reveal.js lays out (then scales to the screen) and scrolling for long slides.
REVEAL_OPTIONS = {"reveal_width": "1280", "reveal_height": "760", "reveal_scroll": True,
                  "reveal_transition": "none", "reveal_number": "c/t"}
# Figures and code scaled to fit the slide (the default theme lets wide figures overflow).
SLIDE_CSS = """
<style>
.reveal .jp-OutputArea-output img { max-width: 100%; max-height: 600px; width: auto; height: auto; }
.reveal .jp-Cell pre, .reveal .jp-Cell code { font-size: 14px !important; line-height: 1.3 !important; }
.reveal .jp-RenderedHTMLCommon table { font-size: 18px; }
.reveal .jp-RenderedHTMLCommon p, .reveal .jp-RenderedHTMLCommon li { font-size: 24px; }
</style>
"""


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _tags(cell: dict[str, Any]) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


SETUP_TAGS = {SIZES_TAG, "course-setup"}


def is_setup_cell(cell: dict[str, Any]) -> bool:
    """The setup cell (it resolves the profile), or the profile-sizes table or course set-up cell before it."""
    if cell["cell_type"] != "code":
        return False
    source = _source(cell)
    return bool(SETUP_TAGS & set(_tags(cell))) or "start_notebook(" in source or "resolve_profile(" in source


def draws_figure(cell: dict[str, Any]) -> bool:
    """A code cell whose source draws a figure (and, once executed, shows it)."""
    if cell["cell_type"] != "code" or not FIGURE_CALL.search(_source(cell)):
        return False
    outputs = cell.get("outputs")
    return not outputs or any("image/png" in o.get("data", {}) for o in outputs)


def slide_type(cell: dict[str, Any], index: int) -> str:
    """The reveal.js slide type of a cell, from the skeleton's conventions (see the module doc)."""
    source = _source(cell).lstrip()
    tags = _tags(cell)
    if TEACHER_TAG in tags:
        return "notes"
    if index == 0:
        return "slide"
    if cell["cell_type"] == "markdown":
        if source.startswith("## "):
            return "slide"
        if source.startswith("### "):
            return "subslide"
        if source.startswith("**What to notice"):
            return "fragment"
        return "-"
    if cell["cell_type"] != "code":
        return "-"
    if {"parameters", "injected-parameters"} & set(tags) or is_setup_cell(cell) or source.startswith("record_results("):
        return "skip"
    if "export" in tags or FIGURE_CALL.search(source) or len(source.strip().splitlines()) > LONG_CODE_LINES:
        return "subslide"
    return "-"


def annotate(notebook: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``notebook`` with every cell's slide metadata set (teacher notes collapsed)."""
    notebook = copy.deepcopy(notebook)
    for index, cell in enumerate(notebook["cells"]):
        metadata = cell.setdefault("metadata", {})
        metadata["slideshow"] = {"slide_type": slide_type(cell, index)}
        if TEACHER_TAG in _tags(cell):
            metadata.setdefault("jupyter", {})["source_hidden"] = True
    return notebook


def disagreements(notebook: dict[str, Any]) -> list[str]:
    """Cells whose slide metadata differ from :func:`annotate`'s, as readable lines."""
    expected = annotate(notebook)
    problems = []
    for index, (cell, wanted) in enumerate(zip(notebook["cells"], expected["cells"])):
        if cell.get("metadata", {}) != wanted["metadata"]:
            have = cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "none")
            first_line = _source(cell).strip().splitlines()[0][:50] if _source(cell).strip() else ""
            problems.append(f"cell {index} ({first_line!r}): slide_type {have!r}, "
                            f"expected {wanted['metadata']['slideshow']['slide_type']!r}")
    return problems


def _read(path: Path):
    import nbformat

    return nbformat.read(str(path), as_version=4)


def annotate_files(paths: Iterable[Path]) -> list[Path]:
    """Write slide metadata into each notebook file; return those that changed."""
    import nbformat

    changed = []
    for path in paths:
        notebook = _read(Path(path))
        annotated = nbformat.from_dict(annotate(notebook))
        if annotated != notebook:
            nbformat.write(annotated, str(path))
            changed.append(Path(path))
    return changed


# --------------------------------------------------------------------------- building
def copy_web_assets(target: Path, reveal: bool = True) -> dict[str, str]:
    """Copy the local web assets next to the output; return the nbconvert URL settings to use
    (none: the CDN). Where the assets come from: :func:`course.web_assets.web_assets_dir`."""
    assets = web_assets_dir()
    if assets is None:
        return {}
    settings = {}
    for name, key, url in [("reveal.js", "reveal_url_prefix", "reveal.js"),
                           ("require.js", "require_js_url", "require.js"),
                           ("mathjax", "mathjax_url", "mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe")]:
        source = assets / name
        if not source.exists() or (name == "reveal.js" and not reveal):
            continue
        destination = target / name
        if not destination.exists():
            if source.is_dir():
                shutil.copytree(source, destination)
            else:
                shutil.copyfile(source, destination)
        settings[key] = url
    return settings


def rewrite_notebook_links(html: str, suffix: str, known: set[str]) -> str:
    """Point links to sibling notebooks (``01_perceptron.ipynb``) at their rendered pages."""
    def replace(match: re.Match) -> str:
        stem, anchor = match.group(1), match.group(2) or ""
        return f'href="{stem}{suffix}{anchor}"' if stem in known else match.group(0)

    return re.sub(r'href="(\d\d_[a-z0-9_]+)\.ipynb(#[^"]*)?"', replace, html)


def fix_mathjax(html: str) -> str:
    """Turn off MathJax's assistive MathML, which browsers with native MathML show twice."""
    return html.replace("tex2jax: {", "menuSettings: {assistiveMML: false},\n                tex2jax: {", 1)


def executed_notebooks(executed: Path) -> list[Path]:
    return sorted(Path(executed).glob("[0-9][0-9]_*.ipynb"))


def build_slides(executed: Path | None = None, output: Path | None = None) -> list[Path]:
    """Every executed notebook → ``<output>/<NN_name>.slides.html`` (reveal.js); return the files."""
    import nbformat
    from nbconvert import SlidesExporter

    executed = Path(executed or BUILD / "executed")
    output = Path(output or BUILD / "slides")
    output.mkdir(parents=True, exist_ok=True)
    notebooks = executed_notebooks(executed)
    urls = copy_web_assets(output)
    exporter = SlidesExporter(**REVEAL_OPTIONS, **{k: v for k, v in urls.items() if k != "reveal_url_prefix"})
    if "reveal_url_prefix" in urls:
        exporter.reveal_url_prefix = urls["reveal_url_prefix"]
    known = {p.stem for p in notebooks}
    written = []
    for path in notebooks:
        notebook = nbformat.from_dict(annotate(_read(path)))
        for cell in notebook.cells:
            if draws_figure(cell):  # the figure gets the slide; its plotting code stays in the notebook
                cell.metadata.setdefault("transient", {})["remove_source"] = True
        body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": path.stem}})
        body = body.replace("</head>", SLIDE_CSS + "</head>", 1)
        body = fix_mathjax(rewrite_notebook_links(body, ".slides.html", known))
        target = output / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
        print(f"  slides: {target}")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--annotate", nargs="+", metavar="NOTEBOOK", help="write slide metadata into notebooks")
    group.add_argument("--check", nargs="+", metavar="NOTEBOOK", help="report notebooks whose metadata differ")
    group.add_argument("--build", action="store_true", help="executed notebooks → reveal.js slides")
    parser.add_argument("--executed", help="executed notebooks (default: build/executed; build/class/executed "
                        "with --run-missing class)")
    parser.add_argument("--output", help="default: build/slides, or build/class/slides with --run-missing class")
    parser.add_argument("--run-missing", metavar="PROFILE", help="with --build: first execute notebooks "
                        "that have no executed copy, in this profile")
    args = parser.parse_args(argv)
    if args.annotate:
        for path in annotate_files(map(Path, args.annotate)):
            print(f"annotated {path}")
        return 0
    if args.check:
        status = 0
        for path in map(Path, args.check):
            problems = disagreements(_read(path))
            if problems:
                status = 1
                print(f"{path}: slide metadata out of date; run `{ANNOTATE_COMMAND}`\n  " + "\n  ".join(problems))
        return status
    from course.runner import build_root, run_missing

    root = build_root(args.run_missing or "full")  # build/, or build/class/ for the class profile's runs
    args.executed, args.output = args.executed or str(root / "executed"), args.output or str(root / "slides")
    if args.run_missing:
        run_missing(args.run_missing, Path(args.executed))
    web_assets_dir(fetch=True)  # once: npm → build/web_assets/, else the CDN (one line says so)
    written = build_slides(Path(args.executed), Path(args.output))
    if not written:
        print(f"No executed notebooks in {args.executed}: run `make run` (or `make run PROFILE=smoke`) first.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
