"""Recorded results: each notebook writes its headline numbers to one JSON file.

``make run`` gathers those files into ``build/results.json`` and ``build/results.md``.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from utils.profiles import RunConfig

RESULTS_ENV = "COURSE_RESULTS_DIR"
REPO_ROOT = Path(__file__).resolve().parent.parent


def results_dir() -> Path:
    """Where per-notebook result files go: ``$COURSE_RESULTS_DIR`` or ``build/results``."""
    return Path(os.environ.get(RESULTS_ENV) or REPO_ROOT / "build" / "results")


def environment_info() -> dict[str, str]:
    """Backend, device and library versions, for the results table."""
    import keras
    import numpy

    from utils.backend import accelerators, backend_version
    from utils.repro import backend_name

    backend = backend_name()
    info = {
        "backend": backend,
        "python": platform.python_version(),
        "keras": keras.__version__,
        "numpy": numpy.__version__,
    }
    version = backend_version(backend)
    if version:
        info[backend] = version
    devices = accelerators(backend)
    info["device"] = devices[0] if devices else f"cpu ({os.cpu_count()} cores)"
    return info


def record_results(config: RunConfig, **metrics: float | int | str) -> None:
    """Record a notebook's headline numbers (plus wall time, profile, seed and versions).

    Calling it again in the same notebook adds to the same record.
    """
    path = results_dir() / f"{config.notebook}.json"
    record: dict[str, Any] = {}
    if path.exists():
        try:
            previous = json.loads(path.read_text())
            if previous.get("run_id") == config.run_id:
                record = previous
        except (OSError, json.JSONDecodeError):
            pass
    record.setdefault("metrics", {}).update(
        {k: (round(float(v), 4) if isinstance(v, float) else v) for k, v in metrics.items()}
    )
    record.update(
        notebook=config.notebook,
        profile=config.profile,
        seed=config.seed,
        wall_time_s=round(config.elapsed(), 1),
        finished=time.strftime("%Y-%m-%d %H:%M:%S"),
        run_id=config.run_id,
        **environment_info(),
    )
    data = sys.modules.get("utils.data")
    if data is not None and getattr(data, "DATA_SOURCES", None):
        record["data"] = dict(data.DATA_SOURCES)  # e.g. which CIFAR-10 (mirror subset or full)
    claims = vars(config).get("claims")  # kept there by utils.claims.claim
    if claims:
        record["claims"] = list(claims)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2))
    shown = ", ".join(f"{k}={v}" for k, v in record["metrics"].items())
    print(f"Recorded for {config.notebook} [{config.profile}]: {shown}; wall time so far {record['wall_time_s']} s")


def collect_results(source: Path, json_out: Path, markdown_out: Path) -> list[dict[str, Any]]:
    """Gather every ``*.json`` record in ``source`` into one JSON list and a Markdown table."""
    records = []
    for path in sorted(source.glob("*.json")):
        try:
            records.append(json.loads(path.read_text()))
        except (OSError, json.JSONDecodeError) as err:
            print(f"Skipping unreadable result file {path}: {err}")
    json_out.parent.mkdir(parents=True, exist_ok=True)
    json_out.write_text(json.dumps(records, indent=2))
    lines = [
        "| notebook | metric | value | wall time (s) | profile | seed | backend | device | versions |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for rec in records:
        versions = f"keras {rec.get('keras')}, {rec.get('backend')} {rec.get(rec.get('backend', ''), '?')}"
        for name, value in rec.get("metrics", {}).items():
            lines.append(
                f"| {rec['notebook']} | {name} | {value} | {rec.get('wall_time_s')} | {rec.get('profile')} "
                f"| {rec.get('seed')} | {rec.get('backend')} | {rec.get('device')} | {versions} |"
            )
    markdown_out.write_text("\n".join(lines) + "\n")
    return records
