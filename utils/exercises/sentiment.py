"""Checks for notebook 09 (RNN sentiment on IMDB)."""

from __future__ import annotations

from typing import Any

from utils.exercises import report


def _whole(expected: int):
    return lambda answer: not isinstance(answer, bool) and float(answer) == expected


def check_padded_shape(answer: Any) -> bool | None:
    """pad_sequences on 3 reviews of 3, 7 and 5 words with maxlen=6."""
    return report(
        "padded shape", answer, lambda a: tuple(int(v) for v in a) == (3, 6) and len(a) == 2,
        "one row per review; maxlen fixes the number of columns, whether a review is padded or truncated.",
    )


def check_embedding_params(answer: Any) -> bool | None:
    """Embedding(20000, 64)."""
    return report(
        "Embedding parameters", answer, _whole(20_000 * 64),
        "an Embedding is a table with one row of `output_dim` numbers per word of the vocabulary, and no bias.",
    )


def check_bilstm_params(answer: Any) -> bool | None:
    """Bidirectional(LSTM(32)) on 32-dimensional inputs."""
    return report(
        "Bidirectional LSTM parameters", answer, _whole(2 * 4 * 32 * (32 + 32 + 1)),
        "one LSTM has 4·u·(d + u + 1) parameters; the wrapper holds two independent LSTMs.",
    )
