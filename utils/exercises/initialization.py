"""Checks for notebook 05 (initialization)."""

from __future__ import annotations

import math
from typing import Any

from utils.exercises import close_to, report


def check_glorot_limit(answer: Any) -> bool | None:
    """Glorot uniform limit for fan_in=784, fan_out=256."""
    return report(
        "Glorot uniform limit", answer, close_to(math.sqrt(6 / (784 + 256)), rel=5e-3),
        "a = sqrt(6 / (fan_in + fan_out)); use both fans, and the 6 of the uniform distribution (variance a²/3).",
    )


def check_he_std(answer: Any) -> bool | None:
    """He standard deviation for fan_in=512."""
    return report(
        "He standard deviation", answer, close_to(math.sqrt(2 / 512), rel=5e-3),
        "He keeps Var(w) = 2 / fan_in; the standard deviation is the square root of the variance.",
    )


def check_sparse_nonzeros(answer: Any) -> bool | None:
    """Nonzero weights of a 784→256 kernel with k=15 nonzeros per unit."""
    return report(
        "Sparse initialization nonzeros", answer, close_to(15 * 256, rel=0, abs_tol=0.5),
        "k counts the nonzero incoming weights of each unit (each column of the kernel); how many units are there?",
    )


def check_constant_init_units(answer: Any) -> bool | None:
    """Distinct units left in a layer whose weights all started equal."""
    return report(
        "Units after a constant start", answer, close_to(1, rel=0, abs_tol=1e-9),
        "Equal starting weights give every unit the same gradient at every step.",
    )
