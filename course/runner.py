"""Run notebooks headless with papermill: ``python -m course.runner --profile full --nb 01``.

Executed copies go to ``build/executed/``, recorded numbers to ``build/results/`` and the
gathered table to ``build/results.json`` and ``build/results.md``; runs in the class profile
go to the same places under ``build/class/`` (:func:`build_root`). ``notebooks/`` is only read.
A ``-p NAME VALUE`` that the notebook's parameters cell does not declare is refused.

:func:`run_notebook` is the one way the tooling runs a notebook (``make run``, ``make results``,
and ``make slides``/``make html`` for notebooks not executed yet).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Iterator, Mapping

from utils.profiles import PROFILE_ENV, PROFILES
from utils.progress import HEADLESS_ENV
from utils.results import RESULTS_ENV

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO_ROOT / "notebooks"
BUILD = REPO_ROOT / "build"
# Profiles whose runs live apart, under build/<profile>/ (executed/, results/, results.md, ...): a class
# run never replaces the full profile's executed copies and tables that the site, slides and README read.
SEPARATE_PROFILES = ("class",)


def build_root(profile: str) -> Path:
    """Where runs of ``profile`` go: ``build/`` (full and smoke) or ``build/class/``."""
    return BUILD / profile if profile in SEPARATE_PROFILES else BUILD


class RunnerError(SystemExit):
    """Bad command-line input: printed as a message, exit status 2."""

    def __init__(self, message: str) -> None:
        super().__init__(f"make run: {message}")


def list_notebooks() -> list[Path]:
    """The collection's notebooks in teaching order (``NN_topic.ipynb``)."""
    return sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def select_notebooks(names: list[str]) -> list[Path]:
    """Notebooks matching each name: ``01``, ``01_perceptron`` or ``01_perceptron.ipynb``."""
    available = list_notebooks()
    if not names:
        return available
    chosen = []
    for name in names:
        stem = Path(name).stem
        matches = [p for p in available if p.stem == stem or p.stem.startswith(stem + "_")]
        if len(matches) != 1:
            known = ", ".join(p.stem for p in available)
            raise RunnerError(f"no single notebook matches NB={name!r}. Known notebooks: {known}.")
        chosen.append(matches[0])
    return chosen


def parse_value(text: str) -> Any:
    """``5`` → 5, ``0.1`` → 0.1, ``None`` → None, anything else stays a string."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def check_parameters(notebook: Path, parameters: dict[str, Any]) -> None:
    """Refuse parameters that the notebook's ``parameters`` cell does not declare."""
    import papermill

    declared = papermill.inspect_notebook(str(notebook))
    if not declared:
        raise RunnerError(f"{notebook.name} has no cell tagged 'parameters'.")
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise RunnerError(
            f"{notebook.stem} does not declare the parameter(s) {', '.join(unknown)} "
            f"(a typo?). Its parameters are: {', '.join(declared)}."
        )


