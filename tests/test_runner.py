"""Headless runs: typos in parameters are refused, outputs go under build/, notebooks stay untouched."""

import hashlib
import json

import pytest

from utils import runner


def _digest(paths):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


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


def test_smoke_run_writes_executed_copy_and_results(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "BUILD", tmp_path)
    before = _digest(runner.list_notebooks())
    notebook = runner.list_notebooks()[0]
    status = runner.main(["--nb", notebook.stem, "--profile", "smoke", "--output", str(tmp_path / "executed")])
    assert status == 0
    assert (tmp_path / "executed" / notebook.name).exists()
    records = json.loads((tmp_path / "results.json").read_text())
    assert [r["notebook"] for r in records] == [notebook.stem] and records[0]["profile"] == "smoke"
    assert _digest(runner.list_notebooks()) == before
