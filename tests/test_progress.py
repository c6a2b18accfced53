"""fit_verbose: a live progress bar for a person in Jupyter, one line per epoch headless."""

from __future__ import annotations

import io
import sys
import types
from contextlib import redirect_stdout

import pytest

from utils.progress import HEADLESS_ENV, fit_verbose, is_headless

MARKERS = (HEADLESS_ENV, "PYTEST_CURRENT_TEST", "CI")


@pytest.fixture
def person_in_jupyter(monkeypatch):
    """No headless marker in the environment, and an IPython kernel loaded. A callable: pytest
    sets PYTEST_CURRENT_TEST again after fixtures, so tests call it in their body."""
    def clear() -> None:
        for name in MARKERS:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    return clear


def test_a_person_in_jupyter_gets_the_live_bar(person_in_jupyter):
    person_in_jupyter()
    assert fit_verbose() == "auto" and not is_headless()


@pytest.mark.parametrize("name,value", [(HEADLESS_ENV, "1"), ("CI", "true"), ("PYTEST_CURRENT_TEST", "t.py::x")])
def test_headless_runs_get_one_line_per_epoch(person_in_jupyter, monkeypatch, name, value):
    person_in_jupyter()
    monkeypatch.setenv(name, value)
    assert fit_verbose() == 2


def test_headless_switched_off_explicitly(person_in_jupyter, monkeypatch):
    person_in_jupyter()
    monkeypatch.setenv(HEADLESS_ENV, "0")
    assert fit_verbose() == "auto"


def test_a_script_without_terminal_or_kernel_is_headless(person_in_jupyter, monkeypatch):
    person_in_jupyter()
    monkeypatch.delitem(sys.modules, "ipykernel")
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert fit_verbose() == 2


def test_runner_tells_the_kernel_it_is_headless(monkeypatch, tmp_path):
    from course import runner

    monkeypatch.delenv(HEADLESS_ENV, raising=False)
    seen = {}

    def fake_execute(notebook, parameters, output):
        import os

        seen["headless"] = os.environ.get(HEADLESS_ENV)
        return 0.1

    monkeypatch.setattr(runner, "execute", fake_execute)
    runner.run_notebook(runner.list_notebooks()[0], "smoke", tmp_path)
    assert seen["headless"] == "1" and HEADLESS_ENV not in __import__("os").environ


def test_headless_keras_fit_prints_one_plain_line_per_epoch(monkeypatch):
    import keras
    import numpy as np

    monkeypatch.setenv(HEADLESS_ENV, "1")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    out = io.StringIO()
    with redirect_stdout(out):
        model.fit(np.ones((64, 3)), np.ones(64), epochs=3, batch_size=8, verbose=fit_verbose())
    text = out.getvalue()
    assert "\r" not in text and "\b" not in text  # no redrawn bar
    assert [line.startswith("Epoch") for line in text.splitlines() if line.strip()].count(True) == 3
    assert len([line for line in text.splitlines() if "loss:" in line]) == 3
