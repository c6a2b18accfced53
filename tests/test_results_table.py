"""`make results`: seeds per notebook, mean ± spread, the data-source mark, and CIFAR-10's source."""

import json

import pytest

from course import records, report, results_table, runner
from utils import data
from utils.claims import claim
from utils.profiles import resolve_profile
from utils.results import SUMMARY_NAME, record_results
from utils.stats import format_metric, spread


def _record(notebook, seed, accuracy, wall, data_sources=None):
    record = {"notebook": notebook, "seed": seed, "profile": "full", "metrics": {"test_accuracy": accuracy},
              "runner_wall_time_s": wall, "backend": "tensorflow", "tensorflow": "2.x", "keras": "3.x",
              "numpy": "2.x", "python": "3.11", "device": "cpu (2 cores)"}
    if data_sources:
        record["data"] = data_sources
    return record


def test_mean_and_sample_spread_over_seeds():
    rows = records.aggregate([_record("07_cnn", s, a, w) for s, a, w in
                                    [(42, 0.60, 100.0), (43, 0.62, 110.0), (44, 0.64, 120.0)]])
    stats = rows[0]["metrics"]["test_accuracy"]
    assert stats["mean"] == pytest.approx(0.62) and stats["sd"] == pytest.approx(0.02)  # sample s.d.
    assert (stats["min"], stats["max"], stats["n"]) == (0.60, 0.64, 3)
    assert format_metric(stats) == "0.6200 ± 0.0200 [0.6000–0.6400]"
    assert rows[0]["wall_time_s"]["mean"] == pytest.approx(110.0) and rows[0]["seeds"] == [42, 43, 44]
    assert format_metric(spread([7])) == "7"


def test_table_marks_cifar10_from_the_mirror_subset():
    mirror = {"CIFAR-10": "course mirror subset: 10,000 train / 1,000 test"}
    full = {"CIFAR-10": "full data (Keras): 50,000 train / 10,000 test"}
    rows = records.aggregate([_record("07_cnn", 42, 0.6, 1.0, mirror), _record("08_full", 42, 0.7, 1.0, full),
                                    _record("02_mlp", None, 0.9, 1.0)])
    meta = {"date": "d", "hardware": "h", "total_s": 60, "load_before": "1", "load_after": "1",
            "profile": "full", "seeds": [42, 43, 44]}
    table = report.render_markdown(rows, meta)
    line = {row.split("|")[1].strip(): row for row in table.splitlines() if row.startswith("| 0")}
    assert "CIFAR-10†: course mirror subset: 10,000 train" in line["07_cnn"]
    assert "†" not in line["08_full"] and "50,000 train" in line["08_full"]
    assert line["02_mlp"].rstrip().endswith("| — |") and "| default |" in line["02_mlp"]
    assert "mean ± sample standard deviation" in table and "10,000-image training" in table


def test_main_runs_each_seed_and_writes_the_table(tmp_path, monkeypatch):
    """The orchestration, with papermill replaced by a fake kernel that records like a notebook would.

    Two notebooks: the first made multi-seed (both branches of seeds_for run), the second not.
    """
    monkeypatch.setattr(runner, "BUILD", tmp_path)
    notebooks = runner.list_notebooks()
    with_claims = next(p for p in notebooks if results_table.makes_claims(p))
    assert results_table.seeds_for(with_claims, [1, 2]) == [1, 2]  # a notebook that checks claims: every seed
    # Every training notebook checks claims now: the two below are run as if they did not, so that
    # MULTI_SEED alone decides their seeds (both branches of seeds_for).
    multi, single = notebooks[1], notebooks[0]
    monkeypatch.setattr(results_table, "makes_claims", lambda notebook: False)
    monkeypatch.setattr(results_table, "MULTI_SEED", (multi.stem[:2],))
    calls = []

    def fake_execute(notebook, parameters, output):
        calls.append((notebook.stem, parameters.get("seed")))
        cfg = resolve_profile(notebook.stem, None, parameters.get("seed", 42), {})
        record_results(cfg, test_accuracy=cfg.seed / 100)
        output.mkdir(parents=True, exist_ok=True)
        (output / notebook.name).write_text("{}")
        return 1.5

    monkeypatch.setattr(runner, "execute", fake_execute)
    assert results_table.main(["--nb", multi.stem, single.stem, "--profile", "smoke", "--seeds", "1", "2"]) == 0
    assert calls == [(multi.stem, 1), (multi.stem, 2), (single.stem, None)]
    summary = json.loads((tmp_path / SUMMARY_NAME).read_text())
    rows = {row["notebook"]: row for row in summary["rows"]}
    assert rows[multi.stem]["seeds"] == [1, 2] and rows[single.stem]["seeds"] == [42]
    accuracy = rows[multi.stem]["metrics"]["test_accuracy"]
    assert accuracy["n"] == 2 and accuracy["mean"] == pytest.approx(0.015) and accuracy["sd"] > 0
    assert {row["profile"] for row in summary["rows"]} == {"smoke"}
    backend = summary["rows"][0]["backend"]
    assert (tmp_path / records.backend_summary_name("smoke", backend)).read_text() == json.dumps(summary, indent=2)
    # the first seed's record and executed copy where `make run` puts them, the other seeds apart
    assert json.loads((tmp_path / "results" / f"{multi.stem}.json").read_text())["seed"] == 1
    other = tmp_path / "results_runs" / f"{multi.stem}_seed2" / f"{multi.stem}.json"
    assert json.loads(other.read_text())["seed"] == 2
    assert (tmp_path / "executed" / multi.name).exists() and (tmp_path / "executed_seeds" / "seed2" / multi.name).exists()
    table = (tmp_path / "results.md").read_text()
    assert f"| {multi.stem} | test_accuracy | {format_metric(accuracy)} | 1, 2 |" in table
    assert f"| {single.stem} | test_accuracy | 0.4200 | 42 |" in table  # once, with its own seed


