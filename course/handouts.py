"""One printable page per notebook: ``python -m course.handouts`` (``make handouts``) → ``build/handouts/``.

Each ``NN_name.html`` is an A4 page (print CSS; print it from the browser, or to PDF) with:

- the title, "Before this" and the learning goals: the "What you will learn" list of the title cell;
- the key equations, chosen by a rule that reads the notebook as it is: the display equations
  (``$$ … $$``) of Markdown cells tagged ``handout`` if there are any; otherwise the first display
  equation of each ``##`` section (not the exercises, summary or teacher notes), then, while there is
  room, the next ones in the order of the notebook: at most :data:`MAX_EQUATIONS`, each at most
  :data:`MAX_EQUATION_CHARS` characters of LaTeX (longer ones do not fit the page), shown in the
  notebook's order with their section;
- the main figure of the last run, from ``build/executed/NN_name.ipynb``: the first PNG of a code
  cell tagged ``handout-figure`` if there is one, otherwise the largest PNG (in pixels) drawn
  before ``## Exercises``; its caption gives the run's profile and seed. Without an executed copy
  the page says so and how to make one;
- the exercise prompts under ``## Exercises``: the first paragraph of each (up to a list), never a solution
  (those stay in ``solutions/``) and never a teacher note.

Maths is typeset by MathJax: the local copy of ``build/web_assets/`` (or ``$COURSE_WEB_ASSETS``)
when there is one, else the CDN, as for ``make html``.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import re
import struct
import sys
import time
from pathlib import Path
from typing import Any

from course.slides import TEACHER_TAG, copy_web_assets
from course.web_assets import web_assets_dir
from utils.collection import notebook_info

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO_ROOT / "notebooks"
BUILD = REPO_ROOT / "build"
EQUATION_TAG = "handout"
FIGURE_TAG = "handout-figure"
MAX_EQUATIONS = 4
MAX_EQUATION_CHARS = 260
MATHJAX_CDN = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js?config=TeX-AMS_CHTML-full,Safe"
NOT_SECTIONS = ("## Exercises", "## Summary", "## Further reading")

PAGE_CSS = """
@page { size: A4; margin: 11mm 13mm; }
* { box-sizing: border-box; }
html { font-size: 9.5pt; }
body { font-family: "DejaVu Sans", system-ui, sans-serif; line-height: 1.3; color: #111; margin: 0 auto;
       max-width: 184mm; }
