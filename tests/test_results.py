"""The results recorder, and gathering its records into `build/results.md`."""

import json

from course.records import collect_results
from course.report import write_results
from utils.profiles import resolve_profile
from utils.results import record_results

SIZES = {"epochs": {"full": 3, "class": 2, "smoke": 1}}


def test_record_then_collect(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path / "results"))
    cfg = resolve_profile("99_demo", "smoke", 5, SIZES)
    record_results(cfg, test_accuracy=0.91234567)
    record_results(cfg, train_time_s=12.5)
    saved = json.loads((tmp_path / "results" / "99_demo.json").read_text())
    assert saved["metrics"] == {"test_accuracy": 0.9123, "train_time_s": 12.5}
    assert saved["profile"] == "smoke" and saved["seed"] == 5 and saved["backend"]
    assert saved["wall_time_s"] >= 0 and saved["keras"] and "data" not in saved
    (tmp_path / "results" / "broken.json").write_text("{not json")
    records = collect_results(tmp_path / "results")
    assert [r["notebook"] for r in records] == ["99_demo"]
    table = write_results(tmp_path, records, {"command": "make run", "profile": "smoke"}).read_text()
    assert "# Results of `make run`" in table
    assert "| 99_demo | test_accuracy | 0.9123 | 5 |" in table and "| 99_demo | train_time_s | 12.5 | 5 |" in table


def test_data_sources_are_recorded_only_when_given(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    cfg = resolve_profile("99_demo", "smoke", 5, SIZES)
    record_results(cfg, data_sources={"CIFAR-10": "course mirror subset: 10 train / 1 test"}, test_accuracy=0.5)
    record_results(cfg, data_sources={"IMDB": "full"}, test_loss=0.7)
    saved = json.loads((tmp_path / "99_demo.json").read_text())
    assert saved["data"] == {"CIFAR-10": "course mirror subset: 10 train / 1 test", "IMDB": "full"}
    assert saved["metrics"] == {"test_accuracy": 0.5, "test_loss": 0.7}


def test_a_new_run_replaces_the_old_record(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    record_results(resolve_profile("99_demo", "smoke", 5, SIZES), old_metric=1)
    record_results(resolve_profile("99_demo", "smoke", 5, SIZES), new_metric=2)
    saved = json.loads((tmp_path / "99_demo.json").read_text())
    assert saved["metrics"] == {"new_metric": 2}
