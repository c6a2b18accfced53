"""Automatic differentiation of a function written with ``keras.ops``, on any Keras backend.

Keras 3 has no backend-neutral ``grad``; each backend has its own (``tf.GradientTape``,
``jax.value_and_grad``, ``torch.autograd``). :func:`value_and_grad` hides that one difference,
so a notebook can compare its hand-written gradients with the framework's.
"""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np


def value_and_grad(
    loss_fn: Callable[[dict], object], params: Mapping[str, np.ndarray]
) -> tuple[float, dict[str, np.ndarray]]:
    """``loss_fn(params)`` and its gradient with respect to every array in ``params``.

    ``loss_fn`` takes a dict of backend tensors (same keys as ``params``) and returns a scalar
    built with ``keras.ops``. Arrays keep their dtype (use float64 for tight comparisons).
    Returns the loss as a float and the gradients as NumPy arrays.
    """
    import keras

    backend = keras.backend.backend()
    arrays = {name: np.asarray(value) for name, value in params.items()}
    # ---- the only backend-specific part -------------------------------------------------
    if backend == "tensorflow":
        import tensorflow as tf

        variables = {name: tf.Variable(value) for name, value in arrays.items()}
        with tf.GradientTape() as tape:
            loss = loss_fn(variables)
        grads = tape.gradient(loss, variables)
    elif backend == "jax":
        import jax

        # JAX computes in float32 unless x64 is on; keep float64 inputs in float64 here only.
        with jax.enable_x64(any(v.dtype == np.float64 for v in arrays.values())):
            loss, grads = jax.value_and_grad(loss_fn)({name: jax.numpy.asarray(v) for name, v in arrays.items()})
            loss, grads = np.asarray(loss), {name: np.asarray(g) for name, g in grads.items()}
    elif backend == "torch":
        import torch

        tensors = {name: torch.tensor(value, requires_grad=True) for name, value in arrays.items()}
        loss = loss_fn(tensors)
        loss.backward()
        grads = {name: tensor.grad for name, tensor in tensors.items()}
        loss = loss.detach()
    else:
        raise NotImplementedError(f"value_and_grad: no autodiff branch for the {backend!r} backend")
    # -------------------------------------------------------------------------------------
    as_numpy = keras.ops.convert_to_numpy if backend != "torch" else (lambda t: t.detach().cpu().numpy())
    return float(as_numpy(loss)), {name: np.asarray(as_numpy(g)) for name, g in grads.items()}
