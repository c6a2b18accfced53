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
        if info.name == "coding":  # the machinery of coding checks, tested below
            continue
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


# Coding exercises: utils.exercises.coding.check_function, on a small function to write.

from utils.exercises.coding import check_function  # noqa: E402


def _check_scaled_sum(student_fn):
    return check_function("scaled sum", student_fn, lambda x, scale: scale * x.sum(axis=0),
                          lambda rng: (rng.normal(size=(4, 3)), float(rng.uniform(1, 2))),
                          arg_names=("x", "scale"), hint="Sum over the rows, then scale.")


def test_a_coding_check_says_not_attempted_for_not_implemented(capsys):
    def scaled_sum(x, scale):
        raise NotImplementedError

    assert _check_scaled_sum(scaled_sum) is None
    assert "not attempted" in capsys.readouterr().out


def test_a_coding_check_turns_an_exception_into_one_line(capsys):
    def crashing(x, scale):
        return {}["missing"]

    assert _check_scaled_sum(crashing) is False
    out = capsys.readouterr().out
    assert "raised KeyError" in out and "input 1 of 5" in out and "x=array (4, 3) float64" in out
    assert "Traceback" not in out and len(out.splitlines()) == 1


def test_a_coding_check_names_shape_dtype_and_value_mismatches(capsys):
    assert _check_scaled_sum(lambda x, scale: scale * x.sum(axis=1)) is False
    assert "shape (4,)" in capsys.readouterr().out
    assert _check_scaled_sum(lambda x, scale: (scale * x.sum(axis=0)).astype(int)) is False
    assert "integer dtype" in capsys.readouterr().out
    assert _check_scaled_sum(lambda x, scale: x.sum(axis=0)) is False
    out = capsys.readouterr().out
    assert "differs in 3 of 3 entries; the largest difference is" in out and "at index" in out
    assert "Hint: Sum over the rows" in out


def _check_scaled_total(student_fn):
    return check_function("scaled total", student_fn, lambda x, scale: scale * float(x.sum()),
                          lambda rng: (rng.normal(size=(4, 3)), float(rng.uniform(1, 2))),
                          arg_names=("x", "scale"), hint="Sum everything, then scale.")


def test_a_coding_check_on_one_number_says_only_which_way_it_is_off(capsys):
    assert _check_scaled_total(lambda x, scale: scale * float(x.sum()) + 1.0) is False
    out = capsys.readouterr().out
    assert "the result is too large. Hint: Sum everything" in out
    assert "difference" not in out and "entries" not in out and "index" not in out
    assert _check_scaled_total(lambda x, scale: scale * float(x.sum()) - 1.0) is False
    assert "the result is too small." in capsys.readouterr().out
    assert _check_scaled_total(lambda x, scale: float("nan")) is False
    assert "the result is NaN." in capsys.readouterr().out


def test_a_coding_check_ends_the_missing_return_message_once(capsys):
    assert _check_scaled_sum(lambda x, scale: None) is False
    out = capsys.readouterr().out
    assert "did you forget a `return`? Hint:" in out and "?." not in out


def test_a_coding_check_gives_each_function_its_own_copy_of_the_inputs(capsys):
    def scaled_sum_in_place(x, scale):
        x *= scale  # changes its argument: must not change what the reference sees
        return x.sum(axis=0)

    assert _check_scaled_sum(scaled_sum_in_place) is True
    assert "✔ scaled sum: correct on 5 random inputs" in capsys.readouterr().out
