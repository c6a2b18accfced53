"""The course set-up cell every notebook runs before its setup cell, and "Open in Colab" badges: one source for both.

    python -m course.setup_cell --write notebooks/[0-9][0-9]_*.ipynb   # make colab-links
    python -m course.setup_cell --check notebooks/[0-9][0-9]_*.ipynb   # exit 1 if a notebook is stale

The block, in its own cell (tagged ``course-setup``) just before the setup cell that imports ``utils``, has two parts:

- :func:`colab_snippet`: in Colab only (``"google.colab" in sys.modules``), clone the repository
  named in ``pyproject.toml``'s ``[project.urls] Repository`` and ``pip install -e`` it; anywhere
  else it does nothing. A notebook cannot read ``pyproject.toml`` before the clone, so the URL is
  written into the cell here; with no URL configured the cell says, in Colab, what to set.
- :data:`GUARD`: stops with one clear message when ``utils`` is missing or is an unrelated
  package of that name, naming the command that fixes it (it must work without ``utils``, so it
  is plain code in the cell, not a function).

The badge (first line of the first cell) is written only when a GitHub repository URL is set.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any, Iterable

REPO_ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = REPO_ROOT / "pyproject.toml"
URL_KEY = "Repository"
COLAB_CHECKOUT = "/content/dl-keras-course"
BEGIN = "# ── course set-up: written by `make colab-links` from course/setup_cell.py; edit it there ──"
END = "# ── end of course set-up ──"
BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"

# Is `utils` this course's package? Standalone: runs when `utils` cannot be imported at all.
GUARD = '''\
import importlib.util, pathlib  # everywhere: is `utils` this course's package (the folder with profiles.py)?
_spec = importlib.util.find_spec("utils")
_home = pathlib.Path((list(_spec.submodule_search_locations or []) or [_spec.origin])[0]) if _spec else None
if _home is None or not (_home / "profiles.py").is_file():
    raise ModuleNotFoundError(("No module named 'utils'" if _home is None else f"the 'utils' found here is someone else's package ({_home}), not this course's")
                              + ". Fix: run `pip install -e .` in the course repository's root folder (or `make lab` there), then restart the kernel.")
'''

NO_URL_MESSAGE = (
    "This copy of the course is not set up for Colab: no repository URL is configured. "
    f"Its author sets `{URL_KEY} = \"<clone URL>\"` under [project.urls] in pyproject.toml and runs "
    "`make colab-links`; meanwhile run the notebook on your own machine (`pip install -e .`, then Jupyter)."
)


def repository_url(pyproject: Path = PYPROJECT) -> str | None:
    """``[project.urls] Repository`` from ``pyproject.toml``, or ``None`` when absent or empty."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        from pip._vendor import tomli as tomllib
    data = tomllib.loads(Path(pyproject).read_text(encoding="utf-8"))
    url = data.get("project", {}).get("urls", {}).get(URL_KEY, "")
    return url.strip() or None


def colab_snippet(url: str | None) -> str:
    """Code that, in Colab only, clones ``url`` and installs it; without a URL, says what to set."""
    head = 'import sys  # in Colab only: fetch and install the course (the check below runs everywhere)\n'
    if not url:
        return head + f'if "google.colab" in sys.modules:\n    raise RuntimeError({NO_URL_MESSAGE!r})\n'
    return head + (
        'if "google.colab" in sys.modules:\n'
        f'    import os, subprocess; _repo = {COLAB_CHECKOUT!r}\n'
        f'    if not os.path.isdir(_repo): subprocess.run(["git", "clone", "--depth=1", {url!r}, _repo], check=True)\n'
        '    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", _repo], check=True)\n'
        '    sys.path.insert(0, _repo); os.chdir(_repo + "/notebooks")\n'
    )


def setup_block(url: str | None) -> str:
    """The whole block that starts each setup cell: markers, the Colab part, then the guard."""
    return f"{BEGIN}\n{colab_snippet(url)}{GUARD}{END}\n"


