"""Checks for notebook 08 (RNN fundamentals)."""

from __future__ import annotations

from typing import Any

from utils.exercises import close_to, report


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
        "gradient factor after 20 steps", answer, close_to(0.9 ** 20, rel=1e-2),
        "each step back multiplies the gradient by W_sᵀ, which for 0.9·Q scales every vector by exactly 0.9; "
        "repeat that once per step.",
    )
