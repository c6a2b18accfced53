"""Run profiles: resolution order and clear errors for bad input."""

import pytest

from tests.nbtools import NOTEBOOKS, profile_sizes
from utils.profiles import PROFILE_ENV, PROFILES, ProfileError, resolve_profile, start_notebook

SIZES = {
    "epochs":  {"full": 20,     "class": 5,     "smoke": 2},
    "n_train": {"full": 50_000, "class": 5_000, "smoke": 500},
    "lr":      {"full": 0.1,    "class": 0.1,   "smoke": 0.1},
}


def test_none_keeps_profile_sizes(monkeypatch):
    monkeypatch.delenv(PROFILE_ENV, raising=False)
    cfg = resolve_profile("nb", None, 1, SIZES, epochs=None)
    assert (cfg.profile, cfg.epochs, cfg.n_train) == ("full", 20, 50_000)


def test_environment_picks_profile_and_explicit_value_wins(monkeypatch):
    monkeypatch.setenv(PROFILE_ENV, "smoke")
    assert resolve_profile("nb", None, 1, SIZES).epochs == 2
    assert resolve_profile("nb", "full", 1, SIZES).epochs == 20
    monkeypatch.setenv(PROFILE_ENV, "class")
    assert resolve_profile("nb", None, 1, SIZES).n_train == 5_000


def test_knob_overrides_profile():
    assert resolve_profile("nb", "smoke", 1, SIZES, epochs=7).epochs == 7


@pytest.mark.parametrize("bad", ["fast", "Full", ""])
def test_unknown_profile_names_allowed_values(bad):
    with pytest.raises(ProfileError, match=r"Unknown profile.*'full', 'class', 'smoke'"):
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


@pytest.mark.parametrize("row, message", [
    ({"epochs": {"full": 3, "smoke": 1}}, r"`epochs` must give one value for each profile.*missing \['class'\]"),
    ({"epochs": {"full": 3, "class": 2, "smoke": 1, "fast": 1}}, r"`epochs`.*unknown profile\(s\) \['fast'\]"),
    ({"epochs": 3}, r"SIZES\['epochs'\] must map each profile to a value"),
])
def test_a_sizes_table_with_a_hole_or_a_stray_column_is_refused(row, message):
    with pytest.raises(ProfileError, match=message):
        resolve_profile("nb", "full", 1, row)


def test_start_notebook_reads_the_parameters_and_prints_the_config(capsys):
    params = {"profile": "smoke", "seed": 7, "epochs": None, "n_train": 64, "lr": None, "unrelated": 1}
    cfg = start_notebook("01_demo", SIZES, params)
    assert (cfg.profile, cfg.seed, cfg.epochs, cfg.n_train, cfg.lr) == ("smoke", 7, 2, 64, 0.1)
    assert capsys.readouterr().out.strip() == str(cfg)


def test_start_notebook_names_a_knob_missing_from_the_parameters_cell():
    with pytest.raises(ProfileError, match=r"does not set \['lr'\].*`lr = None`"):
        start_notebook("01_demo", SIZES, {"profile": "smoke", "seed": 7, "epochs": None, "n_train": None})


@pytest.mark.parametrize("stem", sorted(p.stem[:2] for p in NOTEBOOKS.glob("*.ipynb")))
def test_every_notebook_sizes_every_knob_for_every_profile(stem):
    """Read as data from the notebook's profile-sizes cell: full ≥ class ≥ smoke > 0 for every knob."""
    sizes = profile_sizes(stem)
    for knob, per_profile in sizes.items():
        assert set(per_profile) == set(PROFILES), knob
        assert per_profile["full"] >= per_profile["class"] >= per_profile["smoke"] > 0, knob
