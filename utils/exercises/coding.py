"""Checks for exercises where the student writes a function.

:func:`check_function` calls the student's function on a few seeded random inputs and
compares each result with a private reference. It says *which* input differed and *how*
(shape, dtype or values: for an array, how many entries differ, the largest difference and where;
for a single number, only whether it is too large or too small), never the expected values or
the reference code. A function that still raises ``NotImplementedError`` is "not attempted";
any other exception becomes one line naming the exception and the input.

A check for a new exercise takes a few lines::

    def check_relu(student_fn):
        return check_function("ReLU", student_fn, lambda z: np.maximum(z, 0),
                              lambda rng: (rng.normal(size=(4, 3)),),
                              hint="Negative inputs give 0; the rest pass through.")
"""

from __future__ import annotations

import copy
import textwrap
from typing import Any, Callable, Sequence

import numpy as np

MakeInputs = Callable[[np.random.Generator], "tuple | dict"]


def describe_value(value: Any) -> str:
    """A short description of one argument: small arrays in full, large ones by shape and dtype."""
    if isinstance(value, np.ndarray):
        if value.size <= 8:
            return np.array2string(value, precision=3, separator=", ").replace("\n", "")
        return f"array {value.shape} {value.dtype}"
    if isinstance(value, float):
        return f"{value:.4g}"
    if callable(value):
        return getattr(value, "__name__", "a function")
    return repr(value)


def describe_inputs(args: tuple, kwargs: dict, names: Sequence[str] | None = None) -> str:
    """``x=array (4, 3) float64, lr=0.1``."""
    names = list(names or [])
    parts = [f"{names[i] if i < len(names) else f'arg{i}'}={describe_value(a)}" for i, a in enumerate(args)]
    parts += [f"{k}={describe_value(v)}" for k, v in kwargs.items()]
    return ", ".join(parts)


def _kind(array: np.ndarray) -> str:
    return {"b": "bool", "i": "integer", "u": "integer", "f": "float", "c": "complex"}.get(array.dtype.kind, str(array.dtype))


def difference(
    expected: Any, got: Any, rtol: float, atol: float, name: str = "the result",
    output_names: Sequence[str] | None = None,
) -> str | None:
    """None when ``got`` matches ``expected``; otherwise one sentence on how it differs (no expected values)."""
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            return f"{name} should be a tuple of {len(expected)} values, got {type(got).__name__}"
        if len(got) != len(expected):
            return f"{name} should hold {len(expected)} values, got {len(got)}"
        names = list(output_names or [])
        for index, (e, g) in enumerate(zip(expected, got)):
            part = names[index] if index < len(names) else f"value {index} of the returned tuple"
            problem = difference(e, g, rtol, atol, part)
            if problem:
                return problem
        return None
    if got is None:
        return f"{name} is None: did you forget a `return`?"
    try:
        got_array = np.asarray(got)
    except Exception:  # noqa: BLE001 - anything that is not array-like
        return f"{name} is a {type(got).__name__}, not a number or an array"
    expected_array = np.asarray(expected)
    if got_array.dtype == object:
        return f"{name} is a {type(got).__name__}, not a number or an array"
    if got_array.shape != expected_array.shape:
        return f"{name} has shape {got_array.shape}; the expected shape is {expected_array.shape}"
    if _kind(got_array) != _kind(expected_array) and not {_kind(got_array), _kind(expected_array)} <= {"integer", "float"}:
        return f"{name} has dtype {got_array.dtype}; a {_kind(expected_array)} array was expected"
    if _kind(expected_array) == "float" and _kind(got_array) == "integer":
        return f"{name} has the integer dtype {got_array.dtype}; a float array was expected"
    gap = np.abs(got_array.astype(float) - expected_array.astype(float))
    bad = ~(gap <= atol + rtol * np.abs(expected_array.astype(float)))
    if np.any(bad) and gap.size == 1:
        # One number: its difference would give the expected value away; say only which way it is off.
        got_value, expected_value = got_array.reshape(()), expected_array.reshape(())
        if _kind(got_array) in {"integer", "float"} and _kind(expected_array) in {"integer", "float"}:
            if np.isnan(float(got_value)):
                return f"{name} is NaN"
            return f"{name} is too {'large' if float(got_value) > float(expected_value) else 'small'}"
        return f"{name} differs"
    if np.any(bad):
        where = np.unravel_index(int(np.argmax(np.where(np.isnan(gap), np.inf, gap))), gap.shape) if gap.ndim else ()
        place = f" at index {tuple(int(i) for i in where)}" if gap.ndim else ""
        largest = np.nanmax(gap) if not np.all(np.isnan(gap)) else float("nan")
        extra = " (it contains NaN)" if np.any(np.isnan(got_array.astype(float))) else ""
        return (f"{name} differs in {int(np.sum(bad))} of {gap.size} entries; the largest difference is "
                f"{largest:.3g}{place}{extra}")
    return None


def check_function(
    exercise: str,
    student_fn: Callable | None,
    reference_fn: Callable,
    make_inputs: MakeInputs,
    *,
    n_cases: int = 5,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    hint: str = "",
    arg_names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
    seed: int = 0,
) -> bool | None:
    """Compare ``student_fn`` with ``reference_fn`` on ``n_cases`` inputs from ``make_inputs(rng)``.

    ``make_inputs`` returns a tuple of positional arguments, or a dict of keyword arguments;
    ``arg_names`` and ``output_names`` name the arguments and the returned values in messages.
    Prints ✔, ✘ with what differed and a hint, or "not attempted"; returns True/False/None.
    Each function gets its own copy of the inputs, so a function that changes its arguments
    in place cannot change what the other one sees.
    """
    if student_fn is None:
        print(f"○ {exercise}: not attempted yet. Write the function and run the cell again.")
        return None
    rng = np.random.default_rng(seed)
    for case in range(1, n_cases + 1):
        inputs = make_inputs(rng)
        args, kwargs = ((), inputs) if isinstance(inputs, dict) else (tuple(inputs), {})
        shown = describe_inputs(args, kwargs, arg_names)
        expected = reference_fn(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        try:
            got = student_fn(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        except NotImplementedError:
            print(f"○ {exercise}: not attempted yet (the function still raises NotImplementedError). "
                  "Replace that line with your code and run the cell again.")
            return None
        except Exception as error:  # noqa: BLE001 - student code: report it in one line, no traceback
            message = textwrap.shorten(str(error).splitlines()[0], 120, placeholder=" …") if str(error).strip() else ""
            print(f"✘ {exercise}: your function raised {type(error).__name__}"
                  f"{': ' + message if message else ''} on input {case} of {n_cases} ({shown}). Hint: {hint}")
            return False
        problem = difference(expected, got, rtol, atol, output_names=output_names)
        if problem:
            end = "" if problem.endswith(("?", "!", ".")) else "."
            print(f"✘ {exercise}: on input {case} of {n_cases} ({shown}), {problem}{end} Hint: {hint}")
            return False
    print(f"✔ {exercise}: correct on {n_cases} random inputs.")
    return True
