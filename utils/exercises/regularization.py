"""Checks for notebook 06 (regularization)."""

from __future__ import annotations

from typing import Any

from utils.exercises import close_to, report, same_text


def check_dropout_kept_value(answer: Any) -> bool | None:
    """Output of a kept unit (input 3.0) under inverted dropout with rate 0.2."""
    return report(
        "Inverted dropout", answer, close_to(3.0 / (1 - 0.2), rel=1e-3),
        "Keras divides the kept outputs by the keep probability 1 - rate, so the mean output stays the input.",
    )


def check_l2_penalty(answer: Any) -> bool | None:
    """keras.regularizers.L2(0.01) on w = (0.5, -1.0, 2.0)."""
    return report(
        "L2 penalty", answer, close_to(0.01 * (0.25 + 1.0 + 4.0), rel=1e-3),
        "Keras's L2(λ) adds λ · Σ w² (square each weight, no factor 1/2).",
    )


def check_which_is_l1(answer: Any) -> bool | None:
    """Which histogram belongs to the L1 model."""
    return report(
        "Which model used L1", answer, same_text("B"),
        "L1 pulls every weight with the same force, so many weights end up far below 1e-3 (a separate hump on the left).",
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
