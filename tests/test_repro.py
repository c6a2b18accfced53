"""Seeding makes a small fit repeatable, bit for bit."""

import numpy as np

from utils import seed_everything


def _fit_once(seed: int) -> list[np.ndarray]:
    import keras

    seed_everything(seed)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("int32")
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dropout(0.3), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=3, batch_size=32, shuffle=True, verbose=0)
    return model.get_weights()


def test_same_seed_same_weights():
    first, second = _fit_once(7), _fit_once(7)
    assert all(np.array_equal(a, b) for a, b in zip(first, second))


def test_other_seed_other_weights():
    first, second = _fit_once(7), _fit_once(8)
    assert not all(np.array_equal(a, b) for a, b in zip(first, second))
