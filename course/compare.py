"""``make results-backends``: the same notebooks on each Keras backend, side by side.

Reads the ``results_summary_<profile>_<backend>.json`` copies that ``make results BACKEND=...``
leaves in ``build/`` and writes ``build/results_backends.md``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from course.records import backend_summary_name
from course.runner import RunnerError
from utils.stats import decimals


def _cell_value(stats: dict[str, Any] | None) -> float | str | None:
    if not stats:
        return None
    if "mean" not in stats:  # text metrics (e.g. the best optimizer's name): the runs' values
        return ", ".join(map(str, stats.get("values", []))) or None
    return float(stats["mean"])


def _format_cells(values: list[float | str | None]) -> tuple[list[str], str]:
    """Cells of one row (same format for every backend) and the spread between the numbers."""
    numbers = [v for v in values if isinstance(v, float)]
    if not numbers:
        return ["—" if v is None else str(v) for v in values], "—"
    fmt = "{:.0f}" if all(v.is_integer() for v in numbers) else f"{{:.{decimals(numbers)}f}}"
    cells = ["—" if v is None else (fmt.format(v) if isinstance(v, float) else str(v)) for v in values]
    return cells, (fmt.format(max(numbers) - min(numbers)) if len(numbers) > 1 else "—")


def render_backend_comparison(summaries: dict[str, dict[str, Any]], profile: str) -> str:
    """One row per notebook and number (wall time, then each metric), one column per backend.

    ``summaries`` maps a backend name to its ``results_summary`` dict. The last column is the spread
    (max − min) across backends, so a backend that gives different numbers stands out.
    """
    backends = sorted(summaries, key=lambda b: (b != "tensorflow", b))
    rows: dict[str, dict[str, dict[str, Any]]] = {}
    for backend in backends:
        for row in summaries[backend]["rows"]:
            per_nb = rows.setdefault(row["notebook"], {})
            per_nb.setdefault("wall time (s)", {})[backend] = row["wall_time_s"]
            for name, stats in row["metrics"].items():
                per_nb.setdefault(name, {})[backend] = stats
    lines = [f"# The same notebooks on each Keras backend ({profile} profile)", ""]
    for backend in backends:
        meta = summaries[backend]["meta"]
        first = summaries[backend]["rows"][0] if summaries[backend]["rows"] else {}
        lines.append(f"- {backend}: {meta['date']}, {meta['hardware']}, device {first.get('device', '?')}; "
                     f"{first.get('versions', '')}; `make results` took {meta['total_s'] / 60:.1f} min"
                     + (f"; failed: {', '.join(meta['failures'])}" if meta.get("failures") else ""))
    lines += ["- Each cell: mean over the seeds run (see `build/results.md` for the spread); "
              "**spread** = largest − smallest backend mean; \"—\": not recorded on that backend.", "",
              "| notebook | number | " + " | ".join(backends) + " | spread |",
              "|---|---|" + "---|" * (len(backends) + 1)]
    for notebook in sorted(rows):
        for name, by_backend in rows[notebook].items():
            cells, gap = _format_cells([_cell_value(by_backend.get(b)) for b in backends])
            lines.append(f"| {notebook} | {name} | " + " | ".join(cells) + f" | {gap} |")
    return "\n".join(lines) + "\n"


def compare_backends(build: Path, profile: str) -> Path:
    """Write ``build/results_backends.md`` from every ``results_summary_<profile>_<backend>.json``."""
    summaries = {}
    for path in sorted(build.glob(backend_summary_name(profile, "*"))):
        backend = path.stem.removeprefix(f"results_summary_{profile}_")
        summaries[backend] = json.loads(path.read_text())
    if not summaries:
        raise RunnerError(
            f"no {backend_summary_name(profile, '<backend>')} in {build}: run `make results PROFILE={profile} "
            f"BACKEND=<backend>` for each backend first.")
    target = build / "results_backends.md"
    target.write_text(render_backend_comparison(summaries, profile))
    return target
