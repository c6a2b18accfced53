"""Every notebook has teacher notes with the parts a lecturer needs, and no exercise answer in them.

Teacher notes are Markdown cells tagged ``teacher-notes`` starting "**Teacher notes.**"
(CONTRIBUTING.md): one overview before the first section, optional short ones at the start of a
section. Together a notebook's notes must give a timing in minutes, a question to ask the room,
the misconceptions with the sections that address them, an exercise for class and one for home,
and what to do when a run goes wrong. Section and exercise numbers they name must exist. No
reference answer of the notebook's own ``solutions/`` module may appear (``tests/answer_leaks.py``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.answer_leaks import exercise_topics, leaks, load_solutions

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TAG = "teacher-notes"
OPENING = "**Teacher notes.**"

# Each required part: its name in a failure message, and the patterns (all must match) that show it.
REQUIRED_PARTS = {
    "a timing in minutes": [r"\b\d+(?:\s*[-–]\s*\d+)?\s*min"],
    "a question to ask the room": [r"(?i)\bask", r"\?"],
    "the misconceptions, with the sections that address them": [r"(?i)misconception", r"(?i)\bsections?\b"],
    "which exercise in class and which at home": [r"(?i)\bin class\b", r"(?i)\bat home\b"],
    "what to do if a run goes wrong": [r"(?i)go(?:es)? wrong|\brerun\b|\bre-run\b"],
}
NUMBER_LIST = r"\d+(?:\.\d+)?(?:\s*(?:,|and|[-–])\s*\d+(?:\.\d+)?)*"

# Answers that an existing note states for another reason, with that reason. Every entry must be
# needed (a test fails on a stale one), so the list cannot grow into a blanket exception.
ALLOWED = {
    ("00_introduction", "check_first_deep_year"):
        "the note under section 2 dates the test-set change ('from 2012 on'); the section's table shows the year",
    ("00_introduction", "check_first_below_human"):
        "the same note names the years that compare directly ('2012-2015'); the table shows them",
}


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def notes_of(cells: list[dict]) -> list[str]:
    """The sources of a notebook's teacher-notes cells, in order."""
    return [_source(c) for c in cells if TAG in c.get("metadata", {}).get("tags", [])]


def missing_parts(notes: str) -> list[str]:
    """The required parts that ``notes`` (all of a notebook's notes together) lacks."""
    return [part for part, patterns in REQUIRED_PARTS.items()
            if not all(re.search(pattern, notes) for pattern in patterns)]


def section_numbers(cells: list[dict]) -> set[str]:
    """Numbers of ``##``/``###`` headings ("3", "3.2") anywhere in the Markdown cells."""
    found = set()
    for cell in cells:
        if cell["cell_type"] == "markdown":
            found |= set(re.findall(r"^#{2,3}\s+(\d+(?:\.\d+)?)\b", _source(cell), flags=re.M))
    return found


def exercise_numbers(cells: list[dict]) -> set[int]:
    """Numbers of the exercise prompts ("**3. ...", "**Exercise 3 · ...") under ``## Exercises``."""
    numbers, inside = set(), False
    for cell in cells:
        source = _source(cell).lstrip()
        if cell["cell_type"] != "markdown":
            continue
        if source.startswith("## "):
            inside = source.startswith("## Exercises")
        if inside:
            numbers |= {int(n) for n in re.findall(r"^\*\*(?:Exercise\s+)?(\d+)\b", source, flags=re.M)}
    return numbers


def _listed(text: str, word: str) -> list[str]:
    """Every number in "<word> 3", "<word>s 1-2", "<word>s 2, 3 and 5" (a range gives its two ends)."""
    numbers = []
    for match in re.finditer(rf"(?i)\b{word}s?\s+({NUMBER_LIST})", text):
        numbers += re.findall(r"\d+(?:\.\d+)?", match.group(1))
    return numbers


def bad_references(notes: str, cells: list[dict]) -> list[str]:
    """Sections and exercises that the notes name but the notebook does not have."""
    sections, exercises = section_numbers(cells), exercise_numbers(cells)
    bad = [f"section {n}" for n in _listed(notes, "section") if n not in sections]
    bad += [f"exercise {n}" for n in _listed(notes, "exercise") if int(float(n)) not in exercises]
    return bad


def answer_leaks(path: Path, notes: str) -> list[tuple[str, str]]:
    found = []
    for topic in exercise_topics(path):
        found += leaks(notes, load_solutions(topic).REFERENCE)
    return found


