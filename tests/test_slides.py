"""Slide metadata follows the skeleton, and every notebook carries it."""

import json
from pathlib import Path

import pytest

from course import slides

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_slide_metadata_is_up_to_date(path):
    problems = slides.disagreements(json.loads(path.read_text()))
    assert not problems, (f"{path.name}: slide metadata missing or out of date; run "
                          f"`{slides.ANNOTATE_COMMAND}` and commit.\n" + "\n".join(problems))


def _cell(kind, source, tags=()):
    cell = {"cell_type": kind, "source": source, "metadata": {"tags": list(tags)} if tags else {}}
    if kind == "code":
        cell["outputs"] = []
    return cell


def test_slide_types_follow_the_skeleton():
    cells = [
        _cell("markdown", "# 99 · Title\n\n**What you will learn**\n- a"),
        _cell("code", "profile = None\nseed = 42", ["parameters"]),
        _cell("code", "seed = 1", ["injected-parameters"]),
        _cell("code", "import utils\ncfg = resolve_profile('99', profile, seed, defaults={})"),
        _cell("markdown", "## 1. A section"),
        _cell("markdown", "Some text."),
        _cell("code", "x = 1"),
        _cell("code", "def f(x):\n    return x", ["export"]),
        _cell("code", "fig, ax = plt.subplots()\nplt.show()"),
        _cell("markdown", "**What to notice.** It goes up."),
        _cell("markdown", "### A detail"),
        _cell("code", "\n".join(f"x{i} = {i}" for i in range(slides.LONG_CODE_LINES + 1))),
        _cell("markdown", "**Teacher notes.** Ask the class.", [slides.TEACHER_TAG]),
        _cell("code", "record_results(cfg, accuracy=1.0)"),
    ]
    expected = ["slide", "skip", "skip", "skip", "slide", "-", "-", "subslide", "subslide", "fragment",
                "subslide", "subslide", "notes", "skip"]
    annotated = slides.annotate({"cells": cells})
    assert [c["metadata"]["slideshow"]["slide_type"] for c in annotated["cells"]] == expected
    assert annotated["cells"][12]["metadata"]["jupyter"]["source_hidden"] is True  # collapsed in JupyterLab
    assert "slideshow" not in cells[0]["metadata"]  # the input is not modified
    assert slides.disagreements(annotated) == [] and len(slides.disagreements({"cells": cells})) == len(cells)


def test_links_between_notebooks_are_rewritten():
    html = '<a href="01_perceptron.ipynb">x</a> <a href="02_mlp.ipynb#top">y</a> <a href="https://a.b/03_x.ipynb">z</a>'
    out = slides.rewrite_notebook_links(html, ".html", {"01_perceptron", "02_mlp"})
    assert 'href="01_perceptron.html"' in out and 'href="02_mlp.html#top"' in out
    assert 'href="https://a.b/03_x.ipynb"' in out
