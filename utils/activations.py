"""Look inside a trained or freshly built network: per-layer activations and dead ReLU units."""

from __future__ import annotations

from typing import Sequence

import numpy as np


def layer_activations(model, x: np.ndarray, layers: Sequence | None = None, batch_size: int = 1024) -> list[np.ndarray]:
    """Outputs of ``layers`` (layers or layer names; default: every Dense layer but the last) for inputs ``x``.

    The model must be built (called once, or made with an ``Input``). Activations are
    NumPy arrays of shape ``(len(x), units)``; with ``training=False`` (no dropout).
    """
    import keras

    if layers is None:
        dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
        layers = dense[:-1]
    layers = [model.get_layer(layer) if isinstance(layer, str) else layer for layer in layers]
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    probe = keras.Model(inputs=inputs, outputs=[layer.output for layer in layers])
    chunks = []
    for start in range(0, len(x), batch_size):  # a direct call: no tf.function to retrace
        outputs = probe(x[start:start + batch_size], training=False)
        if not isinstance(outputs, (list, tuple)):
            outputs = [outputs]
        chunks.append([keras.ops.convert_to_numpy(o).reshape(len(o), -1) for o in outputs])
    return [np.concatenate(parts) for parts in zip(*chunks)]


def firing_rates(activations: np.ndarray, tol: float = 0.0) -> np.ndarray:
    """Per unit (column): the share of inputs (rows) on which its output is not zero, ``|a| > tol``."""
    activations = np.asarray(activations)
    if activations.ndim != 2 or activations.shape[1] == 0:
        raise ValueError(f"expected a (examples, units) array, got shape {activations.shape}")
    return np.mean(np.abs(activations) > tol, axis=0)


def dead_unit_fraction(activations: np.ndarray, tol: float = 0.0) -> float:
    """Fraction of units (columns) whose output is zero, ``|a| <= tol``, on every input (row).

    Such a unit sends no signal forward and, for ReLU, gets zero gradient from every example:
    it is "dead" on this data and cannot learn its way back. A leaky-ReLU unit with negative
    outputs is not dead (it still passes gradient), so zero means zero, not "not positive".
    """
    return float(np.mean(firing_rates(activations, tol) == 0))


def dead_fraction_by_layer(model, x: np.ndarray, layers: Sequence | None = None) -> list[float]:
    """:func:`dead_unit_fraction` of each hidden Dense layer of ``model`` on inputs ``x``."""
    return [dead_unit_fraction(a) for a in layer_activations(model, x, layers)]