# --------------------------------------------------------------------------- the notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_teacher_notes_are_tagged_markdown_and_open_the_same_way(path):
    cells = _cells(path)
    tagged = [c for c in cells if TAG in c.get("metadata", {}).get("tags", [])]
    assert tagged, f"{path.stem} has no cell tagged {TAG!r} (see CONTRIBUTING.md, teacher notes)"
    for cell in tagged:
        assert cell["cell_type"] == "markdown", "teacher notes are Markdown cells"
        assert _source(cell).startswith(OPENING), f"a teacher note starts with {OPENING!r}: {_source(cell)[:60]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_an_overview_note_comes_before_the_first_section(path):
    cells = _cells(path)
    first_section = next(i for i, c in enumerate(cells) if c["cell_type"] == "markdown"
                         and _source(c).startswith("## "))
    assert any(TAG in c.get("metadata", {}).get("tags", []) for c in cells[1:first_section]), (
        f"{path.stem}: put the overview note (timing, exercises, if a run goes wrong) right after the title cell")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notes_have_every_required_part(path):
    missing = missing_parts("\n".join(notes_of(_cells(path))))
    assert not missing, f"{path.stem}'s teacher notes lack: {'; '.join(missing)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_sections_and_exercises_named_in_the_notes_exist(path):
    cells = _cells(path)
    bad = bad_references("\n".join(notes_of(cells)), cells)
    assert not bad, f"{path.stem}'s teacher notes name what the notebook does not have: {bad}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notes_hold_no_reference_answer(path):
    found = [(check, what) for check, what in answer_leaks(path, "\n".join(notes_of(_cells(path))))
             if (path.stem, check) not in ALLOWED]
    assert not found, f"{path.stem}'s teacher notes give away exercise answers (solutions/): {found}"


def test_every_allowed_answer_is_still_needed():
    for (stem, check), reason in ALLOWED.items():
        path = REPO_ROOT / "notebooks" / f"{stem}.ipynb"
        found = {c for c, _ in answer_leaks(path, "\n".join(notes_of(_cells(path))))}
        assert check in found, f"ALLOWED[{stem!r}, {check!r}] is stale ({reason}): remove it"


def test_every_notebook_with_exercises_has_solutions_to_compare_with():
    for path in NOTEBOOKS:
        for topic in exercise_topics(path):
            assert load_solutions(topic).REFERENCE, f"{path.stem}: solutions/{topic}.py has no REFERENCE"
    assert sum(bool(exercise_topics(p)) for p in NOTEBOOKS) >= len(NOTEBOOKS) - 1


# --------------------------------------------------------------------------- the checks can fail
GOOD_NOTES = ("**Teacher notes.** Timing: section 1, 10 min. Pause and ask: \"why?\" Misconceptions: section 2 "
              "addresses one. In class: exercise 1; at home: exercise 2. If a run goes wrong, rerun with seed 43.")


def test_complete_notes_pass_and_each_missing_part_is_named():
    assert missing_parts(GOOD_NOTES) == []
    without_home = GOOD_NOTES.replace("at home", "later")
    assert missing_parts(without_home) == ["which exercise in class and which at home"]
    without_time = re.sub(r"\d+ min", "a while", GOOD_NOTES)
    assert missing_parts(without_time) == ["a timing in minutes"]
    assert "a question to ask the room" in missing_parts(GOOD_NOTES.replace("?", "."))


def test_a_section_or_exercise_that_does_not_exist_is_reported():
    cells = [{"cell_type": "markdown", "source": "## 1 · One\n", "metadata": {}},
             {"cell_type": "markdown", "source": "### 1.1 Sub\n", "metadata": {}},
             {"cell_type": "markdown", "source": "## Exercises\n", "metadata": {}},
             {"cell_type": "markdown", "source": "**1. First.** Do it.\n", "metadata": {}},
             {"cell_type": "markdown", "source": "**Exercise 2 · Second.** Do it.\n", "metadata": {}},
             {"cell_type": "markdown", "source": "## Summary\n", "metadata": {}}]
    assert bad_references("See section 1.1 and sections 1-1; exercises 1 and 2.", cells) == []
    assert bad_references("Section 3 and section 1.2; exercises 2 and 4.", cells) == [
        "section 3", "section 1.2", "exercise 4"]


@pytest.mark.parametrize("stem", ["01_perceptron", "04_optimizers", "11_house_prices"])
def test_an_answer_written_into_the_notes_is_found(stem):
    path = REPO_ROOT / "notebooks" / f"{stem}.ipynb"
    notes = "\n".join(notes_of(_cells(path)))
    (topic,) = exercise_topics(path)
    reference = load_solutions(topic).REFERENCE
    for check, answer in reference.items():
        if callable(answer):
            import inspect
            body = inspect.getsource(answer).splitlines()
            longest = max((line for line in body if not line.strip().startswith(("#", '"""', "def "))), key=len)
            written = f"Reference: `{longest.strip()}`"
        elif isinstance(answer, str):
            written = f"The answer is {answer.upper()}."
        elif isinstance(answer, (int, float)) and float(answer).is_integer() and abs(answer) < 100:
            continue  # small whole numbers are not checked (tests/answer_leaks.py says why)
        elif isinstance(answer, float):
            written = f"The answer is about {answer:,.2f}." if answer >= 1000 else f"The answer is about {answer:.3g}."
        else:
            written = f"The answer is {answer}."
        assert check in {c for c, _ in answer_leaks(path, notes + "\n" + written)}, (check, written)
