"""The set-up block at the top of every notebook's setup cell: the `utils` guard and the Colab part.

The guard's text is :data:`course.setup_cell.GUARD`, the one source that ``make colab-links``
writes into the notebooks; these tests run that exact text.
"""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest

from course import setup_cell
from course.setup_cell import GUARD, colab_badge, colab_snippet, repository_url, setup_block, with_setup

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO_ROOT / "notebooks" / "01_perceptron.ipynb"


def _run_guard(tmp_path: Path, pythonpath: list[Path]) -> subprocess.CompletedProcess:
    """The guard in a bare interpreter (-S: no site-packages) whose only import path is ``pythonpath``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = os.pathsep.join(map(str, pythonpath))
    return subprocess.run([sys.executable, "-S", "-c", GUARD], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)


def test_guard_is_silent_with_the_course_utils(tmp_path):
    result = _run_guard(tmp_path, [REPO_ROOT])
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_guard_without_utils_names_the_fix_in_one_short_error(tmp_path):
    result = _run_guard(tmp_path, [])
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError: No module named 'utils'. Fix: run `pip install -e .`")
    assert "make lab" in last and "restart the kernel" in last
    assert len(result.stderr.strip().splitlines()) <= 8, result.stderr  # not a traceback wall


def test_guard_names_someone_elses_utils_and_where_it_is(tmp_path):
    fake = tmp_path / "elsewhere" / "utils"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("HELPERS = True\n")
    result = _run_guard(tmp_path, [tmp_path / "elsewhere", REPO_ROOT])  # the other one first, as in a cwd
    last = result.stderr.strip().splitlines()[-1]
    assert result.returncode == 1
    assert "someone else's package" in last and str(fake) in last and "pip install -e ." in last


def test_guard_names_a_plain_utils_module_too(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "utils.py").write_text("x = 1\n")
    result = _run_guard(tmp_path, [tmp_path / "lib", REPO_ROOT])
    assert result.returncode == 1 and str(tmp_path / "lib" / "utils.py") in result.stderr


def test_guard_stays_short():
    assert len(GUARD.strip().splitlines()) <= 6


# --------------------------------------------------------------------------- Colab
@pytest.fixture
def calls(monkeypatch):
    """subprocess.run and os.chdir recorded instead of run (the Colab part clones and installs)."""
    seen: list = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: seen.append(("run", a[0])))
    monkeypatch.setattr(os, "chdir", lambda path: seen.append(("chdir", path)))
    monkeypatch.setattr(sys, "path", list(sys.path))
    return seen


def test_colab_part_does_nothing_outside_colab(calls, monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    path_before = list(sys.path)
    for url in ("https://github.com/someone/course.git", None):
        exec(colab_snippet(url), {})
    assert calls == [] and sys.path == path_before


def test_colab_part_clones_the_configured_url_and_installs_it(calls, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(setup_cell, "COLAB_CHECKOUT", str(tmp_path / "checkout"))
    exec(colab_snippet("https://github.com/someone/course.git"), {})
    clone, install, chdir = calls
    assert clone[1][:3] == ["git", "clone", "--depth=1"] and "https://github.com/someone/course.git" in clone[1]
    assert install[1][-2:] == ["-e", str(tmp_path / "checkout")]
    assert chdir == ("chdir", str(tmp_path / "checkout" / "notebooks")) and sys.path[0] == str(tmp_path / "checkout")


def test_colab_without_url_says_what_to_set(calls, monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    with pytest.raises(RuntimeError, match=r"no repository URL is configured.*\[project\.urls\] in pyproject\.toml"):
        exec(colab_snippet(None), {})
    assert calls == []


def test_repository_url_comes_from_project_urls(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n[project.urls]\n')
    assert repository_url(pyproject) is None
    pyproject.write_text('[project]\nname = "x"\n[project.urls]\nRepository = "https://github.com/a/b"\n')
    assert repository_url(pyproject) == "https://github.com/a/b"


def test_the_course_ships_without_a_placeholder_url():
    assert repository_url() is None, "pyproject.toml's Repository is for each course to set, not a placeholder"


# --------------------------------------------------------------------------- notebooks
def _first_cell(notebook) -> str:
    return notebook["cells"][0]["source"]


def test_no_badge_without_a_github_url():
    notebook = nbformat.read(str(NOTEBOOK), as_version=4)
    for url in (None, "https://gitlab.example.org/course.git"):
        updated = with_setup(notebook, NOTEBOOK.name, url)
        assert "colab" not in _first_cell(updated).lower()
        assert _first_cell(updated) == _first_cell(notebook)


def test_badge_and_block_are_written_once_and_follow_the_url():
    notebook = nbformat.read(str(NOTEBOOK), as_version=4)
    url = "https://github.com/someone/course.git"
    once = with_setup(notebook, NOTEBOOK.name, url)
    assert _first_cell(once).splitlines()[0] == colab_badge(url, NOTEBOOK.name)
    assert "colab.research.google.com/github/someone/course/blob/main/notebooks/01_perceptron.ipynb" in _first_cell(once)
    index = setup_cell.course_setup_index(once)
    assert once["cells"][index]["source"] == setup_block(url)
    assert index + 1 == setup_cell.setup_cell_index(once)  # right before the setup cell, which is unchanged
    assert once["cells"][index + 1]["source"] == notebook["cells"][setup_cell.setup_cell_index(notebook)]["source"]
    assert with_setup(once, NOTEBOOK.name, url) == once  # idempotent
    back = with_setup(once, NOTEBOOK.name, None)  # URL removed: badge gone, block says what to set
    assert _first_cell(back) == _first_cell(notebook)
    assert back["cells"][index]["source"].count(setup_cell.BEGIN) == 1
    assert "no repository URL is configured" in back["cells"][index]["source"]


def test_notebooks_carry_the_current_block():
    """Once `make colab-links` has written the block, it must match course/setup_cell.py."""
    notebooks = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    with_block = [p for p in notebooks if setup_cell.BEGIN in p.read_text()]
    assert with_block == notebooks, "run `make colab-links`: every notebook needs the course set-up cell"
    assert setup_cell.process(notebooks, repository_url(), write=False) == []
