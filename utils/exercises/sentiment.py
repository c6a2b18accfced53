"""Checks for notebook 10 (RNN sentiment on IMDB)."""

from __future__ import annotations

from typing import Any

import numpy as np

from utils.exercises import report
from utils.exercises.coding import check_function


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


def _keras_pad(sequences, maxlen):
    # The function the exercise writes by hand, so the check compares with the real thing.
    import keras

    return keras.utils.pad_sequences(sequences, maxlen=maxlen)


def _pad_inputs(rng: np.random.Generator) -> tuple:
    maxlen = int(rng.integers(4, 8))
    lengths = [int(rng.integers(1, maxlen)), int(rng.integers(maxlen + 1, 2 * maxlen))]  # one short, one long
    lengths += [int(n) for n in rng.integers(1, 2 * maxlen, size=int(rng.integers(1, 3)))]
    rng.shuffle(lengths)
    return [[int(i) for i in rng.integers(1, 100, size=n)] for n in lengths], maxlen


def check_pad_and_truncate(student_fn: Any) -> bool | None:
    """pad_sequences' defaults by hand: 'pre' padding with 0 and 'pre' truncation."""
    return check_function(
        "pad_and_truncate", student_fn, _keras_pad, _pad_inputs, arg_names=("sequences", "maxlen"),
        hint="every row has exactly maxlen entries. 'pre' means at the beginning: the zeros go before the words, "
             "and a sequence that is too long loses words at its beginning (the verdict at the end is kept). "
             "Compare your output on a small example with keras.utils.pad_sequences(sequences, maxlen=maxlen).",
    )
