"""`make handouts`: one A4 page per notebook with goals, key equations, the main figure and the
exercise prompts, and nothing a student should not see (teacher notes, reference answers)."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from course import handouts
from tests.answer_leaks import exercise_topics, leaks, load_solutions
from utils.collection import notebook_info

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _png(width_in: float, height_in: float) -> str:
    """A real matplotlib PNG (base64) of the given size at 100 dpi."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=100)
    ax.plot([0, 1], [0, 1])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _with_figures(notebook: dict, figures: dict[int, str]) -> dict:
    """A copy of ``notebook`` as if executed: PNG outputs on the given code cells."""
    notebook = json.loads(json.dumps(notebook))
    for index, png in figures.items():
        assert notebook["cells"][index]["cell_type"] == "code"
        notebook["cells"][index]["outputs"] = [{"output_type": "display_data", "metadata": {},
                                               "data": {"image/png": png, "text/plain": "<Figure>"}}]
    return notebook


def _code_cells_before_exercises(notebook: dict) -> list[int]:
    found = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "markdown" and "".join(cell["source"]).startswith("## Exercises"):
            break
        if cell["cell_type"] == "code":
            found.append(index)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Handouts of every notebook; each 'executed' copy holds a tall figure (the worst case for the page)."""
    root = tmp_path_factory.mktemp("handouts")
    executed = root / "executed"
    executed.mkdir()
    tall = _png(12, 11)
    for path in NOTEBOOKS:
        notebook = json.loads(path.read_text())
        (executed / path.name).write_text(json.dumps(_with_figures(notebook, {_code_cells_before_exercises(notebook)[-1]: tall})))
    pages = handouts.build_handouts(NOTEBOOKS, executed, root / "out")
    return {p.stem: p for p in pages}


def _visible_text(page: str) -> str:
    page = re.sub(r"<script[\s\S]*?</script>|<style[\s\S]*?</style>", "", page)
    return re.sub(r'src="data:[^"]*"', "", page)


def _page(built, stem: str) -> str:
    return built[stem].read_text(encoding="utf-8")


def test_every_notebook_gets_a_page_with_its_goals_and_exercises(built):
    assert sorted(built) == [p.stem for p in NOTEBOOKS]
    for path in NOTEBOOKS:
        page, info = _page(built, path.stem), notebook_info(path)
        assert page.count("<li>") == len(info["goals"]) + len(handouts.exercise_prompts(json.loads(path.read_text())["cells"]))
        assert info["goals"] and f"{info['number']} · " in page
        assert "<h2>Exercises</h2>" in page and "<h2>What you will learn</h2>" in page, path.stem
        assert '<figure><img alt="main figure' in page


def test_no_teacher_note_and_no_answer_beyond_what_the_notebook_shows(built):
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text())["cells"]
        text = _visible_text(_page(built, path.stem))
        assert "Teacher notes" not in text, path.stem
        for cell in cells:
            if "teacher-notes" in cell["metadata"].get("tags", []):
                sentence = "".join(cell["source"]).split("**Teacher notes.**")[1].strip()[:50]
                assert sentence not in text, path.stem
        student = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
                            and "teacher-notes" not in c["metadata"].get("tags", []))
        for topic in exercise_topics(path):
            reference = load_solutions(topic).REFERENCE
            extra = set(leaks(text, reference)) - set(leaks(student, reference))
            assert not extra, f"{path.stem}'s handout gives away answers: {extra}"


def test_the_leak_check_would_see_an_answer_on_a_page(built):
    reference = load_solutions("optimizers").REFERENCE
    page = _page(built, "04_optimizers").replace("</footer>", f"answer {reference['check_max_stable_lr']}</footer>")
    assert ("check_max_stable_lr" in {c for c, _ in leaks(_visible_text(page), reference)})


def test_key_equations_rule():
    def md(text, tags=()):
        return {"cell_type": "markdown", "source": text, "metadata": {"tags": list(tags)}}

    cells = [md("# 99 · T"), md("## 1 · A\n$$a = 1$$ and $$b = 2$$"), md("## 2 · B\n$$" + "x" * 300 + "$$"),
             md("### 2.1\n$$c = 3$$"), md("**Teacher notes.** $$t = 0$$", ["teacher-notes"]),
             md("## 3 · C\n$$d = 4$$\n$$e = 5$$"), md("## Exercises\n$$f = 6$$"), md("## Summary\n$$g = 7$$")]
    assert [eq for _, eq in handouts.key_equations(cells)] == ["a = 1", "b = 2", "c = 3", "d = 4"]
    cells.append(md("## 4 · D\n$$h = 8$$"))  # a fourth section: its first equation beats a second one
    assert [eq for _, eq in handouts.key_equations(cells)] == ["a = 1", "c = 3", "d = 4", "h = 8"]
    cells.append(md("Chosen by the author: $$k = 9$$", ["handout"]))
    assert [eq for _, eq in handouts.key_equations(cells)] == ["k = 9"]


def test_exercise_prompts_are_first_paragraphs_without_teacher_notes():
    cells = [{"cell_type": "markdown", "metadata": {}, "source": s} for s in
             ["## Exercises\n\nEach check prints ✔.", "**1. One.** Do this.\n\nDetails.", "**Exercise 2 · Two.** That."]]
    cells.insert(2, {"cell_type": "markdown", "metadata": {"tags": ["teacher-notes"]}, "source": "**Teacher notes.** x"})
    assert handouts.exercise_prompts(cells) == ["**1. One.** Do this. …", "**Exercise 2 · Two.** That."]


def test_figure_rule_and_pages_without_a_run(tmp_path):
    path = REPO_ROOT / "notebooks" / "01_perceptron.ipynb"
    notebook = json.loads(path.read_text())
    first, last = _code_cells_before_exercises(notebook)[1], _code_cells_before_exercises(notebook)[-1]
    small, large = _png(4, 3), _png(9, 5)
    (tmp_path / path.name).write_text(json.dumps(_with_figures(notebook, {first: large, last: small})))
    parts = handouts.handout_parts(path, tmp_path)
    assert parts["figure"] == base64.b64decode(large)  # the largest figure, wherever it is
    tagged = _with_figures(notebook, {first: large, last: small})
    tagged["cells"][last]["metadata"].setdefault("tags", []).append("handout-figure")
    (tmp_path / path.name).write_text(json.dumps(tagged))
    assert handouts.handout_parts(path, tmp_path)["figure"] == base64.b64decode(small)  # the author's choice
    (tmp_path / path.name).write_text(json.dumps(notebook))
    assert "drew no figure" in handouts.render_handout(handouts.handout_parts(path, tmp_path))
    (tmp_path / path.name).unlink()
    page = handouts.render_handout(handouts.handout_parts(path, tmp_path))
    assert "No executed copy" in page and "make run NB=01" in page


def test_each_page_prints_on_one_a4_sheet(built):
    """Headless Chromium prints every handout (tall figure, MathJax typeset when local) to PDF: one page."""
    if CHROMIUM is None:
        pytest.skip("no Chromium browser found (install Debian's `chromium`; .ci/run does)")
    sync_playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.route(re.compile(r"^https?://"), lambda route: route.abort())  # offline, as in CI
        counts = {}
        for stem in built:
            page.goto(built[stem].resolve().as_uri())
            if page.evaluate("() => typeof MathJax !== 'undefined'"):
                page.wait_for_function("() => MathJax.isReady === true", timeout=30_000)
                page.evaluate("() => new Promise(done => MathJax.Hub.Queue(done))")
            pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
            counts[stem] = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        browser.close()
    assert counts == {stem: 1 for stem in built}


def test_a_goal_continued_on_the_next_line_is_kept_whole(tmp_path):
    title = ("# 99 · Title\n\n**What you will learn**\n- the first goal, which goes on\n  over a second line;\n"
             "- the second goal.\n\nBefore this: 98.\n")
    path = tmp_path / "99_title.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": title}]}))
    assert notebook_info(path)["goals"] == ["the first goal, which goes on over a second line;", "the second goal."]
