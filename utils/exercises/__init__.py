"""Exercise checks: each ``check_...(answer)`` prints ✔, a hint, or "not attempted".

A check never prints the solution. Reference solutions live in ``solutions/`` at the top of
the repository (one module per notebook, same name as the module here); the tests feed
every check its reference answer and typical wrong answers.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np


def report(exercise: str, answer: Any, is_correct: Callable[[Any], bool], hint: str) -> bool | None:
    """Print the verdict on ``answer``; return True/False, or None when not attempted."""
    if answer is None:
        print(f"○ {exercise}: not attempted yet. Put your answer in `answer` and run the cell again.")
        return None
    try:
        correct = bool(is_correct(answer))
    except Exception:  # a malformed answer is a wrong answer, not a crash
        correct = False
    if correct:
        print(f"✔ {exercise}: correct.")
    else:
        print(f"✘ {exercise}: not yet. Hint: {hint}")
    return correct


def close_to(expected: float | np.ndarray, rel: float = 1e-3, abs_tol: float = 1e-9) -> Callable[[Any], bool]:
    """A predicate: the answer equals ``expected`` to a relative tolerance."""

    def predicate(answer: Any) -> bool:
        value = np.asarray(answer, dtype=float)
        target = np.asarray(expected, dtype=float)
        return value.shape == target.shape and bool(np.allclose(value, target, rtol=rel, atol=abs_tol))

    return predicate


def same_text(expected: str) -> Callable[[Any], bool]:
    """A predicate: the answer is ``expected`` ignoring case, spaces, '-' and '_'."""

    def normalise(text: Any) -> str:
        return "".join(ch for ch in str(text).lower() if ch.isalnum())

    return lambda answer: isinstance(answer, str) and normalise(answer) == normalise(expected)
