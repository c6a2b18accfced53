"""Reference answers for notebook 12's exercises (and typical wrong answers the checks must reject)."""

import numpy as np


def masked_attention(query, key, value, mask):
    # Scaled scores, masked entries to -inf (exp(-inf) = 0), softmax over the keys, weighted values.
    scores = query @ np.swapaxes(key, -1, -2) / np.sqrt(query.shape[-1])
    scores = np.where(mask, scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True)
    return weights @ value, weights


def _softmax(scores):
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _mask_after_softmax(query, key, value, mask):  # zeroes the weights but does not renormalise them
    weights = _softmax(query @ np.swapaxes(key, -1, -2) / np.sqrt(query.shape[-1])) * mask
    return weights @ value, weights


def _unscaled(query, key, value, mask):  # forgets the 1/sqrt(d_k)
    weights = _softmax(np.where(mask, query @ np.swapaxes(key, -1, -2), -np.inf))
    return weights @ value, weights


def _mask_ignored(query, key, value, mask):
    weights = _softmax(query @ np.swapaxes(key, -1, -2) / np.sqrt(query.shape[-1]))
    return weights @ value, weights


def _softmax_over_queries(query, key, value, mask):  # normalises each column instead of each row
    scores = np.where(mask, query @ np.swapaxes(key, -1, -2) / np.sqrt(query.shape[-1]), -1e9)
    weights = np.exp(scores - scores.max(axis=-2, keepdims=True))
    weights = weights / weights.sum(axis=-2, keepdims=True)
    return weights @ value, weights


REFERENCE = {
    "check_weight_by_hand": 0.67,          # softmax of the scores (2, 0, 1): e² / (e² + 1 + e) ≈ 0.665
    "check_score_spread": 16,              # sqrt(16 · 4 · 4)
    "check_mha_params": 8416,              # 3 · (32·64 + 64) + (64·32 + 32)
    "check_cost_ratio": 9.8,               # (400 / 128)² ≈ 9.77
    "check_masked_attention": masked_attention,
}

WRONG = {
    "check_weight_by_hand": [2, 0.5, 0.33, 0.73, 0.88],
    "check_score_spread": [4, 8, 256, 64, 32],
    "check_mha_params": [4224, 8192, 6336, 4160],
    "check_cost_ratio": [3.1, 3.125, 31.3, 160000],
    "check_masked_attention": [_mask_after_softmax, _unscaled, _mask_ignored, _softmax_over_queries],
}
