"""Reference answers for notebook 10's exercises (and typical wrong answers the checks must reject)."""

import numpy as np


def pad_and_truncate(sequences, maxlen):
    # keras.utils.pad_sequences' defaults: zeros before the words, keep the last maxlen words.
    out = np.zeros((len(sequences), maxlen), dtype="int64")
    for row, sequence in enumerate(sequences):
        kept = list(sequence)[-maxlen:]
        if kept:
            out[row, maxlen - len(kept):] = kept
    return out


def _pad_post(sequences, maxlen):  # zeros after the words
    out = np.zeros((len(sequences), maxlen), dtype="int64")
    for row, sequence in enumerate(sequences):
        kept = list(sequence)[-maxlen:]
        out[row, :len(kept)] = kept
    return out


def _keep_first_words(sequences, maxlen):  # truncating='post': the beginning is kept, the verdict lost
    out = np.zeros((len(sequences), maxlen), dtype="int64")
    for row, sequence in enumerate(sequences):
        kept = list(sequence)[:maxlen]
        out[row, maxlen - len(kept):] = kept
    return out


def _pad_to_longest(sequences, maxlen):  # pads every row to the longest sequence, ignoring maxlen
    width = max(len(s) for s in sequences)
    out = np.zeros((len(sequences), width), dtype="int64")
    for row, sequence in enumerate(sequences):
        out[row, width - len(sequence):] = sequence
    return out


REFERENCE = {
    "check_padded_shape": (3, 6),
    "check_embedding_params": 1_280_000,          # 20000 · 64
    "check_bilstm_params": 16_640,                # 2 · 4 · 32 · (32 + 32 + 1)
    "check_pad_and_truncate": pad_and_truncate,
}

WRONG = {
    "check_padded_shape": [(3, 7), (6, 3), (3, 5), (3,), (1, 6)],
    "check_embedding_params": [1_280_064, 20_064, 64, 20_000],
    "check_bilstm_params": [8_320, 16_576, 33_280, 2_080],
    "check_pad_and_truncate": [_pad_post, _keep_first_words, _pad_to_longest],
}
