"""Checks for notebook 01 (the perceptron)."""

from __future__ import annotations

from typing import Any

import numpy as np

from utils.exercises import close_to, report

_BINARY_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])


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
    """answer = (new_w, new_b) after one perceptron step on the notebook's example."""
    w, b, x, y, learning_rate = np.array([0.5, -0.2]), 0.1, np.array([1.0, 2.0]), 0, 0.1
    error = y - int(x @ w + b >= 0)
    expected_w, expected_b = w + learning_rate * error * x, b + learning_rate * error

    def is_right(candidate: Any) -> bool:
        new_w, new_b = candidate
        return close_to(expected_w, 1e-6)(new_w) and close_to(expected_b, 1e-6, 1e-9)(new_b)

    return report("One perceptron update", answer, is_right,
                  "First predict: is w·x + b ≥ 0? Then error = y − ŷ, and both w and b move by "
                  "η·error times their input (the bias's input is the constant 1).")


def check_novikoff_bound(answer: Any) -> bool | None:
    """answer = the most updates Novikoff's theorem allows for R = 3 and γ = 0.5."""
    return report("Novikoff's bound", answer, close_to((3 / 0.5) ** 2, 1e-9),
                  "The bound is (R/γ)²: don't forget the square.")


def check_sigmoid_slope(answer: Any) -> bool | None:
    """answer = the derivative of the logistic sigmoid at z = 0."""
    return report("Sigmoid slope at 0", answer, close_to(0.25, 1e-6),
                  "Use σ'(z) = σ(z)·(1 − σ(z)) and σ(0) = 1/2.")
