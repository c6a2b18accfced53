"""The results recorder and the gathered table."""

import json

from utils.profiles import resolve_profile
from utils.results import collect_results, record_results

SIZES = {"epochs": {"full": 3, "smoke": 1}}


def test_record_then_collect(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path / "results"))
    cfg = resolve_profile("99_demo", "smoke", 5, SIZES)
    record_results(cfg, test_accuracy=0.91234567)
    record_results(cfg, train_time_s=12.5)
    saved = json.loads((tmp_path / "results" / "99_demo.json").read_text())
    assert saved["metrics"] == {"test_accuracy": 0.9123, "train_time_s": 12.5}
    assert saved["profile"] == "smoke" and saved["seed"] == 5 and saved["backend"]
    assert saved["wall_time_s"] >= 0 and saved["keras"]
    records = collect_results(tmp_path / "results", tmp_path / "all.json", tmp_path / "all.md")
    assert len(records) == 1
    table = (tmp_path / "all.md").read_text()
    assert "| 99_demo | test_accuracy | 0.9123 |" in table


def test_a_new_run_replaces_the_old_record(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    record_results(resolve_profile("99_demo", "smoke", 5, SIZES), old_metric=1)
    record_results(resolve_profile("99_demo", "smoke", 5, SIZES), new_metric=2)
    saved = json.loads((tmp_path / "99_demo.json").read_text())
    assert saved["metrics"] == {"new_metric": 2}
