"""Checks for notebook 06 (initialization)."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from utils.exercises import close_to, report
from utils.exercises.coding import check_function


def check_glorot_limit(answer: Any) -> bool | None:
    """Glorot uniform limit for fan_in=300, fan_out=100, asked to three significant digits (0.122)."""
    return report(
        "Glorot uniform limit", answer, close_to(math.sqrt(6 / (300 + 100)), rel=0, abs_tol=6e-4),
        "a = sqrt(6 / (fan_in + fan_out)); use both fans, and the 6 of the uniform distribution (variance a²/3).",
    )


def check_he_std(answer: Any) -> bool | None:
    """He standard deviation for fan_in=512, asked to four decimals."""
    return report(
        "He standard deviation", answer, close_to(math.sqrt(2 / 512), rel=0, abs_tol=6e-5),
        "He keeps Var(w) = 2 / fan_in; the standard deviation is the square root of the variance.",
    )


def check_sparse_nonzeros(answer: Any) -> bool | None:
    """Nonzero weights of a 784→256 kernel with k=15 nonzeros per unit."""
    return report(
        "Sparse initialization nonzeros", answer, close_to(15 * 256, rel=0, abs_tol=0.5),
        "k counts the nonzero incoming weights of each unit (each column of the kernel); how many units are there?",
    )


def check_constant_init_units(answer: Any) -> bool | None:
    """Distinct units left in a 64-unit layer whose weights all started at 0.3, the next layer's being random."""
    return report(
        "Units after a constant start", answer, close_to(64, rel=0, abs_tol=1e-9),
        "section 1's argument needs w_j, b_j AND the outgoing weights v_jk to start equal. Here the v_jk differ: "
        "look at δ_j = φ'(z_j) Σ_k v_jk δ_k. Is it the same for every unit j after the first step?",
    )


def _fans(shape: tuple) -> tuple[int, int]:
    receptive_field = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return int(shape[-2]) * receptive_field, int(shape[-1]) * receptive_field


def _kernel_shapes() -> Callable[[np.random.Generator], tuple]:
    """Dense (n_in, n_out) and Conv2D (kh, kw, c_in, c_out) kernel shapes, in turn."""
    kinds = iter(["dense", "conv", "conv", "dense", "conv", "conv"])

    def make(rng: np.random.Generator) -> tuple:
        if next(kinds) == "dense":
            return ((int(rng.integers(2, 1000)), int(rng.integers(2, 1000))),)
        kh, kw = int(rng.choice([3, 5, 7])), int(rng.choice([1, 3, 5, 7]))
        return ((kh, kw, int(rng.integers(1, 65)), int(rng.integers(65, 257))),)

    return make


def check_fans(student_fn: Callable | None) -> bool | None:
    """student_fn(shape) -> (fan_in, fan_out) as Keras computes them, for a Dense or a Conv2D kernel shape."""
    return check_function(
        "Fan-in and fan-out of a kernel", student_fn, _fans, _kernel_shapes(), n_cases=6,
        arg_names=("shape",), output_names=("fan_in", "fan_out"),
        hint="the last two axes of a kernel are (inputs, outputs), whatever comes before them. In a convolution "
             "one output value is a dot product over a whole kh × kw patch of every input channel; count what it "
             "reads (fan_in), and, the same way, how many output values one input value is used in (fan_out).",
    )
