"""``make results``: run every notebook headless, several seeds where it matters, one table.

    python -m course.results_table                      # every notebook, full profile
    python -m course.results_table --nb 01 --seeds 42 43 44
    python -m course.results_table --compare-backends --profile smoke

Notebooks listed in :data:`MULTI_SEED` (those whose headline numbers are accuracies) run
once per seed in :data:`SEEDS`; the others run once with their own default seed. Output:

- ``build/results.md``: notebook, metric, mean ± spread over seeds, wall time, profile,
  backend, device, library versions and the data each number came from (CIFAR-10: the
  course mirror's 10,000-image subset or the full data), written by :mod:`course.report`;
- ``build/results_summary.json``: the same, machine-readable (the site and notebook 00 read it),
  and a copy per profile and backend, ``build/results_summary_<profile>_<backend>.json``;
- ``--compare-backends``: ``build/results_backends.md`` (:mod:`course.compare`), one column per
  backend from those copies (run ``make results BACKEND=jax`` etc. first);
- ``build/results/<notebook>.json``: the first seed's record, as ``make run`` writes it;
- ``build/executed/``: the first seed's executed notebook (what ``make slides``/``make html`` show);
  other seeds' executed copies go to ``build/executed_seeds/seed<N>/`` and their records to
  ``build/results_runs/<notebook>_seed<N>/``.

``--profile class`` writes all of these under ``build/class/`` instead (:func:`course.runner.build_root`),
so the full profile's tables and executed copies stay as they were; its claims table says, for each
claim, in how many seeds it held, or that it is full-only and why (``claim(..., full_only=...)``).
Evidence records (``evidence/``) come from the full profile only.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Sequence

from course import evidence, runner
from course.compare import compare_backends
from course.records import aggregate, backend_summary_name
from course.report import hardware, load_average, write_results
from utils.profiles import PROFILES
from utils.results import SUMMARY_NAME

# Notebooks (by number) whose headline numbers are accuracies: `make results` runs each over
# SEEDS and reports mean ± spread. A number without a notebook yet is simply skipped.
MULTI_SEED = ("01", "02", "03", "07", "08", "10", "12")
SEEDS = (42, 43, 44)


def makes_claims(notebook: Path) -> bool:
    """Whether a notebook checks lesson claims (``claim(cfg, ...)`` in a code cell)."""
    cells = json.loads(Path(notebook).read_text())["cells"]
    return any(c["cell_type"] == "code" and "claim(cfg" in "".join(c["source"]) for c in cells)


def seeds_for(notebook: Path, seeds: Sequence[int]) -> list[int | None]:
    """The seeds a notebook runs with: ``seeds`` if it is in MULTI_SEED or makes claims, else ``[None]`` (its own)."""
    return list(seeds) if notebook.stem[:2] in MULTI_SEED or makes_claims(notebook) else [None]


def run_seeds(notebook: Path, profile: str, seeds: Sequence[int | None], build: Path) -> list[dict[str, Any]]:
    """Run one notebook once per seed (``None``: its own default); return one record per run.

    The first seed's record and executed copy go where ``make run`` puts them.
    """
    records = []
    for k, seed in enumerate(seeds):
        tag = "default" if seed is None else str(seed)
        if k == 0:
            results, executed = build / "results", build / "executed"
        else:
            results, executed = build / "results_runs" / f"{notebook.stem}_seed{tag}", build / "executed_seeds" / f"seed{tag}"
            shutil.rmtree(results, ignore_errors=True)
        print(f"▶ {notebook.stem} [{profile}, seed {tag}] ...", flush=True)
        record = runner.run_notebook(notebook, profile, results, {} if seed is None else {"seed": seed}, executed)
        print(f"  done in {record['runner_wall_time_s']:.1f} s", flush=True)
        records.append(record)
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nb", nargs="*", default=[], help="notebooks to run (default: all)")
    parser.add_argument("--profile", default="full", help=f"one of {', '.join(PROFILES)} (default: full)")
    parser.add_argument("--seeds", nargs="+", type=int, default=list(SEEDS),
                        help=f"seeds for the multi-seed notebooks (default: {' '.join(map(str, SEEDS))})")
    parser.add_argument("--compare-backends", action="store_true",
                        help="only write build/results_backends.md from earlier runs on each backend")
    args = parser.parse_args(argv)

    if args.profile not in PROFILES:
        raise runner.RunnerError(f"unknown PROFILE={args.profile!r}; allowed: {', '.join(PROFILES)}.")
    build = runner.build_root(args.profile)
    if args.compare_backends:
        print(f"Backend comparison: {compare_backends(build, args.profile)}")
        return 0
    notebooks = runner.select_notebooks(args.nb)
    meta: dict[str, Any] = {"command": "make results", "profile": args.profile, "seeds": args.seeds,
                            "load_before": load_average(), "hardware": hardware(), "failures": []}
    start = time.perf_counter()
    records = []
    for notebook in notebooks:
        try:
            runs = run_seeds(notebook, args.profile, seeds_for(notebook, args.seeds), build)
        except Exception as err:  # report every notebook, then fail at the end
            meta["failures"].append(notebook.stem)
            print(f"  FAILED: {runner.failure_message(err)}")
            continue
        records += runs
        if args.profile == "full":  # the committed evidence of the notebook's lessons (course/evidence.py)
            stamp = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "hardware": meta["hardware"]}
            target = evidence.write_record(notebook, runs, stamp)
            failed = [c["sentence"] for c in evidence.build_record(notebook, runs, stamp)["claims"] if not all(c["held"])]
            print(f"  evidence: {target.relative_to(runner.REPO_ROOT)}"
                  + (f"; claims NOT held in every seed: {failed}" if failed else ""))
    meta.update(total_s=time.perf_counter() - start, load_after=load_average(),
                date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    rows = aggregate(records)
    build.mkdir(parents=True, exist_ok=True)
    summary = json.dumps({"meta": meta, "rows": rows}, indent=2)
    (build / SUMMARY_NAME).write_text(summary)
    if rows and rows[0]["backend"]:
        (build / backend_summary_name(args.profile, rows[0]["backend"])).write_text(summary)
    table = write_results(build, records, meta)
    if args.profile == "full" and records:
        evidence.update_readme()
    print(f"Results table: {table} ({meta['total_s'] / 60:.1f} min)")
    if meta["failures"]:
        print(f"Failed: {', '.join(meta['failures'])} (see the executed copies in {build / 'executed'})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
