"""House rules for the notebooks: no outputs, one parameters cell, the shared skeleton."""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text())


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def test_there_are_notebooks_named_in_teaching_order():
    assert NOTEBOOKS, "no notebooks found"
    for path in NOTEBOOKS:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    for cell in _load(path)["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, "strip outputs before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_kernelspec_is_python3(path):
    assert _load(path)["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_one_parameters_cell_with_profile_and_seed_first(path):
    cells = [c for c in _load(path)["cells"] if "parameters" in _tags(c)]
    assert len(cells) == 1, "exactly one cell tagged 'parameters'"
    assignments = re.findall(r"^(\w+)\s*=", "".join(cells[0]["source"]), flags=re.M)
    assert assignments[:2] == ["profile", "seed"]
    assert len(assignments) == len(set(assignments))
    import papermill

    seen = list(papermill.inspect_notebook(str(path)))
    assert seen == assignments, "papermill skips a parameter line with a second '=' (e.g. in its comment)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_follows_the_skeleton(path):
    cells = _load(path)["cells"]
    first = "".join(cells[0]["source"])
    assert first.startswith("# ") and "What you will learn" in first
    headings = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    assert any(h.startswith("## Exercises") for h in headings)
    assert any(h.startswith("## Summary") for h in headings)
    code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "start_notebook(" in code and "record_results(" in code
