"""Recorded runs → one row per notebook: every metric over its seeds, wall time, environment.

A record is what ``utils.results.record_results`` wrote for one run (plus the runner's wall
time); a row gathers a notebook's records, with the statistics of ``utils.stats``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from utils.stats import metrics_over_runs, spread


def collect_results(source: Path) -> list[dict[str, Any]]:
    """Every ``*.json`` record in ``source``, in file-name order (unreadable files are reported and skipped)."""
    records = []
    for path in sorted(Path(source).glob("*.json")):
        try:
            records.append(json.loads(path.read_text()))
        except (OSError, json.JSONDecodeError) as err:
            print(f"Skipping unreadable result file {path}: {err}")
    return records


def versions(record: dict[str, Any]) -> str:
    """``Keras 3.x, tensorflow 2.x, NumPy 2.x, Python 3.11`` from a record's environment."""
    backend = record.get("backend", "")
    parts = [f"Keras {record.get('keras', '?')}", f"{backend} {record.get(backend, '?')}",
             f"NumPy {record.get('numpy', '?')}", f"Python {record.get('python', '?')}"]
    return ", ".join(parts)


def aggregate(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per notebook: every metric over its runs, wall time, and the run's environment."""
    by_notebook: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_notebook.setdefault(record["notebook"], []).append(record)
    rows = []
    for notebook, runs in by_notebook.items():
        first = runs[0]
        wall = [w for w in (r.get("runner_wall_time_s", r.get("wall_time_s")) for r in runs) if w is not None]
        rows.append({
            "notebook": notebook,
            "seeds": [r.get("seed") for r in runs],
            "metrics": metrics_over_runs(runs),
            "wall_time_s": spread(wall) if wall else None,
            "profile": first.get("profile"),
            "backend": first.get("backend"),
            "device": first.get("device"),
            "versions": versions(first),
            "data": first.get("data", {}),
        })
    return rows


def backend_summary_name(profile: str, backend: str) -> str:
    """The per-profile, per-backend copy of ``make results``'s summary (``--compare-backends`` reads them)."""
    return f"results_summary_{profile}_{backend}.json"
