"""Exercise checks for notebook 05 (learning rate: range test and schedules)."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from utils.exercises import close_to, report
from utils.exercises.coding import check_function

# The range test printed in exercise 2 of the notebook.
FINDER_LRS = np.array([1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0])
FINDER_LOSSES = np.array([2.30, 2.30, 2.28, 2.15, 1.70, 1.10, 0.80, 0.95, 3.50])


def check_triangular_lr(answer: Any) -> bool | None:
    """Triangular CLR with base 0.001, max 0.006, step_size 2000, at step 5000; asked to four decimals."""
    from utils.schedules import CyclicalLearningRate, schedule_values

    (expected,) = schedule_values(CyclicalLearningRate(0.001, 0.006, 2000, mode="triangular"), [5000])
    return report(
        "Triangular rate by hand", answer, close_to(expected, rel=0, abs_tol=0.5e-4 + 1e-9),
        "one full cycle is 2 × step_size steps, rising then falling. Compute cycle and x with the formulas of "
        "section 3 (x is 1 at the bottom of a cycle, 0 at its top), then interpolate between base_lr and max_lr.",
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
    """Border of stability of gradient descent for Hessian eigenvalues 0.5, 2, 8; asked to two decimals."""
    return report(
        "Largest stable rate", answer, close_to(2.0 / 8.0, rel=0, abs_tol=0.005 + 1e-9),
        "the error along eigenvector i is multiplied by (1 - ηλ_i) each step. Which eigenvalue makes "
        "|1 - ηλ| reach 1 first as η grows?",
    )


def _warmup_cosine_lr(step: int, peak_lr: float, warmup_steps: int, total_steps: int) -> float:
    if step < warmup_steps:
        return peak_lr * step / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return 0.5 * peak_lr * (1.0 + math.cos(math.pi * progress))


def _warmup_cosine_inputs() -> Callable[[np.random.Generator], tuple]:
    """Inputs that visit every phase in turn: warm-up, decay, the peak, the last step."""
    phases = iter(["warm-up", "decay", "warm-up", "decay", "peak", "end"])

    def make(rng: np.random.Generator) -> tuple:
        warmup_steps = int(rng.integers(5, 50))
        total_steps = warmup_steps + int(rng.integers(20, 500))
        peak_lr = float(np.round(10 ** rng.uniform(-3, 0), 4))
        phase = next(phases)
        step = {"warm-up": int(rng.integers(1, warmup_steps)), "decay": int(rng.integers(warmup_steps + 1, total_steps)),
                "peak": warmup_steps, "end": total_steps}[phase]
        return step, peak_lr, warmup_steps, total_steps

    return make


def check_warmup_cosine_lr(student_fn: Callable | None) -> bool | None:
    """student_fn(step, peak_lr, warmup_steps, total_steps) -> the rate of a linear warm-up then cosine decay."""
    return check_function(
        "Warm-up then cosine decay", student_fn, _warmup_cosine_lr, _warmup_cosine_inputs(), n_cases=6,
        arg_names=("step", "peak_lr", "warmup_steps", "total_steps"),
        hint="treat the two phases separately. In the warm-up the rate is a fraction of peak_lr that is 0 at step 0 "
             "and would be 1 at step = warmup_steps. In the decay, p must be 0 at step = warmup_steps and 1 at "
             "step = total_steps; math.cos and np.cos take radians.",
    )
