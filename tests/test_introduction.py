"""Notebook 00: the published numbers it tabulates, and the claims its prose makes about them."""

import json

import pytest

from tests.nbtools import notebook_namespace, notebook_path
from utils.exercises import introduction as checks

nb = notebook_namespace("00")
TOP5 = {year: error for year, (_, _, error) in nb["ILSVRC_TOP5_ERROR"].items()}
KIND = {year: kind for year, (_, kind, _) in nb["ILSVRC_TOP5_ERROR"].items()}


def _markdown() -> str:
    cells = json.loads(notebook_path("00").read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_published_ilsvrc_numbers():
    # Russakovsky et al. 2015 and the winners' papers; the exercise checks use the same figures.
    assert TOP5 == {2010: 28.2, 2011: 25.8, 2012: 15.3, 2013: 11.7, 2014: 6.7, 2015: 3.57}
    assert TOP5 == checks._ILSVRC_TOP5 and nb["HUMAN_TOP5_ERROR"] == checks._HUMAN_TOP5 == 5.1
    assert [y for y in TOP5 if KIND[y] == "deep"][0] == checks._FIRST_DEEP_WINNER == 2012


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
    for figure in ("97.35 %", "97.53 %", "99.20 %", "13,233", "5,749", "6,000 pairs"):
        assert figure in text
    deepface, cropped, whole = 100 - 97.35, 100 - 97.53, 100 - 99.20
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
