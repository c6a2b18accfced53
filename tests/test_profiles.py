"""Run profiles: resolution order and clear errors for bad input."""

import pytest

from utils.profiles import PROFILE_ENV, ProfileError, resolve_profile

SIZES = {"full": {"epochs": 20, "n_train": 50_000, "lr": 0.1}, "smoke": {"epochs": 2, "n_train": 500, "lr": 0.1}}


def test_none_keeps_profile_sizes(monkeypatch):
    monkeypatch.delenv(PROFILE_ENV, raising=False)
    cfg = resolve_profile("nb", None, 1, SIZES, epochs=None)
    assert (cfg.profile, cfg.epochs, cfg.n_train) == ("full", 20, 50_000)


def test_environment_picks_profile_and_explicit_value_wins(monkeypatch):
    monkeypatch.setenv(PROFILE_ENV, "smoke")
    assert resolve_profile("nb", None, 1, SIZES).epochs == 2
    assert resolve_profile("nb", "full", 1, SIZES).epochs == 20


def test_knob_overrides_profile():
    assert resolve_profile("nb", "smoke", 1, SIZES, epochs=7).epochs == 7


@pytest.mark.parametrize("bad", ["fast", "Full", ""])
def test_unknown_profile_names_allowed_values(bad):
    with pytest.raises(ProfileError, match=r"Unknown profile.*'full', 'smoke'"):
        resolve_profile("nb", bad, 1, SIZES)


def test_unknown_profile_from_environment_says_so(monkeypatch):
    monkeypatch.setenv(PROFILE_ENV, "quick")
    with pytest.raises(ProfileError, match=PROFILE_ENV):
        resolve_profile("nb", None, 1, SIZES)


@pytest.mark.parametrize("value", [0, -3])
def test_non_positive_size_names_the_parameter(value):
    with pytest.raises(ProfileError, match=r"`epochs` must be positive"):
        resolve_profile("nb", "full", 1, SIZES, epochs=value)


def test_wrong_type_and_unknown_knob_and_bad_seed():
    with pytest.raises(ProfileError, match="`epochs` must be a whole number"):
        resolve_profile("nb", "full", 1, SIZES, epochs=2.5)
    with pytest.raises(ProfileError, match=r"Unknown parameter\(s\) \['epoch'\]"):
        resolve_profile("nb", "full", 1, SIZES, epoch=3)
    with pytest.raises(ProfileError, match="`seed`"):
        resolve_profile("nb", "full", -1, SIZES)


def test_config_reports_itself():
    cfg = resolve_profile("01_demo", "smoke", 3, SIZES)
    text = str(cfg)
    assert "profile=smoke" in text and "seed=3" in text and "epochs=2" in text and "backend=" in text
    with pytest.raises(AttributeError, match="no setting 'batch'"):
        cfg.batch
