"""Reproducibility: one call seeds Python, NumPy and Keras (and makes TensorFlow deterministic)."""

from __future__ import annotations

import os
import random

import numpy as np

from utils.backend import enable_determinism, trace_steps_once


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and Keras; on TensorFlow also turn on deterministic ops.

    Deterministic TF ops cost a little speed and make two runs with the same seed
    give identical weights on CPU.
    """
    import keras

    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)
    enable_determinism()
    trace_steps_once()  # same numbers, one graph per training step instead of two (TensorFlow)
