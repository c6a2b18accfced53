"""Notebook 00: the published numbers it tabulates, and the claims its prose makes about them."""

import ast
import json

import pytest

from tests.nbtools import notebook_namespace, notebook_path
from utils.exercises import introduction as checks

nb = notebook_namespace("00")
TOP5 = {year: error for year, (_, _, error) in nb["ILSVRC_TOP5_ERROR"].items()}
KIND = {year: kind for year, (_, kind, _) in nb["ILSVRC_TOP5_ERROR"].items()}


def _cells(kind: str) -> list[str]:
    cells = json.loads(notebook_path("00").read_text())["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == kind]


def _markdown() -> str:
    return "\n".join(_cells("markdown"))


def _lfw_accuracy() -> dict[str, float]:
    """The notebook's LFW_ACCURACY table, read from its (untagged) chart cell."""
    for source in _cells("code"):
        for node in ast.parse(source).body:
            if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["LFW_ACCURACY"]:
                return ast.literal_eval(node.value)
    raise AssertionError("notebook 00 defines no LFW_ACCURACY")


def test_published_ilsvrc_numbers():
    # Russakovsky et al. 2015 and the winners' papers.
    assert TOP5 == {2010: 28.2, 2011: 25.8, 2012: 15.3, 2013: 11.7, 2014: 6.7, 2015: 3.57}
    assert nb["HUMAN_TOP5_ERROR"] == 5.1


def test_exercise_checks_accept_the_answers_read_off_the_notebooks_tables():
    """The checks hold their own copy of the figures: it must agree with the notebook's."""
    first_deep = min(year for year in TOP5 if KIND[year] == "deep")
    first_below_human = min(year for year in TOP5 if TOP5[year] < nb["HUMAN_TOP5_ERROR"])
    assert checks.check_error_factor(TOP5[2011] / TOP5[2015]) is True
    assert checks.check_first_deep_year(first_deep) is True and checks.check_first_deep_year(first_deep - 1) is False
    assert checks.check_first_below_human(first_below_human) is True
    assert checks.check_first_below_human(first_below_human - 1) is False
    wrong_pairs = 6000 * (100 - _lfw_accuracy()["DeepFace (2014)"]) / 100  # LFW's 6,000 test pairs
    assert checks.check_deepface_wrong_pairs(round(wrong_pairs)) is True
    assert checks.check_deepface_wrong_pairs(round(wrong_pairs) + 2) is False


def test_every_number_in_the_markdown_table_matches_the_code():
    text = _markdown()
    for year, error in TOP5.items():
        shown = f"{error:.1f} %"
        assert f"| {year} |" in text and shown in text, (year, shown)
    assert "16.4 %" in text  # AlexNet without the extra training data, named as such


def test_claims_about_the_ilsvrc_chart():
    assert 6.5 < TOP5[2011] / TOP5[2015] < 7.5  # "about 7-fold in four years"
    assert TOP5[2010] - TOP5[2011] == pytest.approx(2.4)  # "differ by 2.4 points"
    assert TOP5[2011] - TOP5[2012] > 10  # "more than 10 points in one year"
    years = sorted(TOP5)
    assert all(TOP5[a] > TOP5[b] for a, b in zip(years, years[1:]))  # "fell every year"
    assert 0.2 < 1 - TOP5[2013] / TOP5[2012] < 0.3  # "about a quarter in 2013"
    assert all(0.4 < 1 - TOP5[y] / TOP5[y - 1] < 0.5 for y in (2014, 2015))  # "almost half"
    assert TOP5[2014] > nb["HUMAN_TOP5_ERROR"] > TOP5[2015]  # below the human only in 2015


def test_claims_about_lfw():
    text = _markdown()
    accuracy = _lfw_accuracy()
    for value in accuracy.values():
        assert f"{value:.2f} %" in text, value  # the prose quotes the chart's numbers
    for figure in ("13,233", "5,749", "6,000 pairs"):
        assert figure in text
    error = {name: 100 - value for name, value in accuracy.items()}
    deepface, cropped = error["DeepFace (2014)"], error["humans, tightly cropped faces"]
    whole = error["humans, whole photos"]
    assert f"{deepface:.2f} % against {cropped:.2f} %" in text  # the errors the prose compares
    assert deepface > cropped  # DeepFace still a little behind humans on cropped faces
    assert whole / cropped == pytest.approx(1 / 3, abs=0.02)  # "a third as many mistakes"


def test_history_table_uses_publication_years():
    text = _markdown()
    for row in ("| 1943 |", "| 1958 |", "| 1969 |", "| 1986 |", "| 1997 |", "| 2012 |"):
        assert row in text
    assert "| 1960s |" not in text  # the course notes' dating of McCulloch-Pitts and the perceptron


def test_the_map_has_a_line_and_link_per_notebook():
    from utils.collection import collection_map, list_collection

    table = collection_map()
    for info in list_collection():
        assert f"[{info['stem']}]({info['stem']}.ipynb)" in table


def test_the_smoke_run_records_the_numbers_the_exercises_expect(smoke_run_00):
    """The executed notebook (shared session run) records the factor the exercise check accepts."""
    from utils.collection import list_collection

    assert smoke_run_00.status == 0
    recorded = json.loads((smoke_run_00.build / "results" / f"{smoke_run_00.source.stem}.json").read_text())
    metrics = recorded["metrics"]
    assert checks.check_error_factor(metrics["ilsvrc_error_reduction_2011_to_2015"]) is True
    assert metrics["notebooks_in_collection"] == len(list_collection())
