"""Headless runs: typos in parameters are refused, outputs go under build/, notebooks stay untouched."""

import hashlib
import json
import os

import pytest

from course import runner
from utils.profiles import resolve_profile
from utils.results import record_results


def test_misspelt_parameter_is_refused():
    first = runner.list_notebooks()[0]
    with pytest.raises(SystemExit, match=r"does not declare the parameter\(s\) epochz.*Its parameters are: profile, seed"):
        runner.main(["--nb", first.stem, "--profile", "smoke", "-p", "epochz", "3"])


def test_unknown_profile_and_notebook_are_refused():
    with pytest.raises(SystemExit, match="unknown PROFILE='fast'"):
        runner.main(["--profile", "fast"])
    with pytest.raises(SystemExit, match="no single notebook matches NB='42'"):
        runner.main(["--nb", "42"])


def test_parse_value():
    assert runner.parse_value("5") == 5 and runner.parse_value("0.5") == 0.5
    assert runner.parse_value("None") is None and runner.parse_value("relu") == "relu"


def test_run_notebook_passes_profile_and_results_folder_to_the_kernel_then_restores_them(tmp_path, monkeypatch):
    """papermill replaced by a fake kernel that resolves its profile and records like a notebook."""
    monkeypatch.setenv("COURSE_PROFILE", "full")
    monkeypatch.delenv("COURSE_RESULTS_DIR", raising=False)
    seen = {}

    def fake_execute(notebook, parameters, output):
        seen.update(parameters=dict(parameters), results=os.environ.get("COURSE_RESULTS_DIR"))
        cfg = resolve_profile(notebook.stem, None, parameters.get("seed", 42), {})
        record_results(cfg, accuracy=0.75)
        return 2.5

    monkeypatch.setattr(runner, "execute", fake_execute)
    notebook = runner.list_notebooks()[0]
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / f"{notebook.stem}.json").write_text('{"metrics": {"stale": 1}}')
    record = runner.run_notebook(notebook, "smoke", tmp_path / "results", {"seed": 7}, tmp_path / "executed")
    assert seen == {"parameters": {"seed": 7}, "results": str(tmp_path / "results")}
    assert record["profile"] == "smoke" and record["seed"] == 7 and record["metrics"] == {"accuracy": 0.75}
    assert record["runner_wall_time_s"] == 2.5
    assert json.loads((tmp_path / "results" / f"{notebook.stem}.json").read_text()) == record
    assert os.environ["COURSE_PROFILE"] == "full" and "COURSE_RESULTS_DIR" not in os.environ


def test_a_failed_run_returns_no_previous_numbers(tmp_path, monkeypatch):
    def crashing_execute(notebook, parameters, output):
        raise RuntimeError("cell 3 failed")

    monkeypatch.setattr(runner, "execute", crashing_execute)
    notebook = runner.list_notebooks()[0]
    stale = tmp_path / f"{notebook.stem}.json"
    stale.write_text('{"metrics": {"accuracy": 0.9}}')
    with pytest.raises(RuntimeError):
        runner.run_notebook(notebook, "smoke", tmp_path)
    assert not stale.exists()


def test_smoke_run_writes_executed_copy_and_results(smoke_run_00):
    """`make run NB=00 PROFILE=smoke` (the session's shared run): executed copy, records and table; source untouched."""
    assert smoke_run_00.status == 0
    assert smoke_run_00.executed.exists()
    stem = smoke_run_00.source.stem
    records = json.loads((smoke_run_00.build / "results.json").read_text())
    assert [r["notebook"] for r in records] == [stem] and records[0]["profile"] == "smoke"
    assert f"| {stem} |" in (smoke_run_00.build / "results.md").read_text()
    assert hashlib.sha256(smoke_run_00.source.read_bytes()).hexdigest() == smoke_run_00.source_sha256_before


def test_class_profile_runs_have_their_own_build_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "BUILD", tmp_path)
    assert runner.build_root("full") == runner.build_root("smoke") == tmp_path
    assert runner.build_root("class") == tmp_path / "class"

    def fake_execute(notebook, parameters, output):
        record_results(resolve_profile(notebook.stem, None, 42, {}), accuracy=0.5)
        return 1.0

    monkeypatch.setattr(runner, "execute", fake_execute)
    stem = runner.list_notebooks()[0].stem
    assert runner.main(["--nb", stem, "--profile", "class"]) == 0
    assert json.loads((tmp_path / "class" / "results" / f"{stem}.json").read_text())["profile"] == "class"
    assert (tmp_path / "class" / "results.md").exists() and not (tmp_path / "results.md").exists()
