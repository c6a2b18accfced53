"""``make results``: run every notebook headless, several seeds where it matters, one table.

    python -m utils.results_table                      # every notebook, full profile
    python -m utils.results_table --nb 01 --seeds 42 43 44
    python -m utils.results_table --compare-backends --profile smoke

Notebooks listed in :data:`MULTI_SEED` (those whose headline numbers are accuracies) run
once per seed in :data:`SEEDS`; the others run once with their own default seed. Output:

- ``build/results.md``: notebook, metric, mean ± spread over seeds, wall time, profile,
  backend, device, library versions and the data each number came from (CIFAR-10: the
  course mirror's 10,000-image subset or the full data);
- ``build/results_summary.json``: the same, machine-readable (the site and notebook 00 read it),
  and a copy per profile and backend, ``build/results_summary_<profile>_<backend>.json``;
- ``--compare-backends``: ``build/results_backends.md``, one column per backend from those copies
  (run ``make results BACKEND=jax`` etc. first), with the spread between backends;
- ``build/results/<notebook>.json``: the first seed's record, as ``make run`` writes it;
- ``build/executed/``: the first seed's executed notebook (what ``make slides``/``make html`` show);
  other seeds' executed copies go to ``build/executed_seeds/seed<N>/``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Iterable, Sequence

from utils import runner

# Notebooks (by number) whose headline numbers are accuracies: `make results` runs each over
# SEEDS and reports mean ± spread. A number without a notebook yet is simply skipped.
MULTI_SEED = ("01", "02", "06", "07", "09")
SEEDS = (42, 43, 44)
SUMMARY_NAME = "results_summary.json"


def seeds_for(notebook: Path, seeds: Sequence[int]) -> list[int | None]:
    """The seeds a notebook runs with: ``seeds`` if it is in MULTI_SEED, else ``[None]`` (its own)."""
    return list(seeds) if notebook.stem[:2] in MULTI_SEED else [None]


def _read_record(folder: Path, stem: str) -> dict[str, Any]:
    path = folder / f"{stem}.json"
    candidates = [path] if path.exists() else sorted(folder.glob("*.json"))
    if not candidates:
        return {"notebook": stem, "metrics": {}}
    return json.loads(candidates[0].read_text())


def run_notebook(notebook: Path, profile: str, seeds: Sequence[int | None], build: Path) -> list[dict[str, Any]]:
    """Run one notebook once per seed; return one record per run (with the runner's wall time)."""
    records = []
    for k, seed in enumerate(seeds):
        tag = "default" if seed is None else str(seed)
        results = build / "results_runs" / f"{notebook.stem}_seed{tag}"
        shutil.rmtree(results, ignore_errors=True)
        os.environ["COURSE_RESULTS_DIR"] = str(results)
        output = build / "executed" if k == 0 else build / "executed_seeds" / f"seed{tag}"
        parameters: dict[str, Any] = {"profile": profile}
        if seed is not None:
            parameters["seed"] = seed
        print(f"▶ {notebook.stem} [{profile}, seed {tag}] ...", flush=True)
        seconds = runner.execute(notebook, parameters, output)
        record = _read_record(results, notebook.stem)
        record["notebook"] = notebook.stem
        record["runner_wall_time_s"] = round(seconds, 1)
        print(f"  done in {seconds:.1f} s", flush=True)
        if k == 0:
            target = build / "results" / f"{notebook.stem}.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(record, indent=2))
        records.append(record)
    return records


def spread(values: Sequence[float]) -> dict[str, float]:
    """Mean, sample standard deviation (0 for one value), min and max."""
    values = [float(v) for v in values]
    return {
        "mean": statistics.fmean(values),
        "sd": statistics.stdev(values) if len(values) > 1 else 0.0,
        "min": min(values),
        "max": max(values),
        "n": len(values),
    }


def aggregate(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per notebook: every metric over its runs, wall time, and the run's environment."""
    by_notebook: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_notebook.setdefault(record["notebook"], []).append(record)
    rows = []
    for notebook, runs in by_notebook.items():
        first = runs[0]
        metrics = {}
        for name in first.get("metrics", {}):
            values = [r["metrics"][name] for r in runs if name in r.get("metrics", {})]
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
                metrics[name] = spread(values)
            else:
                metrics[name] = {"values": values, "n": len(values)}
        wall = [r.get("runner_wall_time_s", r.get("wall_time_s")) for r in runs]
        rows.append({
            "notebook": notebook,
            "seeds": [r.get("seed") for r in runs],
            "metrics": metrics,
            "wall_time_s": spread([w for w in wall if w is not None]) if any(w is not None for w in wall) else None,
            "profile": first.get("profile"),
            "backend": first.get("backend"),
            "device": first.get("device"),
            "versions": versions(first),
            "data": first.get("data", {}),
        })
    return rows


def versions(record: dict[str, Any]) -> str:
    backend = record.get("backend", "")
    parts = [f"Keras {record.get('keras', '?')}", f"{backend} {record.get(backend, '?')}",
             f"NumPy {record.get('numpy', '?')}", f"Python {record.get('python', '?')}"]
    return ", ".join(parts)


def _digits(values: Sequence[float]) -> int:
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
        return f"{value:.{_digits([value]) if digits is None else digits}f}"
    d = _digits(numbers) if digits is None else digits
    return f"{stats['mean']:.{d}f} ± {stats['sd']:.{d}f} [{stats['min']:.{d}f}–{stats['max']:.{d}f}]"


def data_note(data: dict[str, str]) -> str:
    """Where a notebook's data came from, with the CIFAR-10 mirror subset marked †."""
    notes = []
    for name, source in data.items():
        mark = "†" if "mirror" in source else ""
        notes.append(f"{name}{mark}: {source}")
    return "; ".join(notes) or "—"


def hardware() -> str:
    """CPU model and core count (and the GPU name if one is visible to nvidia-smi)."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def render_markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [
        "# Results of `make results`",
        "",
        f"- Date: {meta['date']}; hardware: {meta['hardware']}",
        f"- `make results` took {meta['total_s'] / 60:.1f} min "
        f"(load average {meta['load_before']} before, {meta['load_after']} after; other work on the "
        f"machine makes times upper bounds)",
        f"- Profile: {meta['profile']}. Notebooks with headline accuracies ran with seeds "
        f"{', '.join(map(str, meta['seeds']))}: **mean ± sample standard deviation [min–max]**; "
        f"the others once with their default seed.",
        "- Wall time: the whole notebook, kernel start included, per run (mean over seeds).",
        "- Data: † marks CIFAR-10 from the course mirror: a real 10,000-image training / 1,000-image test subset, "
        "not the full 50,000 / 10,000; expect lower accuracy than on the full data. \"—\": no data set whose size depends on its source.",
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
    if meta.get("failures"):
        lines += ["", f"Failed: {', '.join(meta['failures'])}."]
    return "\n".join(lines) + "\n"


def backend_summary_name(profile: str, backend: str) -> str:
    return f"results_summary_{profile}_{backend}.json"


def _cell_value(stats: dict[str, Any] | None) -> float | str | None:
    if not stats:
        return None
    if "mean" not in stats:  # text metrics (e.g. the best optimizer's name): the first run's value
        return ", ".join(map(str, stats.get("values", []))) or None
    return float(stats["mean"])


def _format_cells(values: list[float | str | None]) -> tuple[list[str], str]:
    """Cells of one row (same format for every backend) and the spread between the numbers."""
    numbers = [v for v in values if isinstance(v, float)]
    if not numbers:
        return ["—" if v is None else str(v) for v in values], "—"
    if all(v.is_integer() for v in numbers):
        fmt = "{:.0f}"
    else:
        fmt = f"{{:.{_digits(numbers)}f}}"
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
        raise runner.RunnerError(
            f"no {backend_summary_name(profile, '<backend>')} in {build}: run `make results PROFILE={profile} "
            f"BACKEND=<backend>` for each backend first.")
    target = build / "results_backends.md"
    target.write_text(render_backend_comparison(summaries, profile))
    return target


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nb", nargs="*", default=[], help="notebooks to run (default: all)")
    parser.add_argument("--profile", default="full", help="full (default) or smoke")
    parser.add_argument("--seeds", nargs="+", type=int, default=list(SEEDS),
                        help=f"seeds for the multi-seed notebooks (default: {' '.join(map(str, SEEDS))})")
    parser.add_argument("--compare-backends", action="store_true",
                        help="only write build/results_backends.md from earlier runs on each backend")
    args = parser.parse_args(argv)

    from utils.profiles import PROFILES

    if args.profile not in PROFILES:
        raise runner.RunnerError(f"unknown PROFILE={args.profile!r}; allowed: {', '.join(PROFILES)}.")
    build = runner.BUILD
    if args.compare_backends:
        print(f"Backend comparison: {compare_backends(build, args.profile)}")
        return 0
    notebooks = runner.select_notebooks(args.nb)
    meta: dict[str, Any] = {"profile": args.profile, "seeds": args.seeds, "load_before": _load(),
                            "hardware": hardware(), "failures": []}
    start = time.perf_counter()
    records = []
    for notebook in notebooks:
        try:
            records += run_notebook(notebook, args.profile, seeds_for(notebook, args.seeds), build)
        except Exception as err:  # report every notebook, then fail at the end
            meta["failures"].append(notebook.stem)
            print(f"  FAILED: {type(err).__name__}: {str(err).strip().splitlines()[-1] if str(err).strip() else ''}")
    meta.update(total_s=time.perf_counter() - start, load_after=_load(),
                date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    rows = aggregate(records)
    build.mkdir(parents=True, exist_ok=True)
    summary = json.dumps({"meta": meta, "rows": rows}, indent=2)
    (build / SUMMARY_NAME).write_text(summary)
    backend = rows[0]["backend"] if rows else None
    if backend:
        (build / backend_summary_name(args.profile, backend)).write_text(summary)
    (build / "results.md").write_text(render_markdown(rows, meta))
    print(f"Results table: {build / 'results.md'} ({meta['total_s'] / 60:.1f} min)")
    if meta["failures"]:
        print(f"Failed: {', '.join(meta['failures'])} (see the executed copies in {build / 'executed'})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
