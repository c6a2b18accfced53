"""The small Fashion-MNIST MLP that notebooks 04 and 05 train again and again, and its score in NumPy."""

from __future__ import annotations

import numpy as np


def make_mlp(optimizer, seed: int):
    """A small MLP on flat images (784 → 128 ReLU → 10 logits), compiled with ``optimizer``.

    The same ``seed`` gives the same initial weights every time, so runs differ only by what the
    caller changes (the optimizer, its learning rate, the batch size).
    """
    import keras

    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10),
    ])
    model.compile(optimizer=optimizer, loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def loss_and_accuracy(model, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Cross-entropy and accuracy of a :func:`make_mlp` model, in NumPy from its weights (no Keras tracing)."""
    w1, b1, w2, b2 = model.get_weights()
    logits = np.maximum(x @ w1 + b1, 0.0) @ w2 + b2
    logits = logits - logits.max(axis=1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(y)), y].mean()), float((logits.argmax(axis=1) == y).mean())
