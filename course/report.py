"""The one writer of ``build/results.md``, for ``make run`` and ``make results`` alike.

:func:`render_markdown` turns rows (:func:`course.records.aggregate`) and a few facts about the
run (``meta``) into the table; :func:`write_results` stamps the date and hardware and writes it.
"""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path
from typing import Any, Iterable

from course.records import aggregate
from utils.stats import format_metric

MIRROR_NOTE = ("- Data: † marks CIFAR-10 from the course mirror: a real 10,000-image training / 1,000-image test "
               "subset, not the full 50,000 / 10,000; expect lower accuracy than on the full data. \"—\": no data "
               "set whose size depends on its source.")


def data_note(data: dict[str, str]) -> str:
    """Where a notebook's data came from, with the CIFAR-10 mirror subset marked †."""
    notes = []
    for name, source in data.items():
        mark = "†" if "mirror" in source else ""
        notes.append(f"{name}{mark}: {source}")
    return "; ".join(notes) or "—"


def hardware() -> str:
    """CPU model, core count and operating system."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def load_average() -> str:
    """The 1, 5 and 15-minute load averages (other work on the machine slows the runs)."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def render_markdown(rows: list[dict[str, Any]], meta: dict[str, Any],
                    records_by_notebook: dict[str, list[dict[str, Any]]] | None = None) -> str:
    """The results table; ``meta`` holds ``command``, ``date``, ``hardware``, ``profile`` and, for
    ``make results``, ``seeds``, ``total_s`` and the load averages; ``failures`` if any.
    ``records_by_notebook`` (the runs behind the rows) adds the claims table."""
    records_by_notebook = records_by_notebook or {}
    command = meta.get("command", "make results")
    lines = [f"# Results of `{command}`", "", f"- Date: {meta['date']}; hardware: {meta['hardware']}"]
    if "total_s" in meta:
        lines.append(f"- `{command}` took {meta['total_s'] / 60:.1f} min (load average {meta['load_before']} "
                     f"before, {meta['load_after']} after; other work on the machine makes times upper bounds)")
    if meta.get("seeds"):
        lines.append(f"- Profile: {meta['profile']}. Notebooks with headline accuracies ran with seeds "
                     f"{', '.join(map(str, meta['seeds']))}: **mean ± sample standard deviation [min–max]**; "
                     f"the others once with their default seed.")
    else:
        lines.append(f"- Profile of this run: {meta['profile']}. Each notebook's latest recorded run, once; "
                     "the profile column says which run each number came from.")
    lines += [
        "- Wall time: the whole notebook, kernel start included, per run (mean over seeds).",
        MIRROR_NOTE,
        "",
        "| notebook | metric | value | seeds | wall time (s) | profile | backend | device | versions | data |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        wall = row["wall_time_s"]
        wall_text = format_metric(wall, digits=1) if wall else "—"
        seeds = ", ".join("default" if s is None else str(s) for s in row["seeds"])
        for name, stats in row["metrics"].items() or {"(no metric recorded)": {"values": ["—"], "n": 0}}.items():
            lines.append(
                f"| {row['notebook']} | {name} | {format_metric(stats)} | {seeds} | {wall_text} | {row['profile']} "
                f"| {row['backend']} | {row['device']} | {row['versions']} | {data_note(row['data'])} |"
            )
    lines += claims_markdown(records_by_notebook)
    if meta.get("failures"):
        lines += ["", f"Failed: {', '.join(meta['failures'])}."]
    return "\n".join(lines) + "\n"


def full_only_reason(runs: list[dict[str, Any]], sentence: str) -> str | None:
    """Why a claim is judged on the full profile only (``claim(..., full_only=...)`` in a class run), or None."""
    reasons = [c["full_only"] for r in runs for c in r.get("claims", []) if c["sentence"] == sentence and c.get("full_only")]
    return reasons[0] if reasons else None


def claims_markdown(records_by_notebook: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The claims table: every claim a notebook checked, held in k of its n runs, or full-only and why
    (class profile); empty without claims."""
    from course.evidence import claims_over_seeds

    rows = [(name, item, full_only_reason(runs, item["sentence"]))
            for name, runs in records_by_notebook.items() for item in claims_over_seeds(runs)]
    if not rows:
        return []
    lines = ["", "## Claims", "", "Each lesson sentence a notebook checks on its own numbers (`utils.claims.claim`), "
             "and in how many of its runs it held. \"full-only\": a claim the class profile's sizes cannot show, "
             "with the reason; it is judged on the full profile.", "", "| notebook | claim | held in |", "|---|---|---|"]
    lines += [f"| {name} | {item['sentence']} | "
              + (f"full-only ({reason}); held in {item['held_in']} runs |" if reason else f"{item['held_in']} runs |")
              for name, item, reason in rows]
    return lines


def write_results(build: Path, records: Iterable[dict[str, Any]], meta: dict[str, Any]) -> Path:
    """Write ``build/results.md`` from run records; ``meta`` gets the date and hardware if missing."""
    meta = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "hardware": hardware(), **meta}
    target = Path(build) / "results.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    records = list(records)
    by_notebook: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_notebook.setdefault(record["notebook"], []).append(record)
    target.write_text(render_markdown(aggregate(records), meta, by_notebook))
    return target
