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


SIZES_CELL = 'SIZES = {{\n    "n_train": {{"full": {full}, "smoke": {smoke}{extra}}},\n}}\n'


def _with_sizes(full: int, smoke: int, extra: str = "") -> list:
    return BASE[:2] + [("code", SIZES_CELL.format(full=full, smoke=smoke, extra=extra), ["profile-sizes"])] + BASE[2:]


def test_hash_ignores_the_sizes_of_other_profiles_than_full(tmp_path):
    reference = _hash_of(tmp_path, _with_sizes(4000, 512))
    assert _hash_of(tmp_path, _with_sizes(4000, 64)) == reference
    assert _hash_of(tmp_path, _with_sizes(4000, 512, extra=', "class": 1000')) == reference
    assert _hash_of(tmp_path, _with_sizes(8000, 512)) != reference


def test_hash_ignores_a_claims_full_only_reason_but_not_its_condition(tmp_path):
    def with_claim(call: str) -> list:
        return BASE + [("code", call, [])]

    reference = _hash_of(tmp_path, with_claim('claim(cfg, "A beats B", a > b, a=a, b=b)'))
    marked = with_claim('claim(cfg, "A beats B", a > b, full_only="needs the full data", a=a, b=b)')
    assert _hash_of(tmp_path, marked) == reference
    assert _hash_of(tmp_path, with_claim('claim(cfg, "A beats B", a >= b, a=a, b=b)')) != reference


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


def test_every_headline_names_a_notebook_and_a_metric_its_record_holds():
    from course.headlines import HEADLINES, REFERENCES
    from course.runner import list_notebooks

    topics = {evidence.topic(p.stem) for p in list_notebooks()}
    assert set(HEADLINES) | set(REFERENCES) <= topics, sorted((set(HEADLINES) | set(REFERENCES)) - topics)
    for path in RECORDS:
        record = json.loads(path.read_text())
        missing = [h.metric for h in HEADLINES.get(evidence.topic(record["notebook"]), []) if h.metric not in record["metrics"]]
        assert not missing, f"{path.name} has no metric {missing}: rename it in course/headlines.py"


def test_headline_table_shows_the_recipe_beside_the_record():
    record = {"notebook": "08_cnn_cifar10", "wall_time_s": [500.0, 520.0, 510.0],
              "metrics": {"test_accuracy": [0.70, 0.74, 0.72]}}
    lines = evidence.headline_markdown({"cnn_cifar10": record}, ["08_cnn_cifar10", "03_mlp_fashion_mnist", "00_introduction"])
    row_08, row_03, row_00 = lines[2], lines[3], lines[4]
    assert "510" in row_08 and "0.7200" in row_08 and "TensorFlow's CNN tutorial" in row_08
    assert "no evidence record yet" in row_03 and "no training" in row_00
