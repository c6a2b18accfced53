"""Numbers over several runs: mean ± spread, and how the collection prints them.

One place for what the results table (``course/``), the HTML site and notebook 00's map share:
:func:`spread` (one numeric metric over runs), :func:`summarize` (any metric, numeric or text),
:func:`metrics_over_runs` (every metric of a notebook over its seeds) and :func:`format_metric`.
"""

from __future__ import annotations

import statistics
from typing import Any, Iterable, Sequence


def spread(values: Sequence[float]) -> dict[str, float]:
    """Mean, sample standard deviation (0 for one value), min, max and count."""
    values = [float(v) for v in values]
    return {
        "mean": statistics.fmean(values),
        "sd": statistics.stdev(values) if len(values) > 1 else 0.0,
        "min": min(values),
        "max": max(values),
        "n": len(values),
    }


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def summarize(values: Sequence[Any]) -> dict[str, Any]:
    """:func:`spread` for numbers; ``{"values": [...], "n": ...}`` for anything else (e.g. a name)."""
    if values and all(is_number(v) for v in values):
        return spread(values)
    return {"values": list(values), "n": len(values)}


def metrics_over_runs(runs: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each metric of the first run, summarized over every run that recorded it."""
    runs = list(runs)
    names = runs[0].get("metrics", {}) if runs else {}
    return {name: summarize([r["metrics"][name] for r in runs if name in r.get("metrics", {})])
            for name in names}


def decimals(values: Sequence[float]) -> int:
    """1 decimal for numbers of 10 and more (times, counts), 4 for the rest (accuracies, losses)."""
    return 1 if max(abs(v) for v in values) >= 10 else 4


def format_metric(stats: dict[str, Any], digits: int | None = None) -> str:
    """``0.8812 ± 0.0031 [0.8780–0.8840]`` over several runs, the plain value over one.

    Whole numbers stay whole (``9000``, not ``9000.0 ± 0.0``); ``digits`` fixes the decimals.
    """
    if "values" in stats:
        return ", ".join(map(str, stats["values"]))
    numbers = [stats["mean"], stats["min"], stats["max"]]
    whole = all(float(v).is_integer() for v in (stats["min"], stats["max"])) and stats["sd"] == 0
    if stats["n"] == 1 or whole:
        value = stats["mean"]
        if digits is None and float(value).is_integer():
            return str(int(value))
        return f"{value:.{decimals([value]) if digits is None else digits}f}"
    d = decimals(numbers) if digits is None else digits
    return f"{stats['mean']:.{d}f} ± {stats['sd']:.{d}f} [{stats['min']:.{d}f}–{stats['max']:.{d}f}]"
