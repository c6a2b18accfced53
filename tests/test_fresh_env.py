"""A student's own environment, without the Makefile: `pip install -e .` is all `import utils` needs.

Two fresh virtual environments see the pinned requirements through a ``.pth`` file naming this
interpreter's site-packages (what ``pip install -r requirements.txt`` would have produced, without
downloading it again). In the first, the repository is installed with the real ``pip install -e``
and notebook 01 runs with ``jupyter nbconvert --execute`` from a folder outside the repository.
In the second, nothing is installed: the notebook stops at its set-up block with the guard's
message, not a bare ``ModuleNotFoundError``. Select with ``pytest -m freshenv`` (about a minute).

The notebook copy gets the set-up block from ``course.setup_cell.with_setup`` (what ``make
colab-links`` writes); once the notebooks carry it, that call changes nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import nbformat
import pytest

from course.setup_cell import repository_url, with_setup

pytestmark = pytest.mark.freshenv

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO_ROOT / "notebooks" / "01_perceptron.ipynb"
PROBE = "import sys, utils\nprint('PREFIX', sys.prefix)\nprint('UTILS', utils.__file__)"


def _fresh_venv(folder: Path) -> Path:
    """A venv without pip of its own, seeing this interpreter's packages; returns its python."""
    venv.EnvBuilder(with_pip=False, symlinks=True).create(folder)
    python = folder / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # Paths only: the .pth files inside those folders (this venv's own `make venv` install) are not read.
    Path(purelib, "requirements.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return python


def _env(tmp_path: Path, python: Path, mirror: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "JUPYTER", "VIRTUAL_ENV"))}
    env.update(PATH=f"{python.parent}{os.pathsep}{env.get('PATH', '')}", COURSE_PROFILE="smoke",
               COURSE_DATA_MIRROR=str(mirror), KERAS_HOME=str(tmp_path / "keras_home"),
               COURSE_RESULTS_DIR=str(tmp_path / "results"), JUPYTER_DATA_DIR=str(tmp_path / "jupyter_data"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter_config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    return env


def _student_copy(folder: Path) -> Path:
    """Notebook 01 with the set-up block and a last cell reporting where Python and utils came from."""
    folder.mkdir(parents=True)
    notebook = nbformat.from_dict(with_setup(nbformat.read(str(NOTEBOOK), as_version=4), NOTEBOOK.name,
                                             repository_url()))
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE))
    target = folder / NOTEBOOK.name
    nbformat.write(notebook, str(target))
    return target


def _execute(python: Path, notebook: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), "-m", "nbconvert", "--to", "notebook", "--execute", notebook.name,
                           "--output", "executed.ipynb", "--ExecutePreprocessor.timeout=300"],
                          cwd=notebook.parent, env=env, capture_output=True, text=True, timeout=600)


def test_pip_install_e_is_all_a_fresh_environment_needs(tmp_path, mirror):
    python = _fresh_venv(tmp_path / "venv")
    env = _env(tmp_path, python, mirror)
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                              "-e", str(REPO_ROOT)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    notebook = _student_copy(tmp_path / "elsewhere")
    assert REPO_ROOT not in notebook.parents
    result = _execute(python, notebook, env)
    assert result.returncode == 0, result.stderr[-3000:]
    executed = nbformat.read(str(notebook.parent / "executed.ipynb"), as_version=4)
    probe = "".join(o.get("text", "") for o in executed.cells[-1].outputs)
    assert f"PREFIX {tmp_path / 'venv'}" in probe  # the fresh venv's kernel, not this one
    assert f"UTILS {REPO_ROOT / 'utils' / '__init__.py'}" in probe


def test_without_the_install_the_notebook_stops_with_the_guard_message(tmp_path, mirror):
    python = _fresh_venv(tmp_path / "venv")
    env = _env(tmp_path, python, mirror)
    notebook = _student_copy(tmp_path / "elsewhere")
    result = _execute(python, notebook, env)
    assert result.returncode != 0
    stderr = re.sub(r"\x1b\[[0-9;]*m", "", result.stderr)  # the traceback comes in colour
    assert "ModuleNotFoundError: No module named 'utils'. Fix: run `pip install -e .` in the course" in stderr
    assert not re.search(r"No module named 'utils'\s*$", stderr, re.M)  # never the bare error
