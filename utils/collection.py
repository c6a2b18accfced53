"""The collection as data: each notebook's number, title, learning goals and measured time.

Read from the notebooks themselves (their first cell: ``# NN · Title``, the "What you will
learn" bullets, "Before this: ...") and from the recorded results under ``build/``, so the
map in notebook 00 and the HTML site's index stay right as notebooks are added.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from utils.results import SUMMARY_NAME
from utils.stats import format_metric, summarize

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO_ROOT / "notebooks"
BUILD = REPO_ROOT / "build"


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def notebook_info(path: Path) -> dict[str, Any]:
    """Number, stem, title, learning goals and prerequisites, parsed from the first cell."""
    notebook = json.loads(Path(path).read_text())
    first = _source(notebook["cells"][0]) if notebook["cells"] else ""
    title_line = next((line for line in first.splitlines() if line.startswith("# ")), f"# {path.stem}")
    title = re.sub(r"^#\s*\d+\s*[·:.-]?\s*", "", title_line).strip()
    goals: list[str] = []
    in_goals = False
    for line in first.splitlines():
        if "What you will learn" in line:
            in_goals = True
            continue
        if in_goals:
            match = re.match(r"\s*[-*]\s+(.*)", line)
            if match:
                goals.append(match.group(1).strip())
            elif goals and line.startswith(" ") and line.strip():  # a goal continued on the next line
                goals[-1] += " " + line.strip()
            elif goals and line.strip() and not line.startswith(" "):
                break
    before = next((line.strip() for line in first.splitlines() if line.strip().startswith("Before this")), "")
    return {"number": path.stem[:2], "stem": path.stem, "file": path.name, "title": title,
            "goals": goals, "before": before}


def list_collection(notebooks: Path | None = None) -> list[dict[str, Any]]:
    """Every ``NN_topic.ipynb`` notebook in teaching order, as :func:`notebook_info` dicts."""
    folder = Path(notebooks or NOTEBOOKS)
    return [notebook_info(p) for p in sorted(folder.glob("[0-9][0-9]_*.ipynb"))]


def measured_runs(build: Path | None = None, prefer_profile: str | None = None) -> dict[str, dict[str, Any]]:
    """The latest recorded run of each notebook: ``make results``'s summary first, then ``make run``'s.

    Each value holds ``profile``, ``wall_time_s`` (mean over seeds where there were several),
    ``seeds`` and ``metrics`` (name → display text).
    """
    build = Path(build or BUILD)
    runs: dict[str, dict[str, Any]] = {}
    for path in sorted((build / "results").glob("*.json")):
        try:
            record = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        wall = record.get("runner_wall_time_s", record.get("wall_time_s"))
        runs[record.get("notebook", path.stem)] = {
            "profile": record.get("profile"), "wall_time_s": wall, "seeds": [record.get("seed")],
            "metrics": {k: format_metric(summarize([v])) for k, v in record.get("metrics", {}).items()},
            "data": record.get("data", {}),
        }
    summary = build / SUMMARY_NAME
    if summary.exists():
        try:
            rows = json.loads(summary.read_text()).get("rows", [])
        except (OSError, json.JSONDecodeError):
            rows = []
        for row in rows:
            previous = runs.get(row["notebook"])
            if previous and previous["profile"] != row.get("profile") and row.get("profile") != prefer_profile:
                continue  # a later `make run` in another profile replaced the executed notebook
            runs[row["notebook"]] = {
                "profile": row.get("profile"),
                "wall_time_s": (row.get("wall_time_s") or {}).get("mean"),
                "seeds": row.get("seeds", []),
                "metrics": {k: format_metric(v) for k, v in row.get("metrics", {}).items()},
                "data": row.get("data", {}),
            }
    return runs


def format_minutes(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


def collection_map(link_suffix: str = ".ipynb", build: Path | None = None) -> str:
    """A Markdown table: one line and a link per notebook, what it teaches, its full-profile time.

    Times are the measured wall times of the last full-profile run recorded under ``build/``
    (``make results`` or ``make run``); "—" means not measured on this machine yet.
    """
    runs = measured_runs(build, prefer_profile="full")
    lines = ["| # | notebook | what it teaches | full-profile time |", "|---|---|---|---|"]
    for info in list_collection():
        run = runs.get(info["stem"], {})
        time_text = format_minutes(run.get("wall_time_s")) if run.get("profile") == "full" else "—"
        link = f"[{info['stem']}]({info['stem']}{link_suffix})"
        lines.append(f"| {info['number']} | {link} | {info['title']} | {time_text} |")
    return "\n".join(lines)
