"""Exercise checks for notebook 03 (MLP on Fashion-MNIST)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from utils.data import FASHION_MNIST_CLASSES
from utils.exercises import close_to, report, same_text
from utils.exercises.coding import check_function

# Flatten(28x28) -> Dense(300) -> Dense(100) -> Dense(10): sum of inputs*units + units.
_GERON_WIDTHS = (784, 300, 100, 10)
_PARAM_COUNT = sum(a * b + b for a, b in zip(_GERON_WIDTHS[:-1], _GERON_WIDTHS[1:]))

_SCORES = np.array([2.0, 1.0, 0.0])
_SOFTMAX = np.exp(_SCORES) / np.exp(_SCORES).sum()

# An example test-set confusion matrix (rows: true class, columns: predicted; 1,000 images per class), shaped
# like a full run's. The notebook passes the student's own `cm`; this one is only the default the tests use.
_EXAMPLE_CM = np.array([
    [851, 0, 14, 24, 4, 1, 99, 0, 7, 0],
    [2, 972, 1, 18, 4, 0, 2, 0, 1, 0],
    [15, 1, 802, 12, 99, 0, 69, 0, 2, 0],
    [20, 5, 10, 893, 35, 0, 33, 0, 4, 0],
    [0, 1, 86, 30, 843, 0, 38, 0, 2, 0],
    [0, 0, 0, 1, 0, 962, 0, 23, 1, 13],
    [130, 1, 85, 30, 75, 0, 668, 0, 11, 0],
    [0, 0, 0, 0, 0, 12, 0, 961, 0, 27],
    [4, 0, 3, 4, 3, 2, 4, 4, 976, 0],
    [0, 0, 0, 0, 0, 6, 1, 40, 0, 953],
])


def check_param_count(answer: Any) -> bool | None:
    """Exercise 1: trainable parameters of the 784-300-100-10 MLP (an exact whole number)."""

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


def check_lowest_recall_class(answer: Any, cm: Any = None) -> bool | None:
    """Exercise 4: the name of the class with the lowest recall in the confusion matrix ``cm`` of the run.

    The notebook passes its own ``cm`` (the answer depends on the run); without it the check uses
    ``_EXAMPLE_CM``. Classes tied for the lowest recall are all accepted.
    """
    matrix = _EXAMPLE_CM if cm is None else np.asarray(cm, dtype=float)
    recall = np.diagonal(matrix) / matrix.sum(axis=1)
    lowest = [FASHION_MNIST_CLASSES[k] for k in np.flatnonzero(np.isclose(recall, recall.min()))]
    return report(
        "The hardest class", answer, lambda a: any(same_text(name)(a) for name in lowest),
        "the recall of class k is the share of row k (the images that really are class k) that sits on the "
        "diagonal; compute it for every row, and answer with the name from CLASS_NAMES, not the index.",
    )


# --------------------------------------------------------------------------- coding: the cross-entropy loss
def _sparse_cross_entropy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    return float(-np.mean(np.log(probabilities[np.arange(len(labels)), labels])))


def _cross_entropy_inputs(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n_images, n_classes = int(rng.integers(11, 17)), int(rng.integers(3, 11))   # N ≠ K: a swapped axis shows
    logits = rng.normal(scale=2.0, size=(n_images, n_classes))
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return probabilities, rng.integers(0, n_classes, size=n_images)


def check_sparse_cross_entropy(student_fn: Callable | None) -> bool | None:
    """student_fn(probabilities (N, K), labels (N,) integers) -> the mean sparse categorical cross-entropy."""
    return check_function(
        "Sparse categorical cross-entropy", student_fn, _sparse_cross_entropy, _cross_entropy_inputs,
        arg_names=("probabilities", "labels"),
        hint="For image i only the probability of its own true class counts. Check the shape of what you "
             "take the log of: one number per image, (N,), not (N, N) or (N, K). The loss is one positive "
             "number, an average over the N images.",
    )
