"""Every notebook is stored in its canonical form (tools/format_notebooks.py; `make format` applies it)."""

import importlib.util
import json
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))


def _tool():
    spec = importlib.util.spec_from_file_location("format_notebooks", REPO_ROOT / "tools" / "format_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_canonical(path):
    text = path.read_text(encoding="utf-8")
    assert text == _tool().canonical(text), f"{path.name} is not canonical: run `make format`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_names_its_language(path):
    assert json.loads(path.read_text(encoding="utf-8"))["metadata"]["language_info"]["name"] == "python"


def test_canonical_form_strips_outputs_keeps_tags_and_is_stable():
    cell = {"cell_type": "code", "id": "a1", "execution_count": 3, "source": "x = 1\nprint(x)",
            "metadata": {"tags": ["export"], "slideshow": {"slide_type": "skip"}},
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "1\n"}]}
    notebook = {"cells": [cell], "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    tool = _tool()
    once = tool.canonical(json.dumps(notebook))
    saved = json.loads(once)["cells"][0]
    assert saved["outputs"] == [] and saved["execution_count"] is None
    assert saved["source"] == ["x = 1\n", "print(x)"]          # one way to store a source: a list of lines
    assert saved["metadata"] == cell["metadata"]
    assert tool.canonical(once) == once
    assert once != json.dumps(notebook)
