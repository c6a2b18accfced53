"""Checks for notebook 01 (the perceptron)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from utils.exercises import report
from utils.exercises.coding import check_function

_BINARY_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])


def _number_within(expected: float, tolerance: float) -> Callable[[Any], bool]:
    return lambda answer: not isinstance(answer, bool) and abs(float(answer) - expected) <= tolerance


def check_nand_neuron(answer: Any) -> bool | None:
    """answer = (w1, w2, threshold) of a McCulloch-Pitts neuron computing NAND."""

    def is_nand(candidate: Any) -> bool:
        w1, w2, threshold = (float(v) for v in candidate)
        fires = (_BINARY_INPUTS @ np.array([w1, w2]) >= threshold).astype(int)
        return fires.tolist() == [1, 1, 1, 0]

    return report("NAND neuron", answer, is_nand,
                  "NAND must fire for every input except (1, 1). Try negative weights: "
                  "then the sum is largest when no input is on.")


def check_perceptron_update(answer: Any) -> bool | None:
    """answer = (new_w, new_b) after one perceptron step on the notebook's example, to two decimals."""
    w, b, x, y, learning_rate = np.array([0.5, -0.2]), 0.1, np.array([1.0, 2.0]), 0, 0.1
    error = y - int(x @ w + b >= 0)
    expected_w, expected_b = w + learning_rate * error * x, b + learning_rate * error

    def is_right(candidate: Any) -> bool:
        new_w, new_b = candidate
        new_w = np.asarray(new_w, dtype=float)
        return (new_w.shape == expected_w.shape and bool(np.all(np.abs(new_w - expected_w) <= 0.006))
                and _number_within(expected_b, 0.006)(new_b))

    return report("One perceptron update", answer, is_right,
                  "First predict: is w·x + b ≥ 0? Then error = y − ŷ, and both w and b move by "
                  "η·error times their input (the bias's input is the constant 1).")


def check_novikoff_bound(answer: Any) -> bool | None:
    """answer = the most updates Novikoff's theorem allows for R = 3 and γ = 0.5 (a whole number)."""
    return report("Novikoff's bound", answer, _number_within((3 / 0.5) ** 2, 0.5),
                  "The bound is (R/γ)²: don't forget the square.")


def check_sigmoid_slope(answer: Any) -> bool | None:
    """answer = the derivative of the logistic sigmoid at z = 0, to two decimals."""
    return report("Sigmoid slope at 0", answer, _number_within(0.25, 0.006),
                  "Use σ'(z) = σ(z)·(1 − σ(z)) and σ(0) = 1/2.")


# --------------------------------------------------------------------------- coding: the perceptron step
def _perceptron_step(w_aug: np.ndarray, x: np.ndarray, y: int, learning_rate: float) -> np.ndarray:
    x_aug = np.append(x, 1.0)
    error = y - int(x_aug @ w_aug >= 0)
    return w_aug + learning_rate * error * x_aug


def _perceptron_inputs() -> Callable[[np.random.Generator], tuple]:
    """Case 1 starts from zero weights (as training does); then a right prediction, a mistake, and so on."""
    case = {"n": 0}

    def make(rng: np.random.Generator) -> tuple:
        case["n"] += 1
        d = int(rng.integers(2, 5))
        x = np.round(rng.uniform(-2, 2, size=d), 2)
        if case["n"] == 1:
            return np.zeros(d + 1), x, 0, 1.0
        w_aug = np.round(rng.normal(size=d + 1), 2)
        predicted = int(np.append(x, 1.0) @ w_aug >= 0)
        y = predicted if case["n"] % 2 == 0 else 1 - predicted   # even cases right, odd cases a mistake
        return w_aug, x, y, float(np.round(rng.uniform(0.1, 1.0), 2))

    return make


def check_perceptron_step(student_fn: Callable | None) -> bool | None:
    """student_fn(w_aug, x, y, learning_rate) -> the new w_aug, with the bias as the last entry of w_aug."""
    return check_function(
        "The perceptron step, bias folded in", student_fn, _perceptron_step, _perceptron_inputs(),
        arg_names=("w_aug", "x", "y", "learning_rate"),
        hint="Give x its constant input first, so that it has as many entries as w_aug; predict with the "
             "notebook's step (≥ 0 counts as 1); then move every entry of w_aug, the bias too, by "
             "η·(y − ŷ) times its own input. A right prediction changes nothing.",
    )
