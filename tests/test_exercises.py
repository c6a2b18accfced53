"""Every exercise check accepts its reference solution and rejects typical wrong answers.

Checks live in ``utils/exercises/<topic>.py``; reference solutions and typical wrong
answers in ``solutions/<topic>.py`` as ``REFERENCE`` and ``WRONG`` dicts keyed by check name.
"""

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import utils.exercises

REPO_ROOT = Path(__file__).resolve().parent.parent


def _all_checks():
    found = []
    for info in pkgutil.iter_modules(utils.exercises.__path__):
        module = importlib.import_module(f"utils.exercises.{info.name}")
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("check_") and func.__module__ == module.__name__:
                found.append((info.name, name, func))
    return found


CHECKS = _all_checks()


def _solutions(topic):
    spec = importlib.util.spec_from_file_location(f"solutions_{topic}", REPO_ROOT / "solutions" / f"{topic}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_are_checks():
    assert CHECKS


@pytest.mark.parametrize("topic,name,check", CHECKS, ids=[f"{t}.{n}" for t, n, _ in CHECKS])
def test_reference_passes_and_wrong_answers_fail(topic, name, check, capsys):
    solutions = _solutions(topic)
    assert name in solutions.REFERENCE, f"solutions/{topic}.py has no REFERENCE[{name!r}]"
    assert solutions.WRONG.get(name), f"solutions/{topic}.py has no WRONG[{name!r}]"
    assert check(solutions.REFERENCE[name]) is True
    assert "✔" in capsys.readouterr().out
    for wrong in solutions.WRONG[name]:
        assert check(wrong) is False, f"{name} accepted the wrong answer {wrong!r}"
        out = capsys.readouterr().out
        assert "✘" in out and "Hint" in out
        assert repr(solutions.REFERENCE[name]) not in out.split("Hint:")[1], "a hint must not reveal the answer"
    assert check(None) is None
    assert "not attempted" in capsys.readouterr().out
