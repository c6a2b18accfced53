"""A static HTML site of the collection: ``python -m course.site`` (``make html``) → ``build/site/``.

- ``index.html``: the notebooks in teaching order, each with its learning goals (the "What
  you will learn" bullets of its first cell), its recorded headline numbers (``build/results/``,
  or ``make results``'s mean ± spread over seeds), the profile they came from, and links to the
  rendered notebook and, when ``make slides`` has run, its slides;
- ``NN_name.html``: each executed notebook in ``build/executed/``, rendered with nbconvert;
  cells tagged ``teacher-notes`` are left out (the site is for students);
- ``results.html``: the table of ``make results`` (or ``make run``), when there is one.

Notebooks not executed yet are run first with ``--run-missing PROFILE`` (``make html`` passes
its ``PROFILE``, full by default); without it they are listed without a page. With
``--run-missing class`` (``make html PROFILE=class``) the site is built from the class profile's
runs under ``build/class/`` (what ``make results PROFILE=class`` leaves) into ``build/class/site/``.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from course.report import render_markdown
from course.runner import build_root, run_missing
from course.web_assets import web_assets_dir
from course.slides import TEACHER_TAG, copy_web_assets, executed_notebooks, fix_mathjax, rewrite_notebook_links
from utils.collection import list_collection, measured_runs
from utils.results import SUMMARY_NAME

REPO_ROOT = Path(__file__).resolve().parent.parent
BUILD = REPO_ROOT / "build"

PAGE_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 980px; margin: 2em auto;
       padding: 0 1em; line-height: 1.5; color: #1d1d1f; }
h1 { font-size: 2em; margin-bottom: 0.2em; }
.notebook { border-top: 1px solid #ddd; padding: 0.8em 0; }
.notebook h2 { font-size: 1.3em; margin: 0.2em 0; }
.links a { margin-right: 1em; }
.numbers { font-size: 0.92em; background: #f6f8fa; padding: 0.4em 0.8em; border-radius: 4px; }
.numbers td { padding: 0 1em 0 0; }
.muted { color: #666; font-size: 0.9em; }
table.results { border-collapse: collapse; font-size: 0.85em; }
table.results td, table.results th { border: 1px solid #ccc; padding: 2px 6px; }
"""
NAV_CSS = """<style>
.course-nav { font-family: system-ui, sans-serif; padding: 0.5em 1em; background: #f6f8fa;
              border-bottom: 1px solid #ddd; position: sticky; top: 0; z-index: 100; }
.course-nav a { margin-right: 1.5em; }
</style>"""


def _markdown(text: str) -> str:
    """Inline Markdown (goals may hold `code`, *emphasis* and $math$) → HTML."""
    import re

    import mistune

    maths: list[str] = []

    def keep(match: re.Match) -> str:  # Markdown would eat the backslashes of LaTeX (\, → ,)
        maths.append(html.escape(match.group(0)))
        return f"MATH{len(maths) - 1}MATH"

    rendered = mistune.html(re.sub(r"\$[^$]+\$", keep, text)).strip()
    rendered = re.sub(r"MATH(\d+)MATH", lambda m: maths[int(m.group(1))], rendered)
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered


def _nav(stem: str, order: list[str], pages: set[str], suffix: str = ".html") -> str:
    position = order.index(stem)
    links = ['<a href="index.html">↑ all notebooks</a>']
    if position > 0 and order[position - 1] in pages:
        links.append(f'<a href="{order[position - 1]}{suffix}">← {order[position - 1]}</a>')
    if position + 1 < len(order) and order[position + 1] in pages:
        links.append(f'<a href="{order[position + 1]}{suffix}">{order[position + 1]} →</a>')
    return f'<nav class="course-nav">{"".join(links)}</nav>'


def render_notebooks(executed: list[Path], output: Path, urls: dict[str, str]) -> list[Path]:
    """Each executed notebook → ``output/<stem>.html`` without teacher notes, with navigation."""
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="lab", **{k: v for k, v in urls.items() if k != "reveal_url_prefix"})
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={TEACHER_TAG}, enabled=True), enabled=True)
    order = [p.stem for p in executed]
    pages = set(order)
    written = []
    for path in executed:
        notebook = nbformat.read(str(path), as_version=4)
        body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": path.stem}})
        body = fix_mathjax(rewrite_notebook_links(body, ".html", pages))
        body = body.replace("</head>", NAV_CSS + "</head>", 1)
        start = body.index(">", body.index("<body")) + 1
        body = body[:start] + _nav(path.stem, order, pages) + body[start:]
        target = output / f"{path.stem}.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written


def _numbers_html(run: dict[str, Any] | None) -> str:
    if not run:
        return '<p class="muted">No recorded numbers yet (run <code>make run</code> or <code>make results</code>).</p>'
    seeds = [s for s in run.get("seeds", []) if s is not None]
    over = f", mean ± s.d. [min–max] over seeds {', '.join(map(str, seeds))}" if len(seeds) > 1 else ""
    wall = run.get("wall_time_s")
    head = (f'profile <b>{html.escape(str(run.get("profile")))}</b>{html.escape(over)}'
            + (f", wall time {wall:.0f} s" if isinstance(wall, (int, float)) else ""))
    rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>"
                   for k, v in run.get("metrics", {}).items())
    data = "".join(f"<br>{html.escape(k)}: {html.escape(v)}" for k, v in run.get("data", {}).items())
    return f'<div class="numbers">Recorded: {head}{data}<table>{rows}</table></div>'