@media screen { body { margin: 1.5em auto; padding: 0 1em; } }
h1 { font-size: 1.55rem; margin: 0 0 0.15em; }
h2 { font-size: 1.05rem; margin: 0.55em 0 0.2em; border-bottom: 1px solid #bbb; }
.before { color: #555; margin: 0 0 0.3em; }
ul, ol { margin: 0.1em 0; padding-left: 1.4em; }
li { margin: 0.1em 0; }
.equations { display: grid; grid-template-columns: 21% 79%; align-items: center; }
.equation { overflow: hidden; font-size: 0.86rem; }
.equation .MJXc-display, .equation .MathJax_Display { margin: 0.15em 0 !important; }
.where { color: #555; font-size: 0.8rem; padding-right: 0.5em; }
figure { margin: 0.4em 0 0; text-align: center; break-inside: avoid; }
figure img { max-width: 100%; max-height: 72mm; }
figcaption, .missing { color: #555; font-size: 0.85rem; }
.missing { border: 1px dashed #999; padding: 0.6em; text-align: left; }
.exercises { list-style: none; padding-left: 0; }
.exercises li { margin: 0.25em 0; }
.exercises { font-size: 0.92rem; }
footer { margin-top: 0.6em; color: #666; font-size: 0.8rem; border-top: 1px solid #ccc; padding-top: 0.2em; }
code { font-size: 0.9em; }
"""


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _tags(cell: dict[str, Any]) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _student_markdown(cells: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(section heading, source) of every Markdown cell students see, in order."""
    section, found = "", []
    for cell in cells:
        if cell["cell_type"] != "markdown" or TEACHER_TAG in _tags(cell):
            continue
        source = _source(cell)
        if source.startswith("## "):
            section = source.splitlines()[0]
        found.append((section, source))
    return found


def display_equations(text: str) -> list[str]:
    """The LaTeX of every ``$$ … $$`` block in a Markdown text."""
    return [" ".join(eq.split()) for eq in re.findall(r"(?<!\\)\$\$([\s\S]+?)(?<!\\)\$\$", text)]


def key_equations(cells: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(section heading, LaTeX) of the key equations, by the rule in the module doc."""
    tagged = [(_source(c).splitlines()[0], eq) for c in cells
              if c["cell_type"] == "markdown" and EQUATION_TAG in _tags(c) for eq in display_equations(_source(c))]
    if tagged:
        return tagged
    candidates = [(section, eq) for section, source in _student_markdown(cells)
                  if section and not section.startswith(NOT_SECTIONS)
                  for eq in display_equations(source) if len(eq) <= MAX_EQUATION_CHARS]
    firsts, seen = [], set()
    for position, (section, _) in enumerate(candidates):
        if section not in seen:
            seen.add(section)
            firsts.append(position)
    others = [p for p in range(len(candidates)) if p not in firsts]
    chosen = sorted((firsts + others)[:MAX_EQUATIONS])
    return [candidates[p] for p in chosen]


def exercise_prompts(cells: list[dict[str, Any]]) -> list[str]:
    """The first paragraph of every exercise prompt ("**1. …", "**Exercise 1 · …") under ``## Exercises``."""
    prompts = []
    for section, source in _student_markdown(cells):
        if not section.startswith("## Exercises"):
            continue
        paragraphs = re.split(r"\n\s*\n", source.strip())
        for position, paragraph in enumerate(paragraphs):
            if re.match(r"\*\*(?:Exercise\s+)?\d+", paragraph):
                more = position + 1 < len(paragraphs) and not re.match(r"\*\*(?:Exercise\s+)?\d+", paragraphs[position + 1])
                prose, *details = re.split(r"\n(?=\s*(?:[-*]|\d+\.)\s)", paragraph, maxsplit=1)  # a list: details
                prompts.append(prose + (" …" if more or details else ""))
    return prompts


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return struct.unpack(">II", data[16:24])


def main_figure(executed: dict[str, Any]) -> bytes | None:
    """The PNG chosen by the rule in the module doc, or None when the run drew none."""
    candidates: list[tuple[int, int, bytes]] = []
    for index, cell in enumerate(executed["cells"]):
        if cell["cell_type"] == "markdown" and _source(cell).startswith("## Exercises"):
            break
        if cell["cell_type"] != "code":
            continue
        pngs = [base64.b64decode(o["data"]["image/png"]) for o in cell.get("outputs", [])
                if "image/png" in o.get("data", {})]
        if pngs and FIGURE_TAG in _tags(cell):
            return pngs[0]
        for png in pngs:
            width, height = png_size(png)
            candidates.append((width * height, index, png))
    return max(candidates)[2] if candidates else None


def run_label(executed: dict[str, Any]) -> str:
    """"profile full, seed 42" from the setup cell's printed line (empty if not found)."""
    for cell in executed["cells"]:
        for output in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            text = "".join(output.get("text", ""))
            match = re.search(r"profile=(\w+) seed=(\d+)", text)
            if match:
                return f"profile {match.group(1)}, seed {match.group(2)}"
    return ""


def markdown_html(text: str) -> str:
    """Markdown with ``$…$``/``$$…$$`` maths and ``\\$`` kept for MathJax → HTML (outer <p> removed)."""
    import mistune

    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(html.escape(match.group(0)))
        return f"KEPT{len(kept) - 1}KEPT"

    protected = re.sub(r"\\\$|\$\$[\s\S]+?\$\$|\$[^$\n]+?\$", keep, text)
    rendered = mistune.html(protected).strip()
    rendered = re.sub(r"KEPT(\d+)KEPT", lambda m: kept[int(m.group(1))], rendered)
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered


def _heading_html(heading: str) -> str:
    """A section heading ("## 1. Title") as inline HTML; its number is not read as a list."""
    return markdown_html(re.sub(r"^(\d+)\.", r"\1\\.", heading.lstrip("# ")))


def handout_parts(notebook: Path, executed_dir: Path) -> dict[str, Any]:
    """Everything one page shows, read from the notebook and its last executed copy."""
    info = notebook_info(notebook)
    cells = json.loads(Path(notebook).read_text())["cells"]
    executed_path = Path(executed_dir) / notebook.name
    figure, label = None, ""
    if executed_path.exists():
        executed = json.loads(executed_path.read_text())
        figure, label = main_figure(executed), run_label(executed)
    return {"info": info, "equations": key_equations(cells), "exercises": exercise_prompts(cells),
            "executed": executed_path if executed_path.exists() else None, "figure": figure, "run": label}


def _mathjax(url: str) -> str:
    return ('<script type="text/x-mathjax-config">MathJax.Hub.Config({menuSettings: {assistiveMML: false}, '
            'tex2jax: {inlineMath: [["$","$"]], displayMath: [["$$","$$"]], processEscapes: true}, '
            'CommonHTML: {scale: 95}, messageStyle: "none"});</script>'
            f'<script src="{html.escape(url)}"></script>')


def render_handout(parts: dict[str, Any], mathjax_url: str = MATHJAX_CDN) -> str:
    """The HTML page of one handout."""
    info = parts["info"]
    stem = info["stem"]
    goals = "".join(f"<li>{markdown_html(goal)}</li>" for goal in info["goals"])
    if parts["equations"]:
        items = "".join(f'<div class="where">{_heading_html(section)}</div>'
                        f'<div class="equation">$${html.escape(eq)}$$</div>' for section, eq in parts["equations"])
        equations = f'<h2>Key equations</h2><div class="equations">{items}</div>'
    else:
        equations = ""
    if parts["figure"] is not None:
        encoded = base64.b64encode(parts["figure"]).decode()
        smoke = " (smoke sizes: the figure shows the code path, not the lesson's numbers)" if "smoke" in parts["run"] else ""
        caption = f"From the last run, build/executed/{stem}.ipynb ({parts['run'] or 'profile unknown'}){smoke}."
        figure = (f'<figure><img alt="main figure of {html.escape(stem)}" src="data:image/png;base64,{encoded}">'
                  f"<figcaption>{html.escape(caption)}</figcaption></figure>")
    elif parts["executed"] is not None:
        figure = f'<p class="missing">The last run (build/executed/{html.escape(stem)}.ipynb) drew no figure.</p>'
    else:
        figure = (f'<p class="missing">No executed copy of this notebook yet, so no figure: run '
                  f'<code>make run NB={html.escape(info["number"])}</code>, then <code>make handouts</code>.</p>')
    exercises = "".join(f"<li>{markdown_html(prompt)}</li>" for prompt in parts["exercises"])
    exercise_block = f'<h2>Exercises</h2><ul class="exercises">{exercises}</ul>' if exercises else ""
    before = f'<p class="before">{markdown_html(info["before"])}</p>' if info["before"] else ""
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(info['number'])} · {html.escape(info['title'])}: handout</title>"
        f"<style>{PAGE_CSS}</style>{_mathjax(mathjax_url)}</head><body>"
        f"<h1>{html.escape(info['number'])} · {markdown_html(info['title'])}</h1>{before}"
        f"<h2>What you will learn</h2><ul>{goals}</ul>{equations}{figure}{exercise_block}"
        f"<footer>notebooks/{html.escape(info['file'])} · the checks in the notebook say ✔ or give a hint; "
        f"reference answers are not on this page · built {time.strftime('%Y-%m-%d')}</footer>"
        "</body></html>"
    )


def build_handouts(notebooks: list[Path] | None = None, executed: Path | None = None,
                   output: Path | None = None) -> list[Path]:
    """Write one handout per notebook into ``output``; return the files."""
    notebooks = notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    executed = Path(executed or BUILD / "executed")
    output = Path(output or BUILD / "handouts")
    output.mkdir(parents=True, exist_ok=True)
    urls = copy_web_assets(output, reveal=False)
    mathjax_url = urls.get("mathjax_url", MATHJAX_CDN)
    written = []
    for notebook in notebooks:
        target = output / f"{Path(notebook).stem}.html"
        target.write_text(render_handout(handout_parts(Path(notebook), executed), mathjax_url), encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--executed", default=str(BUILD / "executed"), help="executed copies (the figures)")
    parser.add_argument("--output", default=str(BUILD / "handouts"))
    parser.add_argument("--nb", nargs="*", default=[], help="notebooks (01, 01_perceptron, ...); default: all")
    args = parser.parse_args(argv)
    from course.runner import select_notebooks

    web_assets_dir(fetch=True)  # once: npm → build/web_assets/, else the CDN (one line says so)
    pages = build_handouts(select_notebooks(args.nb), Path(args.executed), Path(args.output))
    missing = [p.stem for p in pages if not (Path(args.executed) / f"{p.stem}.ipynb").exists()]
    print(f"Handouts: {len(pages)} pages in {args.output}"
          + (f" ({len(missing)} without a figure: no executed copy of {', '.join(missing)})" if missing else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
