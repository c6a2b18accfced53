"""Exercise checks for notebook 08 (convolutional networks on CIFAR-10)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from utils.exercises import close_to, report
from utils.exercises.coding import check_function


def _whole(expected: int):
    def predicate(answer: Any) -> bool:
        return not isinstance(answer, bool) and float(answer) == float(expected)

    return predicate


def check_output_size(answer: Any) -> bool | None:
    """Output width of a 7x7, P=3, S=2 convolution on a 63-wide input."""
    return report(
        "Output size", answer, _whole((63 - 7 + 2 * 3) // 2 + 1),
        "use W_out = (W - F + 2P)/S + 1 with W=63, F=7, P=3, S=2; the +1 goes outside the fraction, "
        "and the padding counts on both sides.",
    )


def check_conv_params(answer: Any) -> bool | None:
    """Parameters of Conv2D(128, 5) on a 64-channel input."""
    return report(
        "Conv2D parameters", answer, close_to(5 * 5 * 64 * 128 + 128, rel=0, abs_tol=0.5),
        "each of the K filters spans F x F x D_in weights (all input channels), and each filter has one bias.",
    )


def check_receptive_field(answer: Any) -> bool | None:
    """Receptive field of three stacked 3x3 stride-1 convolutions."""
    return report(
        "Receptive field", answer, _whole(7),
        "work backwards from the output neuron: it reads a 3x3 window of the layer below, and every pixel of that "
        "window reads its own 3x3 window further down. How much wider does the patch get with each layer you go "
        "down? (Or count the nonzero outputs of conv2d_numpy on a one-pixel image.)",
    )


def _max_pool2d(x: np.ndarray, size: int) -> np.ndarray:
    x = np.asarray(x)
    rows, cols = x.shape[0] // size, x.shape[1] // size
    windows = x[: rows * size, : cols * size].reshape(rows, size, cols, size, *x.shape[2:])
    return windows.max(axis=(1, 3))


def _feature_maps() -> Callable[[np.random.Generator], tuple]:
    """(H, W) and (H, W, C) arrays, some with sides the window does not divide, and a window size."""
    kinds = iter([("2d", True), ("3d", True), ("2d", False), ("3d", False), ("3d", True), ("2d", False)])

    def make(rng: np.random.Generator) -> tuple:
        dims, divisible = next(kinds)
        size = int(rng.choice([2, 3]))
        height, width = (size * int(rng.integers(2, 5)) + (0 if divisible else int(rng.integers(1, size)))
                         for _ in range(2))
        shape = (height, width) if dims == "2d" else (height, width, int(rng.integers(2, 5)))
        return rng.normal(size=shape).round(3), size

    return make


def check_max_pool2d(student_fn: Callable | None) -> bool | None:
    """student_fn(x, size) -> max over non-overlapping size x size windows, per channel, as MaxPooling2D(size)."""
    return check_function(
        "Max-pooling", student_fn, _max_pool2d, _feature_maps(), n_cases=6,
        arg_names=("x", "size"),
        hint="the windows do not overlap: window (i, j) covers rows i*size to (i+1)*size - 1 and the same for "
             "columns, and a window that would stick out past the edge is dropped. Take the max over the two "
             "spatial axes of each window only, so that each channel keeps its own maximum.",
    )
