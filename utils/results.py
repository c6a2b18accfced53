"""Recorded results: each notebook writes its headline numbers to one JSON file.

The file goes to ``$COURSE_RESULTS_DIR`` (default ``build/results/``). The course tooling
(``course.records``) gathers those files into ``build/results.md``; the site and notebook 00's
map read them too.
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path
from typing import Any, Mapping

from utils.profiles import RunConfig

RESULTS_ENV = "COURSE_RESULTS_DIR"
# `make results`'s machine-readable summary in build/ (written by course/, read by utils.collection).
SUMMARY_NAME = "results_summary.json"
REPO_ROOT = Path(__file__).resolve().parent.parent


def results_dir() -> Path:
    """Where per-notebook result files go: ``$COURSE_RESULTS_DIR`` or ``build/results``."""
    return Path(os.environ.get(RESULTS_ENV) or REPO_ROOT / "build" / "results")


def environment_info() -> dict[str, str]:
    """Backend, device and library versions, for the results table."""
    import keras
    import numpy

    from utils.backend import accelerators, backend_name, backend_version

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


def record_results(
    config: RunConfig, *, data_sources: Mapping[str, str] | None = None, **metrics: float | int | str
) -> None:
    """Record a notebook's headline numbers (plus wall time, profile, seed and versions).

    ``data_sources`` names where data sets whose size depends on their origin came from, e.g.
    ``record_results(cfg, data_sources=DATA_SOURCES, test_accuracy=0.71)`` after
    ``from utils.data import DATA_SOURCES, load_cifar10`` (mirror subset or full CIFAR-10).
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
    if data_sources:
        record.setdefault("data", {}).update(data_sources)
    claims = vars(config).get("claims")  # kept there by utils.claims.claim
    if claims:
        record["claims"] = list(claims)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2))
    shown = ", ".join(f"{k}={v}" for k, v in record["metrics"].items())
    print(f"Recorded for {config.notebook} [{config.profile}]: {shown}; wall time so far {record['wall_time_s']} s")


def save_claims(config: RunConfig) -> None:
    """Bring the claims judged so far into this run's record, if :func:`record_results` already wrote it.

    Claims checked after a notebook's last ``record_results`` call are kept this way too.
    """
    path = results_dir() / f"{config.notebook}.json"
    claims = vars(config).get("claims")
    if not claims or not path.exists():
        return
    try:
        record = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return
    if record.get("run_id") == config.run_id:
        record["claims"] = list(claims)
        path.write_text(json.dumps(record, indent=2))