def _mathjax_tag(urls: dict[str, str]) -> str:
    url = urls.get("mathjax_url",
                   "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js?config=TeX-AMS_CHTML-full,Safe")
    return ('<script type="text/x-mathjax-config">MathJax.Hub.Config({menuSettings: {assistiveMML: false}, '
            'tex2jax: {inlineMath: [["$","$"]], processEscapes: true}});</script>'
            f'<script src="{html.escape(url)}"></script>')


def render_index(output: Path, pages: set[str], slides: Path | None, build: Path,
                 urls: dict[str, str], results_page: bool) -> Path:
    runs = measured_runs(build)
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Deep learning with Keras 3: the notebooks</title>",
        f"<style>{PAGE_CSS}</style>{_mathjax_tag(urls)}</head><body>",
        "<h1>Deep learning with Keras 3, notebook by notebook</h1>",
        f"<p class='muted'>Built {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} from the executed "
        "notebooks in <code>build/executed/</code>. Numbers are those recorded by the last run of each "
        "notebook; the profile says which run.</p>",
    ]
    if results_page:
        parts.append("<p><a href='results.html'>Results table (all notebooks, seeds, wall times)</a></p>")
    for info in list_collection():
        stem = info["stem"]
        links = []
        if stem in pages:
            links.append(f'<a href="{stem}.html">notebook</a>')
        else:
            links.append('<span class="muted">not executed yet: run <code>make run NB='
                         f'{info["number"]}</code>, then <code>make html</code></span>')
        if slides is not None and (slides / f"{stem}.slides.html").exists():
            relative = os.path.relpath(slides / f"{stem}.slides.html", output)
            links.append(f'<a href="{html.escape(relative)}">slides</a>')
        goals = "".join(f"<li>{_markdown(goal)}</li>" for goal in info["goals"])
        before = f'<p class="muted">{_markdown(info["before"])}</p>' if info["before"] else ""
        parts.append(
            f'<div class="notebook" id="nb{info["number"]}"><h2>{info["number"]} · {_markdown(info["title"])}</h2>'
            f'<p class="links">{"".join(links)}</p><b>What you will learn</b><ul>{goals}</ul>{before}'
            f'{_numbers_html(runs.get(stem))}</div>'
        )
    parts.append("</body></html>")
    target = output / "index.html"
    target.write_text("\n".join(parts), encoding="utf-8")
    return target


def render_results(output: Path, build: Path) -> bool:
    """``results.html`` from ``make results``'s summary (or ``make run``'s table); False if neither."""
    import mistune

    summary = build / SUMMARY_NAME
    if summary.exists():
        data = json.loads(summary.read_text())
        text = render_markdown(data["rows"], data["meta"])
    elif (build / "results.md").exists():
        text = (build / "results.md").read_text()
    else:
        return False
    body = mistune.create_markdown(plugins=["table"])(text).replace("<table>", '<table class="results">')
    (output / "results.html").write_text(
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Results</title>"
        f"<style>{PAGE_CSS} body {{ max-width: none; }}</style></head><body>"
        f"<p><a href='index.html'>↑ all notebooks</a></p>{body}</body></html>", encoding="utf-8")
    return True


def build_site(executed: Path | None = None, output: Path | None = None, build: Path | None = None,
               slides: Path | None = None) -> list[Path]:
    """Render the site; return every page written."""
    build = Path(build or BUILD)
    executed = Path(executed or build / "executed")
    output = Path(output or build / "site")
    slides = Path(slides or build / "slides")
    output.mkdir(parents=True, exist_ok=True)
    urls = copy_web_assets(output, reveal=False)
    notebooks = executed_notebooks(executed)
    pages = render_notebooks(notebooks, output, urls)
    has_results = render_results(output, build)
    index = render_index(output, {p.stem for p in notebooks}, slides, build, urls, has_results)
    return [index, *pages] + ([output / "results.html"] if has_results else [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--executed", help="executed notebooks (default: build/executed; build/class/executed "
                        "with --run-missing class)")
    parser.add_argument("--output", help="default: build/site, or build/class/site with --run-missing class")
    parser.add_argument("--run-missing", metavar="PROFILE", help="first execute notebooks with no executed copy")
    args = parser.parse_args(argv)
    root = build_root(args.run_missing or "full")  # build/, or build/class/ for the class profile's runs
    args.executed, args.output = args.executed or str(root / "executed"), args.output or str(root / "site")
    if args.run_missing:
        run_missing(args.run_missing, Path(args.executed))
    web_assets_dir(fetch=True)  # once: npm → build/web_assets/, else the CDN (one line says so)
    pages = build_site(Path(args.executed), Path(args.output), build=root, slides=root / "slides")
    print(f"Site: {pages[0]} ({len(pages)} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
