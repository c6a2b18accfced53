"""The evidence behind the lessons: committed full-profile records match the code and every claim held.

See course/evidence.py. A failure here names the `make results NB=...` that brings a record up to date.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course import evidence
from course.results_table import makes_claims
from course.runner import list_notebooks

RECORDS = sorted(evidence.EVIDENCE_DIR.glob("*.json"))
NOTEBOOKS = {p.stem: p for p in list_notebooks()}
WITH_CLAIMS = sorted(stem for stem, path in NOTEBOOKS.items() if makes_claims(path))


def _notebook_for(record: dict) -> Path:
    matches = [p for stem, p in NOTEBOOKS.items() if evidence.topic(stem) == evidence.topic(record["notebook"])]
    assert len(matches) == 1, f"evidence for {record['notebook']!r} but no notebook of that topic: delete the record"
    return matches[0]


def _write_notebook(path: Path, cells: list[tuple[str, str, list[str]]]) -> Path:
    """A minimal .ipynb with (cell_type, source, tags) cells."""
    notebook = {"cells": [{"cell_type": kind, "metadata": {"tags": tags}, "source": source.splitlines(True),
                           **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                          for kind, source, tags in cells],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(notebook))
    return path


BASE = [
    ("markdown", "# 07 · A title\nSome prose.", []),
    ("code", "# guard written by tooling\nimport utils", ["course-setup"]),
    ("code", "cfg = start_notebook('07_topic', SIZES, globals())  # set-up", []),
    ("code", "def train(x):\n    \"\"\"Train.\"\"\"\n    return x * 0.5  # halve it\n", ["export"]),
]


def _hash_of(tmp_path: Path, cells, name: str = "07_topic") -> str:
    return evidence.code_hash(_write_notebook(tmp_path / f"{name}.ipynb", cells))


def test_hash_ignores_prose_comments_docstrings_generated_cells_and_renumbering(tmp_path):
    reference = _hash_of(tmp_path, BASE)
    reworded = [("markdown", "# 08 · Another title\nOther prose.", []),
                ("code", "import utils, os  # a new guard", ["course-setup"]),
                ("code", "cfg = start_notebook(\n    '08_topic', SIZES, globals()\n)", []),
                ("code", "def train(x):\n    \"\"\"Train the model, said differently.\"\"\"\n    # why: half\n    return x*0.5\n",
                 ["export"])]
    assert _hash_of(tmp_path, reworded, name="08_topic") == reference


@pytest.mark.parametrize("change", ["return x * 0.25", "return x * 0.5 + 1"])
def test_hash_sees_every_change_to_code(tmp_path, change):
    changed = BASE[:3] + [("code", f"def train(x):\n    {change}\n", ["export"])]
    assert _hash_of(tmp_path, changed) != _hash_of(tmp_path, BASE)


def test_a_claim_missing_from_one_seed_counts_as_not_held():
    runs = [{"claims": [{"sentence": "A beats B", "held": True, "numbers": {"a": 1}}]},
            {"claims": []},
            {"claims": [{"sentence": "A beats B", "held": True, "numbers": {"a": 2}}]}]
    (item,) = evidence.claims_over_seeds(runs)
    assert item["held"] == [True, False, True] and item["held_in"] == "2/3"


@pytest.mark.parametrize("stem", WITH_CLAIMS)
def test_every_notebook_that_checks_claims_has_evidence(stem):
    path = evidence.evidence_path(stem)
    assert path.exists(), f"{stem} checks claims but has no evidence record: run `make results NB={stem[:2]}`"


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_record_matches_the_code_and_every_claim_held(path):
    record = json.loads(path.read_text())
    notebook = _notebook_for(record)
    assert record["code_hash"] == evidence.code_hash(notebook), (
        f"{notebook.stem}'s code changed since its evidence was recorded ({record['date']}): "
        f"run `make results NB={notebook.stem[:2]}` and commit {path.relative_to(evidence.REPO_ROOT)}")
    assert record["profile"] == "full", f"{path.name}: evidence must come from the full profile"
    seeds = record["seeds"]
    assert len(set(seeds)) >= evidence.MIN_SEEDS and None not in seeds, f"{path.name}: needs 3 distinct seeds, has {seeds}"
    if makes_claims(notebook):
        assert record["claims"], f"{path.name}: the notebook checks claims but none were recorded"
    failed = [f"{c['sentence']} (held in {c['held_in']}; numbers {c['numbers']})" for c in record["claims"] if not all(c["held"])]
    assert not failed, f"{notebook.stem}: claims that did not hold in every seed: {failed}"


def test_readme_tables_are_generated_from_the_records():
    text = evidence.README.read_text()
    assert evidence.readme_block() in text, "README's results/claims tables are stale: run `python -m course.evidence --readme`"