def colab_badge(url: str | None, notebook: str, branch: str = "main") -> str | None:
    """Markdown for an "Open in Colab" badge of ``notebooks/<notebook>``; ``None`` without a GitHub URL."""
    match = re.fullmatch(r"(?:https://|git@)github\.com[/:]([\w.-]+)/([\w.-]+?)(?:\.git)?/?", url or "")
    if not match:
        return None
    owner, repo = match.groups()
    link = f"https://colab.research.google.com/github/{owner}/{repo}/blob/{branch}/notebooks/{notebook}"
    return f"[![Open In Colab]({BADGE_IMAGE})]({link})"


# --------------------------------------------------------------------------- notebooks
def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


SETUP_TAG = "course-setup"


def setup_cell_index(notebook: dict[str, Any]) -> int | None:
    """The setup cell: the first code cell that imports ``utils``."""
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code" and re.search(r"^\s*(import|from) utils\b", _source(cell), re.M):
            return index
    return None


def course_setup_index(notebook: dict[str, Any]) -> int | None:
    """The cell that holds the set-up block (tagged ``course-setup``), or ``None``."""
    for index, cell in enumerate(notebook["cells"]):
        if SETUP_TAG in cell.get("metadata", {}).get("tags", []):
            return index
    return None


def current_block(source: str) -> str | None:
    """The set-up block already in a cell's source, or ``None``."""
    start, end = source.find(BEGIN), source.find(END)
    return source[start:end + len(END) + 1] if start >= 0 and end > start else None


def with_setup(notebook: dict[str, Any], name: str, url: str | None, branch: str = "main") -> dict[str, Any]:
    """``notebook`` with the current set-up block in its own cell just before the setup cell, and the badge (or none) in cell 0.

    The block gets a cell of its own (tagged ``course-setup``, source collapsed in JupyterLab,
    skipped in slides), so the setup cell a student reads stays short.
    """
    import copy

    notebook = copy.deepcopy(notebook)
    block = setup_block(url)
    index = course_setup_index(notebook)
    if index is None:
        setup = setup_cell_index(notebook)
        if setup is None:
            raise ValueError(f"{name}: no setup cell (a code cell with `import utils`) to put the course set-up before.")
        cell = {"cell_type": "code", "execution_count": None, "outputs": [], "source": block,
                "metadata": {"tags": [SETUP_TAG], "jupyter": {"source_hidden": True},
                             "slideshow": {"slide_type": "skip"}}}
        notebook["cells"].insert(setup, cell)
    else:
        notebook["cells"][index]["source"] = block
    first = notebook["cells"][0]
    lines = [line for line in _source(first).split("\n") if BADGE_IMAGE not in line]
    while lines and not lines[0].strip():
        lines.pop(0)
    badge = colab_badge(url, name, branch)
    first["source"] = "\n".join(([badge, ""] if badge else []) + lines)
    return notebook


def process(paths: Iterable[Path], url: str | None, write: bool, branch: str = "main") -> list[Path]:
    """Notebooks whose set-up block or badge is not current; rewritten when ``write``."""
    import nbformat

    stale = []
    for path in map(Path, paths):
        notebook = nbformat.read(str(path), as_version=4)
        updated = nbformat.from_dict(with_setup(notebook, path.name, url, branch))
        if updated != notebook:
            stale.append(path)
            if write:
                nbformat.write(updated, str(path))
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", nargs="+", metavar="NOTEBOOK", help="write the set-up block and badges")
    group.add_argument("--check", nargs="+", metavar="NOTEBOOK", help="exit 1 if any notebook is not current")
    parser.add_argument("--branch", default="main", help="the branch Colab badges open (default: main)")
    args = parser.parse_args(argv)
    url = repository_url()
    if url is None:
        print(f"No [project.urls] {URL_KEY} in {PYPROJECT.name}: no Colab badges; in Colab the cell says what to set.")
    elif colab_badge(url, "x") is None:
        print(f"{url} is not a GitHub URL: Colab cannot open notebooks from it, so no badges.")
    stale = process(args.write or args.check, url, write=bool(args.write), branch=args.branch)
    for path in stale:
        print(f"{'updated' if args.write else 'not current'}: {path}")
    if args.check and stale:
        print("Run `make colab-links`.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
