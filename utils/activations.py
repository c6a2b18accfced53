"""Look inside a trained or freshly built network: per-layer activations and dead ReLU units."""

from __future__ import annotations

from typing import Sequence

import numpy as np


def layer_activations(model, x: np.ndarray, layers: Sequence | None = None, batch_size: int = 1024) -> list[np.ndarray]:
    """Outputs of ``layers`` (default: every Dense layer but the last) for inputs ``x``.

    The model must be built (called once, or made with an ``Input``). Activations are
    NumPy arrays of shape ``(len(x), units)``; with ``training=False`` (no dropout).
    """
    import keras

    if layers is None:
        dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
        layers = dense[:-1]
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    probe = keras.Model(inputs=inputs, outputs=[layer.output for layer in layers])
    chunks = []
    for start in range(0, len(x), batch_size):  # a direct call: no tf.function to retrace
        outputs = probe(x[start:start + batch_size], training=False)
        if not isinstance(outputs, (list, tuple)):
            outputs = [outputs]
        chunks.append([keras.ops.convert_to_numpy(o).reshape(len(o), -1) for o in outputs])
    return [np.concatenate(parts) for parts in zip(*chunks)]


def dead_unit_fraction(activations: np.ndarray, tol: float = 0.0) -> float:
    """Fraction of units (columns) whose activation is ``<= tol`` for every input (row).

    A ReLU unit that outputs 0 for every example also gets zero gradient from every
    example: it is "dead" on this data and cannot learn its way back.
    """
    activations = np.asarray(activations)
    if activations.ndim != 2 or activations.shape[1] == 0:
        raise ValueError(f"expected a (examples, units) array, got shape {activations.shape}")
    return float(np.mean(np.all(activations <= tol, axis=0)))


def dead_fraction_by_layer(model, x: np.ndarray, layers: Sequence | None = None) -> list[float]:
    """:func:`dead_unit_fraction` of each hidden Dense layer of ``model`` on inputs ``x``."""
    return [dead_unit_fraction(a) for a in layer_activations(model, x, layers)]
