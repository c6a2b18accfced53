"""Exercise checks for notebook 02 (MLP on Fashion-MNIST)."""

from __future__ import annotations

from typing import Any

import numpy as np

from utils.exercises import close_to, report, same_text

# Flatten(28x28) -> Dense(300) -> Dense(100) -> Dense(10): sum of inputs*units + units.
_GERON_WIDTHS = (784, 300, 100, 10)
_PARAM_COUNT = sum(a * b + b for a, b in zip(_GERON_WIDTHS[:-1], _GERON_WIDTHS[1:]))

_SCORES = np.array([2.0, 1.0, 0.0])
_SOFTMAX = np.exp(_SCORES) / np.exp(_SCORES).sum()


def check_param_count(answer: Any) -> bool | None:
    """Exercise 1: trainable parameters of the 784-300-100-10 MLP."""

    def is_correct(value: Any) -> bool:
        return not isinstance(value, bool) and float(value) == _PARAM_COUNT

    return report(
        "Parameter count", answer, is_correct,
        "add inputs·units + units for each of the three Dense layers (784 inputs into the first); "
        "Flatten has none, and do not forget the biases.",
    )


def check_softmax(answer: Any) -> bool | None:
    """Exercise 2: softmax of the scores (2, 1, 0), to 3 decimals."""
    return report(
        "Softmax by hand", answer, close_to(_SOFTMAX, rel=0, abs_tol=6e-4),
        "exponentiate each score, then divide each exponential by their sum; "
        "the three numbers must be positive and add up to 1.",
    )


def check_lowest_recall_class(answer: Any) -> bool | None:
    """Exercise 3: the Fashion-MNIST class with the lowest recall."""
    return report(
        "The hardest class", answer, same_text("Shirt"),
        "recall of class k is cm[k, k] / cm[k].sum(); compute it for every row and take the name of "
        "the smallest (e.g. CLASS_NAMES[int(np.argmin(...))]).",
    )
