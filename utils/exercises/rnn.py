"""Checks for notebook 09 (RNN fundamentals)."""

from __future__ import annotations

from typing import Any

import numpy as np

from utils.exercises import close_to, report
from utils.exercises.coding import check_function


def _whole(expected: int):
    return lambda answer: not isinstance(answer, bool) and float(answer) == expected


def check_seed_rnn_params(answer: Any) -> bool | None:
    """SimpleRNN(3) on (4 steps, 5 features) followed by Dense(1): total trainable parameters."""
    return report(
        "SimpleRNN(3) + Dense(1) parameters", answer, _whole(3 * (5 + 3 + 1) + (3 + 1)),
        "per unit: one weight per input feature, one per state unit, one bias; then the Dense layer's weights "
        "and bias. The number of time steps does not enter.",
    )


def check_lstm_params(answer: Any) -> bool | None:
    """LSTM(8) on 5 input features."""
    return report(
        "LSTM(8) parameters", answer, _whole(4 * 8 * (5 + 8 + 1)),
        "an LSTM holds four SimpleRNN-sized blocks (three gates and the candidate), each u·(d + u + 1).",
    )


def check_gradient_factor(answer: Any) -> bool | None:
    """Linear RNN with W_s = 0.9·Q: gradient norm ratio 20 steps back."""
    return report(
        "gradient ratio after 20 steps", answer, close_to(0.9 ** 20, rel=0, abs_tol=0.005 + 1e-12),
        "each step back multiplies the gradient by W_sᵀ, which for 0.9·Q scales every vector by exactly 0.9; "
        "repeat that once per step. The ratio is below 1; give it to two decimals.",
    )


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _gru_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    u = h_prev.shape[-1]
    from_x = x_t @ kernel + bias
    z = _sigmoid(from_x[:, :u] + h_prev @ recurrent_kernel[:, :u])
    r = _sigmoid(from_x[:, u:2 * u] + h_prev @ recurrent_kernel[:, u:2 * u])
    candidate = np.tanh(from_x[:, 2 * u:] + (r * h_prev) @ recurrent_kernel[:, 2 * u:])
    return z * h_prev + (1 - z) * candidate


def _gru_inputs(rng: np.random.Generator) -> tuple:
    batch, features, units = (int(n) for n in rng.integers(2, 6, size=3))
    return (rng.normal(size=(batch, features)), np.tanh(rng.normal(size=(batch, units))),
            rng.normal(scale=0.7, size=(features, 3 * units)), rng.normal(scale=0.7, size=(units, 3 * units)),
            rng.normal(scale=0.3, size=3 * units))


def check_gru_step(student_fn: Any) -> bool | None:
    """One step of Keras's GRU with reset_after=False, in NumPy."""
    return check_function(
        "GRU step (reset_after=False)", student_fn, _gru_step, _gru_inputs,
        arg_names=("x_t", "h_prev", "kernel", "recurrent_kernel", "bias"),
        hint="compare with the equations line by line: column blocks in the order z, r, h; sigmoid for both "
             "gates, tanh for the candidate; in this variant r multiplies h_prev before the product with U_h; "
             "in the last line z weighs the old state h_prev.",
    )
