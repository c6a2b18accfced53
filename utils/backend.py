"""Backend-specific code lives here and nowhere else.

Keras 3 runs on TensorFlow (the default), JAX or PyTorch; choose with the environment
variable ``KERAS_BACKEND`` *before* ``import keras`` (or before ``import utils``).
The only TensorFlow-specific pieces of the collection are below: muting TensorFlow's
C++ start-up messages, and turning on its deterministic ops (see ``utils.repro``).
"""

from __future__ import annotations

import os
import sys


def requested_backend() -> str:
    """The backend Keras will use, read without importing Keras."""
    return os.environ.get("KERAS_BACKEND", "tensorflow")


def quiet_tensorflow_import() -> None:
    """Import TensorFlow with its C++ start-up chatter (absl, CUDA probes) sent to /dev/null.

    Only the import itself is muted; Python errors still surface. To see TensorFlow's
    C++ logs again, set ``TF_CPP_MIN_LOG_LEVEL=0`` before importing ``utils``.
    """
    if requested_backend() != "tensorflow" or "tensorflow" in sys.modules:
        return
    if os.environ.get("TF_CPP_MIN_LOG_LEVEL") == "0":
        return
    sys.stderr.flush()
    saved_stderr = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        try:
            import tensorflow  # noqa: F401
        except ImportError:
            pass  # Keras will report a missing backend itself
    finally:
        os.dup2(saved_stderr, 2)
        os.close(saved_stderr)
        os.close(devnull)


def enable_determinism() -> None:
    """Deterministic kernels where the backend needs a switch for it (TensorFlow)."""
    import keras

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
