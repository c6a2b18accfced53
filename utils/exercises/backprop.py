"""Checks for notebook 02 (backpropagation)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from utils.exercises import close_to, report
from utils.exercises.coding import check_function


def _linear_backward(x: np.ndarray, weight: np.ndarray, grad_output: np.ndarray):
    return grad_output @ weight, grad_output.T @ x, grad_output.sum(axis=0)


def _linear_inputs(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    batch, n_in, n_out = int(rng.integers(2, 6)), int(rng.integers(2, 5)), int(rng.integers(5, 8))
    return rng.normal(size=(batch, n_in)), rng.normal(size=(n_out, n_in)), rng.normal(size=(batch, n_out))


def check_linear_backward(student_fn: Callable | None) -> bool | None:
    """student_fn(x, weight, grad_output) -> (grad_x, grad_weight, grad_bias) for y = x @ weight.T + bias."""
    return check_function(
        "Backward pass of a linear layer", student_fn, _linear_backward, _linear_inputs,
        arg_names=("x", "weight", "grad_output"), output_names=("grad_x", "grad_weight", "grad_bias"),
        hint="Write y_bk = Σ_i x_bi W_ki + c_k for one example b, differentiate by x_bi, W_ki and c_k, "
             "then add up over the batch where a parameter is shared by every example. "
             "Check each gradient has the shape of what it is the gradient of.",
    )


def _mse_gradient(y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
    return 2.0 * (y_pred - y_true) / y_pred.size


def _mse_inputs(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    shape = (int(rng.integers(2, 7)), int(rng.integers(2, 4)))
    return rng.normal(size=shape), rng.normal(size=shape)


def check_mse_gradient(student_fn: Callable | None) -> bool | None:
    """student_fn(y_pred, y_true) -> dL/dy_pred for L = the mean of (y_pred - y_true)**2 over every entry."""
    return check_function(
        "Gradient of the mean squared error", student_fn, _mse_gradient, _mse_inputs,
        arg_names=("y_pred", "y_true"),
        hint="Differentiate one term (ŷ − y)² with respect to ŷ and check the sign: which way should ŷ move when it is "
             "above y? Then remember the mean: how many terms does it divide by?",
    )


def check_backward_multiply_adds(answer: Any) -> bool | None:
    """answer = multiply-adds of the backward pass of Dense(784 → 300) on a batch of 32 (input gradient included).

    A rounded answer such as 1.505e7 is accepted (relative tolerance 1e-3).
    """
    batch, n_in, n_out = 32, 784, 300
    return report("Multiply-adds of a backward pass", answer, close_to(2 * batch * n_in * n_out, rel=1e-3),
                  "Count the matrix products of the backward pass (one for the weight gradient, one for the "
                  "gradient passed to the layer below) and the multiply-adds of each: (a×b)·(b×c) needs a·b·c.")
