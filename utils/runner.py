"""Run notebooks headless with papermill: ``python -m utils.runner --profile full --nb 01``.

Executed copies go to ``build/executed/``, recorded numbers to ``build/results/`` and the
gathered table to ``build/results.json`` and ``build/results.md``. ``notebooks/`` is only read.
A ``-p NAME VALUE`` that the notebook's parameters cell does not declare is refused.
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO_ROOT / "notebooks"
BUILD = REPO_ROOT / "build"


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


def execute(notebook: Path, parameters: dict[str, Any], output_dir: Path) -> float:
    """Execute one notebook into ``output_dir``; return its wall time in seconds."""
    import papermill

    output_dir.mkdir(parents=True, exist_ok=True)
    output = output_dir / notebook.name
    if output.resolve().parent == NOTEBOOKS.resolve():
        raise RunnerError("refusing to write executed notebooks into notebooks/.")
    start = time.perf_counter()
    papermill.execute_notebook(
        str(notebook), str(output), parameters=parameters, kernel_name="python3",
        cwd=str(NOTEBOOKS), progress_bar=False, log_output=False,
    )
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nb", nargs="*", default=[], help="notebooks to run (default: all)")
    parser.add_argument("--profile", default="full", help="full (default) or smoke")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"))
    parser.add_argument("--output", default=str(BUILD / "executed"), help="where executed copies go")
    args = parser.parse_args(argv)

    from utils.profiles import PROFILES

    if args.profile not in PROFILES:
        raise RunnerError(f"unknown PROFILE={args.profile!r}; allowed: {', '.join(PROFILES)}.")
    extra = {name: parse_value(value) for name, value in args.parameter}
    if "profile" in extra:
        raise RunnerError("set the profile with PROFILE=..., not -p profile.")
    notebooks = select_notebooks(args.nb)
    parameters = {"profile": args.profile, **extra}
    for notebook in notebooks:
        check_parameters(notebook, parameters)

    results = BUILD / "results"
    os.environ["COURSE_RESULTS_DIR"] = str(results)
    failures = []
    for notebook in notebooks:
        print(f"▶ {notebook.stem} [{args.profile}] ...", flush=True)
        try:
            seconds = execute(notebook, parameters, Path(args.output))
            print(f"  done in {seconds:.1f} s → {Path(args.output) / notebook.name}", flush=True)
        except Exception as err:  # report every notebook, then fail at the end
            failures.append(notebook.stem)
            print(f"  FAILED: {type(err).__name__}: {str(err).strip().splitlines()[-1] if str(err).strip() else ''}")

    from utils.results import collect_results

    collect_results(results, BUILD / "results.json", BUILD / "results.md")
    print(f"Results table: {BUILD / 'results.md'}")
    if failures:
        print(f"Failed: {', '.join(failures)} (see the executed copies in {args.output})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