def test_cifar10_source_and_record(tmp_path, monkeypatch, mirror):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))  # an empty Keras cache: the mirror is used
    monkeypatch.setattr(data, "DATA_SOURCES", {})  # this process's record, restored afterwards
    assert data.cifar10_source() == "mirror"
    (x_train, _), (x_test, _) = data.load_cifar10()
    assert data.DATA_SOURCES["CIFAR-10"] == f"course mirror subset: {len(x_train):,} train / {len(x_test):,} test"
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path / "results"))
    record_results(resolve_profile("99_demo", "smoke", 1, {}),
                   data_sources=data.DATA_SOURCES, test_accuracy=0.5)
    saved = json.loads((tmp_path / "results" / "99_demo.json").read_text())
    assert saved["data"]["CIFAR-10"].startswith("course mirror subset")
    monkeypatch.delenv("COURSE_DATA_MIRROR")
    assert data.cifar10_source() == "keras"


def _summary(backend, accuracy, wall):
    record = dict(_record("07_cnn", 42, accuracy, wall), backend=backend)
    meta = {"date": "2026-11-23 05:00 UTC", "hardware": "test CPU, 2 cores", "total_s": 60.0, "failures": []}
    return {"meta": meta, "rows": records.aggregate([record])}


def test_backend_comparison_has_a_column_per_backend_and_the_spread(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "BUILD", tmp_path)
    with pytest.raises(runner.RunnerError, match="BACKEND=<backend>"):
        results_table.main(["--compare-backends", "--profile", "smoke"])
    for backend, accuracy, wall in [("jax", 0.61, 30.5), ("tensorflow", 0.6, 20.0), ("torch", 0.55, 25.0)]:
        name = records.backend_summary_name("smoke", backend)
        (tmp_path / name).write_text(json.dumps(_summary(backend, accuracy, wall)))
    assert results_table.main(["--compare-backends", "--profile", "smoke"]) == 0
    table = (tmp_path / "results_backends.md").read_text()
    assert "| notebook | number | tensorflow | jax | torch | spread |" in table  # TensorFlow, the default, first
    assert "| 07_cnn | test_accuracy | 0.6000 | 0.6100 | 0.5500 | 0.0600 |" in table
    assert "| 07_cnn | wall time (s) | 20.0 | 30.5 | 25.0 | 10.5 |" in table


def test_whole_numbers_and_wall_times_are_formatted_plainly():
    assert format_metric(spread([9000, 9000, 9000])) == "9000"
    assert format_metric(spread([5.7]), digits=1) == "5.7"
    assert format_metric(spread([12.0, 10.8]), digits=1) == "11.4 ± 0.8 [10.8–12.0]"
    assert format_metric(spread([15, 5, 32])) == "17.3 ± 13.7 [5.0–32.0]"


def test_class_profile_runs_go_under_build_class_and_its_table_names_full_only_claims(tmp_path, monkeypatch):
    """`make results PROFILE=class` leaves the full profile's tables and executed copies alone."""
    monkeypatch.setattr(runner, "BUILD", tmp_path)
    notebook = next(p for p in runner.list_notebooks() if results_table.makes_claims(p))

    def fake_execute(notebook, parameters, output):
        cfg = resolve_profile(notebook.stem, None, parameters.get("seed", 42), {})
        claim(cfg, "A beats B", cfg.seed != 43, full_only="needs the full data")
        claim(cfg, "C holds", True)
        record_results(cfg, test_accuracy=0.5)
        output.mkdir(parents=True, exist_ok=True)
        (output / notebook.name).write_text("{}")
        return 1.0

    monkeypatch.setattr(runner, "execute", fake_execute)
    assert results_table.main(["--nb", notebook.stem, "--profile", "class"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class"]  # nothing of the full profile's touched
    root = tmp_path / "class"
    assert {row["profile"] for row in json.loads((root / SUMMARY_NAME).read_text())["rows"]} == {"class"}
    assert (root / "executed" / notebook.name).exists()
    table = (root / "results.md").read_text()
    assert f"| {notebook.stem} | A beats B | full-only (needs the full data); held in 2/3 runs |" in table
    assert f"| {notebook.stem} | C holds | 3/3 runs |" in table
