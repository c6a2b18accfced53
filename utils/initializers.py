"""Weight initializers that Keras does not ship: Martens' sparse initialization.

Martens (2010, "Deep learning via Hessian-free optimization", section 5) gives every unit
exactly ``k`` nonzero incoming weights (he used k = 15, drawn from a unit Gaussian) and
sets the rest to zero. Unlike Glorot or He, the size of each nonzero weight does not shrink
as the layer gets wider, so units stay different from one another even in very wide layers.
"""

from __future__ import annotations

import random as _python_random
from typing import Any

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="course")
class SparseInitializer(keras.initializers.Initializer):
    """Each output unit (each column of a ``(fan_in, fan_out)`` kernel) gets exactly ``k``
    nonzero incoming weights drawn from ``N(0, stddev**2)``; all other weights are 0.

    Args:
        k: nonzero incoming weights per unit (Martens used 15). Capped at ``fan_in``.
        stddev: standard deviation of the nonzero weights (Martens: 1.0). Keeping the
            pre-activation variance of He or LeCun initialization means ``sqrt(2 / k)``
            for ReLU or ``sqrt(1 / k)`` for tanh.
        seed: an int for reproducible draws. ``None`` draws one int from Python's
            ``random`` at construction (so ``seed_everything`` makes it reproducible);
            like Keras's own initializers, one instance then returns the same values on
            every call, so give each layer its own instance.
    """

    def __init__(self, k: int = 15, stddev: float = 1.0, seed: int | None = None) -> None:
        if int(k) != k or k < 1:
            raise ValueError(f"k must be a positive whole number, got {k!r}.")
        if stddev <= 0:
            raise ValueError(f"stddev must be positive, got {stddev!r}.")
        self.k = int(k)
        self.stddev = float(stddev)
        self._init_seed = seed
        self.seed = seed if seed is not None else _python_random.randint(1, 2**31 - 1)

    def __call__(self, shape: tuple[int, ...], dtype: Any = None) -> Any:
        if len(shape) < 2:
            raise ValueError(f"SparseInitializer needs a kernel of rank >= 2, got shape {shape}.")
        fan_out = shape[-1]
        fan_in = 1
        for dim in shape[:-1]:
            fan_in *= dim
        k = min(self.k, fan_in)
        # A random permutation per column: the rows ranked below k are the chosen inputs.
        scores = keras.random.uniform((fan_in, fan_out), seed=self.seed)
        ranks = ops.argsort(ops.argsort(scores, axis=0), axis=0)
        mask = ops.cast(ranks < k, dtype or "float32")
        values = keras.random.normal((fan_in, fan_out), stddev=self.stddev, seed=self.seed + 1, dtype=dtype)
        return ops.reshape(values * mask, shape)

    def get_config(self) -> dict[str, Any]:
        return {"k": self.k, "stddev": self.stddev, "seed": self._init_seed}
