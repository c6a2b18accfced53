"""Checks for notebook 12 (attention and a Transformer block)."""

from __future__ import annotations

from typing import Any

import numpy as np

from utils.exercises import close_to, report
from utils.exercises.coding import check_function


def _whole(expected: int):
    return lambda answer: not isinstance(answer, bool) and float(answer) == expected


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def check_weight_by_hand(answer: Any) -> bool | None:
    """Dot-product attention of q = (1, 0) over the keys (2, 0), (0, 2), (1, 1): the weight of the first key."""
    scores = np.array([1.0, 0.0]) @ np.array([[2.0, 0.0], [0.0, 2.0], [1.0, 1.0]]).T
    return report(
        "attention weight by hand", answer, close_to(_softmax(scores)[0], rel=0, abs_tol=0.005 + 1e-12),
        "score each key with the dot product q·k, then take the softmax of the three scores: "
        "exp(score of key 1) divided by the sum of the three exponentials. A weight lies between 0 and 1.",
    )


def check_score_spread(answer: Any) -> bool | None:
    """Standard deviation of q·k for d_k = 16 independent entries of mean 0 and variance 4."""
    return report(
        "spread of q·k", answer, close_to(np.sqrt(16 * 4.0 * 4.0), rel=0.01),
        "q·k is a sum of d_k products q_i·k_i; each product has the variance Var(q_i)·Var(k_i), and the variances of "
        "independent terms add up. The question asks for the standard deviation, the square root of the variance.",
    )


def check_mha_params(answer: Any) -> bool | None:
    """keras.layers.MultiHeadAttention(num_heads=4, key_dim=16) on 32-dimensional inputs."""
    d_model, heads, key_dim = 32, 4, 16
    projections = 3 * (d_model * heads * key_dim + heads * key_dim)
    output = heads * key_dim * d_model + d_model
    return report(
        "MultiHeadAttention parameters", answer, _whole(projections + output),
        "four dense projections: query, key and value each map d_model inputs to num_heads·key_dim outputs "
        "(a kernel and a bias), and the output projection maps num_heads·key_dim back to d_model (a kernel and a bias). "
        "Here num_heads·key_dim is not equal to d_model.",
    )


def check_cost_ratio(answer: Any) -> bool | None:
    """Attention weights per head: a 400-word review against a 128-word one."""
    return report(
        "attention cost ratio", answer, close_to((400 / 128) ** 2, rel=0, abs_tol=0.05 + 1e-12),
        "self-attention over n words computes one weight for every (query word, key word) pair. "
        "Count the pairs for both lengths and divide; give one decimal.",
    )


def _masked_attention(query, key, value, mask):
    scores = query @ np.swapaxes(key, -1, -2) / np.sqrt(query.shape[-1])
    scores = np.where(mask, scores, -np.inf)
    weights = _softmax(scores)
    return weights @ value, weights


def _attention_inputs(rng: np.random.Generator) -> tuple:
    batch, t_query, t_key, d_k, d_v = (int(n) for n in rng.integers(2, 6, size=5))
    if rng.random() < 0.5:   # causal (a decoder): query step t sees key steps 0 … t
        t_key = t_query
        mask = np.tril(np.ones((t_query, t_key), dtype=bool))
    else:                    # padding: every query sees a random non-empty set of keys
        mask = rng.random((batch, t_query, t_key)) < 0.6
        mask[..., 0] = True
    query = rng.normal(size=(batch, t_query, d_k))
    key = rng.normal(size=(batch, t_key, d_k))
    value = rng.normal(size=(batch, t_key, d_v))
    return query, key, value, mask


def check_masked_attention(student_fn: Any) -> bool | None:
    """Scaled dot-product attention with a boolean mask (True: may attend)."""
    return check_function(
        "masked_attention", student_fn, _masked_attention, _attention_inputs,
        arg_names=("query", "key", "value", "mask"), output_names=("the output", "the weights"), rtol=1e-6, atol=1e-9,
        hint="compute the scaled scores as in section 6, then give every score whose mask entry is False a value the "
             "softmax turns into exactly 0 (np.where helps; the mask broadcasts against the scores), then softmax "
             "over the keys and weight the values. Each row of weights must still sum to 1.",
    )
