"""The class profile: a notebook with claims runs headless within the lecture's time limits.

Issue #21: in the class profile each notebook runs top to bottom in at most 3 minutes on a
2-core laptop, no cell takes over 60 s, and every claim holds or is marked full-only with its
reason (``claim(..., full_only=...)``).
"""

import json

import pytest

from course import runner

NOTEBOOK_LIMIT_S = 180  # the whole notebook, kernel start included
CELL_LIMIT_S = 60  # any single cell (papermill's duration in the executed copy)
NOTEBOOK = "02_backpropagation"  # a cheap notebook with claims


def cell_durations(executed) -> list[tuple[int, float]]:
    """(cell index, seconds) for every executed code cell, from papermill's metadata."""
    cells = json.loads(executed.read_text())["cells"]
    return [(i, c["metadata"]["papermill"]["duration"]) for i, c in enumerate(cells)
            if c["cell_type"] == "code" and c["metadata"].get("papermill", {}).get("duration") is not None]


@pytest.mark.claims
def test_a_notebook_runs_in_the_class_profile_within_its_limits_and_its_claims_hold(tmp_path):
    (notebook,) = runner.select_notebooks([NOTEBOOK])
    record = runner.run_notebook(notebook, "class", tmp_path / "results", {"seed": 42}, tmp_path / "executed")
    assert record["profile"] == "class"
    assert record["runner_wall_time_s"] <= NOTEBOOK_LIMIT_S
    durations = cell_durations(tmp_path / "executed" / notebook.name)
    assert durations, "the executed copy has no cell durations"
    slow = [(i, round(d)) for i, d in durations if d > CELL_LIMIT_S]
    assert not slow, f"cells over {CELL_LIMIT_S} s: {slow}"
    claims = record.get("claims", [])
    assert claims, "the notebook checked no claim"
    failed = [c["sentence"] for c in claims if not (c["held"] or c.get("full_only"))]
    assert not failed, f"claims that failed without a full-only reason: {failed}"
