"""Errors a person can act on: the runner shows a notebook's whole message, and a damaged file
of the data mirror is reported as the mirror's (deleting the cache copy would not fix it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course import runner
from utils import data

REPO_ROOT = Path(__file__).resolve().parent.parent
FASHION = Path("keras_home") / "datasets" / "fashion-mnist"
DAMAGED = "train-images-idx3-ubyte.gz"


@pytest.fixture
def damaged_mirror(tmp_path, mirror):
    """A copy of the mirror's Fashion-MNIST with one file cut short, and an empty Keras cache."""
    copy = tmp_path / "mirror"
    shutil.copytree(mirror / FASHION, copy / FASHION)
    damaged = copy / FASHION / DAMAGED
    damaged.write_bytes(damaged.read_bytes()[: 1 << 20])
    return damaged


def _load_in_fresh_process(damaged: Path, keras_home: Path) -> str:
    """Load Fashion-MNIST in a new interpreter (Keras fixes its cache folder when first imported,
    so a process that already imported Keras cannot be pointed at another cache) and return the error."""
    env = dict(os.environ, COURSE_DATA_MIRROR=str(damaged.parents[3]), KERAS_HOME=str(keras_home),
               PYTHONPATH=str(REPO_ROOT))
    code = ("from utils import data\n"
            "try:\n    data.load_fashion_mnist()\n"
            "except data.DataCorruptError as err:\n    print('DataCorruptError:', err)\n")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("DataCorruptError:"), done.stdout[-2000:]
    return done.stdout


def test_damaged_mirror_file_is_named_as_the_mirrors_and_not_copied(damaged_mirror, tmp_path):
    keras_home = tmp_path / "keras_home"
    message = _load_in_fresh_process(damaged_mirror, keras_home)
    assert str(damaged_mirror) in message and "the course data mirror's copy" in message
    assert "Replace the mirror's file" in message and "Delete it" not in message
    assert not (keras_home / "datasets" / "fashion-mnist" / DAMAGED).exists()


def test_cache_copy_of_a_damaged_mirror_file_points_at_the_mirror(damaged_mirror, tmp_path):
    """A cache filled from the mirror before it was checked: the mirror's file is the one to replace."""
    keras_home = tmp_path / "keras_home"
    cache = keras_home / "datasets" / "fashion-mnist"
    shutil.copytree(damaged_mirror.parent, cache)
    message = _load_in_fresh_process(damaged_mirror, keras_home)
    assert str(damaged_mirror) in message and str(cache / DAMAGED) not in message


def test_failure_message_keeps_every_line_of_the_notebook_error():
    from papermill.exceptions import PapermillExecutionError

    text = data._how_to_fix("Fashion-MNIST")
    err = PapermillExecutionError(3, 4, "load()", "DataUnavailableError", text, ["traceback lines"])
    shown = runner.failure_message(err)
    assert shown.startswith("DataUnavailableError: Fashion-MNIST is not in the Keras cache")
    assert all(line.strip() in shown for line in text.splitlines())
    assert "traceback lines" not in shown


def test_make_run_prints_the_whole_message_of_a_failing_notebook(damaged_mirror, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("profile = None\nseed = 42", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("from utils.data import load_fashion_mnist\nload_fashion_mnist()"),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, str(folder / "98_damaged.ipynb"))
    monkeypatch.setattr(runner, "NOTEBOOKS", folder)
    monkeypatch.setattr(runner, "BUILD", tmp_path / "build")
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(damaged_mirror.parents[3]))  # the kernel is a new process
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    assert runner.main(["--nb", "98", "--profile", "smoke"]) == 1
    out = capsys.readouterr().out
    failed = out[out.index("FAILED:"):]
    assert failed.startswith("FAILED: DataCorruptError: Fashion-MNIST: the course data mirror's copy")
    assert str(damaged_mirror) in failed and "Replace the mirror's file" in failed
