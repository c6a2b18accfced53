"""Checks for notebook 07 (regularization)."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from utils.exercises import close_to, report, same_text
from utils.exercises.coding import check_function


def check_dropout_kept_value(answer: Any) -> bool | None:
    """Output of a kept unit (input 3.0) under inverted dropout with rate 0.2, asked to two decimals."""
    return report(
        "Inverted dropout", answer, close_to(3.0 / (1 - 0.2), rel=0, abs_tol=0.005 + 1e-9),
        "Keras divides the kept outputs by the keep probability 1 - rate, so the mean output stays the input.",
    )


def check_l2_penalty(answer: Any) -> bool | None:
    """keras.regularizers.L2(0.01) on w = (0.5, -1.0, 2.0), asked to four decimals."""
    return report(
        "L2 penalty", answer, close_to(0.01 * (0.25 + 1.0 + 4.0), rel=0, abs_tol=0.5e-4 + 1e-9),
        "Keras's L2(λ) adds λ · Σ w² (square each weight, no factor 1/2).",
    )


def _l1_label(seed: int) -> str:
    """The label, "A" or "B", that the L1 model's histogram gets for this seed."""
    return "AB"[int(np.random.default_rng([seed, 6]).integers(2))]


def l1_or_l2_panels(l1_weights: Any, l2_weights: Any, seed: int) -> dict:
    """{"A": weights, "B": weights}: the L1 and L2 models' weights under labels drawn from the seed.

    The notebook plots the two without showing which is which; ``check_which_is_l1`` with the
    same seed knows.
    """
    other = "B" if _l1_label(seed) == "A" else "A"
    return {_l1_label(seed): l1_weights, other: l2_weights}


def check_which_is_l1(answer: Any, seed: int = 42) -> bool | None:
    """Which histogram of ``l1_or_l2_panels(..., seed)`` belongs to the L1 model."""
    return report(
        "Which model used L1", answer, same_text(_l1_label(seed)),
        "look far left of the main hump, at weights well below 1e-3. L1 pulls every weight towards 0 by the same "
        "η·λ₁ per step, so the weights the data do not defend end up jittering within about that distance of 0: "
        "a separate cluster of tiny weights. L2's pull fades as a weight shrinks, so its histogram only moves left "
        "and thins out smoothly.",
    )


def _as_pair(answer: Any) -> tuple[int, int]:
    stop, restored = answer
    if any(isinstance(v, bool) or float(v) != int(v) for v in (stop, restored)):
        raise ValueError("whole epochs expected")
    return int(stop), int(restored)


def check_early_stopping(answer: Any) -> bool | None:
    """(stopping epoch, restored epoch) for the exercise's validation losses, patience 3."""
    return report(
        "Early stopping epochs", answer, lambda a: _as_pair(a) == (8, 5),
        "Track the best loss so far; count epochs without a new best; stop when that count reaches the patience. "
        "The restored weights are those of the best epoch seen before stopping.",
    )


def _early_stopping_epochs(val_losses: list, patience: int) -> tuple[int, int]:
    best, best_epoch, wait = math.inf, 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
    return len(val_losses), best_epoch


def _validation_curves() -> Callable[[np.random.Generator], tuple]:
    """Validation-loss curves of several kinds, in turn: U-shaped, still falling, with a plateau, noisy."""
    kinds = iter(["u", "falling", "plateau", "noisy", "u", "u"])

    def make(rng: np.random.Generator) -> tuple:
        kind, n = next(kinds), int(rng.integers(10, 17))
        epochs = np.arange(n)
        if kind == "plateau":
            turn = int(rng.integers(2, 5))
            losses = np.r_[np.linspace(0.9, 0.6, turn), [0.6] * 4, 0.6 - 0.01 * np.arange(1, n - turn - 3)]
            return [round(float(v), 2) for v in losses], int(rng.integers(2, 4))
        scale = {"u": 0.02, "falling": 0.0, "noisy": 0.04}[kind]
        rise = {"u": 0.03, "falling": 0.0, "noisy": 0.01}[kind]
        best = rng.integers(3, n - 3)
        losses = 0.4 + 0.5 * np.exp(-epochs / 3) + rise * np.maximum(epochs - best, 0) + scale * rng.normal(size=n)
        if kind == "falling":
            losses = np.sort(losses)[::-1] - 0.005 * epochs
        return [round(float(v), 2) for v in losses], int(rng.integers(1, 5))

    return make


def check_early_stopping_epochs(student_fn: Callable | None) -> bool | None:
    """student_fn(val_losses, patience) -> (stop_epoch, restored_epoch), as EarlyStopping(restore_best_weights=True)."""
    return check_function(
        "Early stopping, written out", student_fn, _early_stopping_epochs, _validation_curves(), n_cases=6,
        arg_names=("val_losses", "patience"), output_names=("stop_epoch", "restored_epoch"),
        hint="keep the best loss so far and its epoch, and a count of epochs since the last improvement "
             "(a strictly lower loss resets it to 0). Stop when the count reaches the patience, not after it; "
             "only the epochs up to the stop can be restored. Epochs count from 1.",
    )
