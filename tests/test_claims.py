"""claim(): prints the verdict with the numbers, says what a ✘ means, and lands in the run's record."""

import json

import numpy as np

from utils.claims import claim, claims_of
from utils.profiles import resolve_profile
from utils.results import record_results

SIZES = {"epochs": {"full": 3, "class": 2, "smoke": 1}}


def test_a_claim_that_holds_prints_a_tick_and_its_numbers(capsys):
    cfg = resolve_profile("99_demo", "full", 0, SIZES)
    steps_momentum, steps_sgd = 12, 40
    assert claim(cfg, "momentum needs fewer steps", steps_momentum < steps_sgd, momentum=steps_momentum, sgd=steps_sgd) is True
    out = capsys.readouterr().out
    assert out.startswith("✔ momentum needs fewer steps") and "momentum=12" in out and "sgd=40" in out
    assert "✘" not in out


def test_a_claim_that_fails_prints_a_cross_and_what_it_means(capsys):
    cfg = resolve_profile("99_demo", "full", 0, SIZES)
    ratio = np.float64(4.25)
    assert claim(cfg, "the ratio stays below 3", ratio < 3, ratio=ratio) is False
    out = capsys.readouterr().out
    assert out.startswith("✘ the ratio stays below 3 (ratio=4.25)")
    assert "did not show in this run" in out and "another seed" in out


def test_smoke_verdicts_are_information_only(capsys):
    cfg = resolve_profile("99_demo", "smoke", 0, SIZES)
    assert claim(cfg, "deep sigmoid gradients vanish", False, ratio=0.5) is False  # returned, never raised
    out = capsys.readouterr().out
    assert "✘ deep sigmoid gradients vanish" in out and "judged at full size" in out
    assert "did not show in this run" not in out


def test_claims_are_kept_on_the_config_and_recorded(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    cfg = resolve_profile("99_demo", "full", 0, SIZES)
    claim(cfg, "first", True, accuracy=np.float32(0.75))
    claim(cfg, "second", np.bool_(False), count=np.int64(3))
    assert [c["sentence"] for c in claims_of(cfg)] == ["first", "second"]
    record_results(cfg, accuracy=0.75)
    saved = json.loads((tmp_path / "99_demo.json").read_text())
    assert saved["claims"] == [
        {"sentence": "first", "held": True, "numbers": {"accuracy": 0.75}},
        {"sentence": "second", "held": False, "numbers": {"count": 3}},
    ]


def test_a_run_without_claims_records_none(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    record_results(resolve_profile("99_demo", "full", 0, SIZES), accuracy=0.5)
    assert "claims" not in json.loads((tmp_path / "99_demo.json").read_text())


REASON = "the 0.90 accuracy needs the full data"


def test_full_profile_ignores_full_only_and_judges_the_claim(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    cfg = resolve_profile("99_demo", "full", 0, SIZES)
    assert claim(cfg, "accuracy reaches 0.90", False, full_only=REASON, accuracy=0.85) is False
    out = capsys.readouterr().out
    assert "did not show in this run" in out and "full-only" not in out and REASON not in out
    assert claims_of(cfg) == [{"sentence": "accuracy reaches 0.90", "held": False, "numbers": {"accuracy": 0.85}}]


def test_class_profile_prints_the_verdict_then_the_reason_and_records_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    cfg = resolve_profile("99_demo", "class", 0, SIZES)
    assert claim(cfg, "accuracy reaches 0.90", False, full_only=REASON, accuracy=0.85) is False
    verdict, note = capsys.readouterr().out.splitlines()
    assert verdict == "✘ accuracy reaches 0.90 (accuracy=0.85)"
    assert note.strip() == f"(full-only: {REASON}; this lesson is judged on the full profile)"
    record_results(cfg, accuracy=0.85)
    saved = json.loads((tmp_path / "99_demo.json").read_text())
    assert saved["claims"] == [{"sentence": "accuracy reaches 0.90", "held": False, "numbers": {"accuracy": 0.85},
                                "full_only": REASON}]


def test_class_profile_judges_unmarked_claims_like_the_full_profile(capsys):
    cfg = resolve_profile("99_demo", "class", 0, SIZES)
    assert claim(cfg, "the ratio stays below 3", False, ratio=4.0) is False
    out = capsys.readouterr().out
    assert "did not show in this run" in out and "full-only" not in out and "judged at full size" not in out
    assert "full_only" not in claims_of(cfg)[0]


def test_smoke_profile_ignores_full_only(capsys):
    cfg = resolve_profile("99_demo", "smoke", 0, SIZES)
    claim(cfg, "accuracy reaches 0.90", False, full_only=REASON, accuracy=0.5)
    out = capsys.readouterr().out
    assert "judged at full size" in out and "full-only" not in out and "did not show" not in out
    assert "full_only" not in claims_of(cfg)[0]