@contextlib.contextmanager
def kernel_environment(**variables: str) -> Iterator[None]:
    """Set environment variables for the kernels started inside the ``with``; restore them after."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def execute(notebook: Path, parameters: Mapping[str, Any], output_dir: Path) -> float:
    """Execute one notebook into ``output_dir`` with papermill; return its wall time in seconds."""
    import papermill

    output_dir.mkdir(parents=True, exist_ok=True)
    output = output_dir / notebook.name
    if output.resolve().parent == NOTEBOOKS.resolve():
        raise RunnerError("refusing to write executed notebooks into notebooks/.")
    start = time.perf_counter()
    papermill.execute_notebook(
        str(notebook), str(output), parameters=dict(parameters), kernel_name="python3",
        cwd=str(NOTEBOOKS), progress_bar=False, log_output=False,
        # Save once at the end (and every 30 s in a long cell), not after every cell: ~3 s a notebook.
        request_save_on_cell_execute=False,
        # Once the last cell has run and its outputs are in, stop the kernel at once instead of waiting
        # for TensorFlow's interpreter teardown (2-4 s a notebook; nothing the notebook does is lost).
        shutdown_kernel="immediate",
    )
    return time.perf_counter() - start


def _fresh_records(results_dir: Path, since: float) -> list[Path]:
    return sorted(p for p in results_dir.glob("*.json") if p.stat().st_mtime >= since)


def run_notebook(notebook: Path, profile: str, results_dir: Path, parameters: Mapping[str, Any] | None = None,
                 executed_dir: Path | None = None) -> dict[str, Any]:
    """Run one notebook headless and return its record (what its ``record_results`` wrote).

    The profile and the results folder reach the notebook the same way: as its kernel's
    environment, ``$COURSE_PROFILE`` and ``$COURSE_RESULTS_DIR``, set for this run only and restored
    afterwards, with ``$COURSE_HEADLESS=1`` (Keras prints one line per epoch, not a live bar) (the parameters cell keeps ``profile = None``, which reads the environment).
    ``parameters`` (``seed``, size knobs) are papermill parameters. The executed copy goes to
    ``executed_dir`` (default ``build/executed``). The record, with the whole run's wall time
    (kernel start included) as ``runner_wall_time_s``, is saved as ``results_dir/<notebook>.json``.
    A failing notebook raises (papermill's error).
    """
    results_dir = Path(results_dir)
    executed_dir = Path(executed_dir or BUILD / "executed")
    target = results_dir / f"{notebook.stem}.json"
    target.unlink(missing_ok=True)  # never return a previous run's numbers
    started = time.time()
    with kernel_environment(**{PROFILE_ENV: profile, RESULTS_ENV: str(results_dir), HEADLESS_ENV: "1"}):
        seconds = execute(notebook, parameters or {}, executed_dir)
    written = [target] if target.exists() else _fresh_records(results_dir, started)
    record: dict[str, Any] = json.loads(written[0].read_text()) if written else {"metrics": {}}
    if record.get("profile", profile) != profile:
        raise RunnerError(f"{notebook.stem} ran in profile {record['profile']!r}, not {profile!r}: "
                          "its parameters cell must say `profile = None`.")
    record.update(notebook=notebook.stem, profile=profile, runner_wall_time_s=round(seconds, 1))
    results_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(record, indent=2))
    return record


def run_missing(profile: str, executed: Path | None = None, results_dir: Path | None = None) -> list[Path]:
    """Run, in ``profile``, every notebook with no executed copy in ``executed`` yet; return them.

    ``executed`` and ``results_dir`` default to the profile's folders under :func:`build_root`.
    """
    executed = Path(executed or build_root(profile) / "executed")
    done = {p.stem for p in executed.glob("[0-9][0-9]_*.ipynb")}
    missing = [p for p in list_notebooks() if p.stem not in done]
    for notebook in missing:
        print(f"▶ {notebook.stem} has no executed copy: running it [{profile}] ...", flush=True)
        run_notebook(notebook, profile, Path(results_dir or build_root(profile) / "results"), executed_dir=executed)
    return missing


def failure_message(err: Exception) -> str:
    """The whole error a notebook raised (``Name: message``, every line of the message), without the
    traceback; for other errors, their text. Multi-line messages are indented under the first line."""
    ename, evalue = getattr(err, "ename", None), getattr(err, "evalue", None)
    text = f"{ename}: {evalue}" if ename else f"{type(err).__name__}: {str(err).strip()}"
    return "\n    ".join(text.strip().splitlines())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nb", nargs="*", default=[], help="notebooks to run (default: all)")
    parser.add_argument("--profile", default="full", help=f"one of {', '.join(PROFILES)} (default: full)")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"))
    parser.add_argument("--output", help="where executed copies go (default: build/executed, build/class/executed)")
    args = parser.parse_args(argv)

    if args.profile not in PROFILES:
        raise RunnerError(f"unknown PROFILE={args.profile!r}; allowed: {', '.join(PROFILES)}.")
    build = build_root(args.profile)
    args.output = args.output or str(build / "executed")
    extra = {name: parse_value(value) for name, value in args.parameter}
    if "profile" in extra:
        raise RunnerError("set the profile with PROFILE=..., not -p profile.")
    notebooks = select_notebooks(args.nb)
    for notebook in notebooks:
        check_parameters(notebook, {"profile": args.profile, **extra})

    failures = []
    for notebook in notebooks:
        print(f"▶ {notebook.stem} [{args.profile}] ...", flush=True)
        try:
            record = run_notebook(notebook, args.profile, build / "results", extra, Path(args.output))
            print(f"  done in {record['runner_wall_time_s']:.1f} s → {Path(args.output) / notebook.name}", flush=True)
        except Exception as err:  # report every notebook, then fail at the end
            failures.append(notebook.stem)
            print(f"  FAILED: {failure_message(err)}")

    from course.records import collect_results
    from course.report import write_results

    records = collect_results(build / "results")
    (build / "results.json").write_text(json.dumps(records, indent=2))
    table = write_results(build, records, {"command": "make run", "profile": args.profile, "failures": failures})
    print(f"Results table: {table}")
    if failures:
        print(f"Failed: {', '.join(failures)} (see the executed copies in {args.output})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
