"""Exercise checks for notebook 04 (learning rate: range test and schedules)."""

from __future__ import annotations

from typing import Any

import numpy as np

from utils.exercises import close_to, report

# The range test printed in exercise 2 of the notebook.
FINDER_LRS = np.array([1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0])
FINDER_LOSSES = np.array([2.30, 2.30, 2.28, 2.15, 1.70, 1.10, 0.80, 0.95, 3.50])


def check_triangular_lr(answer: Any) -> bool | None:
    """Triangular CLR with base 0.001, max 0.006, step_size 2000, at step 5000."""
    from utils.schedules import CyclicalLearningRate, schedule_values

    (expected,) = schedule_values(CyclicalLearningRate(0.001, 0.006, 2000, mode="triangular"), [5000])
    return report(
        "Triangular rate by hand", answer, close_to(expected, rel=1e-4),
        "one full cycle is 2 × step_size = 4000 steps, so step 5000 is 1000 steps into the second cycle, "
        "halfway up its rising side. Compute cycle and x with the formulas of section 3.",
    )


def check_finder_reading(answer: Any) -> bool | None:
    """A rate read off the printed range test: where the smoothed loss falls fastest (1e-2 to 3e-2)."""

    def good(value: Any) -> bool:
        value = float(value)
        return 0.008 <= value <= 0.035

    return report(
        "Reading a range test", answer, good,
        "find where the loss drops the most from one column to the next (a steep fall), not where it is "
        "lowest: at the minimum the rate is already too large. A tenth of the minimum's rate is another check.",
    )


def check_least_squares_max_lr(answer: Any) -> bool | None:
    """Border of stability of gradient descent for Hessian eigenvalues 0.5, 2, 8."""
    return report(
        "Largest stable rate", answer, close_to(2.0 / 8.0, rel=1e-3),
        "the error along eigenvector i is multiplied by (1 - ηλ_i) each step. Which eigenvalue makes "
        "|1 - ηλ| reach 1 first as η grows?",
    )
