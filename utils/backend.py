"""Backend-specific code lives here and nowhere else (a test checks that).

Keras 3 runs on TensorFlow (the default), JAX or PyTorch; choose with the environment
variable ``KERAS_BACKEND`` *before* ``import keras`` (or before ``import utils``).
Everything in the notebooks and the rest of ``utils`` is written against ``keras`` and
``keras.ops``. The few things Keras 3 leaves to each backend are here:

- muting TensorFlow's start-up chatter and retracing notes (:func:`quiet_tensorflow_import`);
- which CPU kernels TensorFlow loads: its own by default (the course's records were made with them),
  oneDNN's faster ones where a notebook asks for speed (:func:`choose_cpu_kernels`, :func:`describe_cpu_kernels`);
- deterministic kernels (:func:`enable_determinism`, used by ``utils.repro``);
- tracing each new model's training step once instead of twice on TensorFlow (:func:`trace_steps_once`);
- automatic differentiation of a ``keras.ops`` function (:func:`value_and_grad`);
- float64 arithmetic where a check needs it (:func:`float64_enabled`: JAX computes in float32 by default);
- which backend is running (:func:`backend_name`), its version and accelerator, for the
  results table (:func:`backend_version`, :func:`accelerators`);
- a workaround for stateful LSTM/GRU layers on PyTorch (:func:`stateful_rnn_options`).
- for notebook 13: the environment of a child process with Keras on JAX and simulated CPU devices
  (:func:`simulated_cpu_devices_env`), where a distributed variable lives (:func:`variable_placement`),
  a ``tf.data`` input pipeline (:func:`augmented_tf_dataset`) and the machine's description
  (:func:`hardware_description`).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import logging
import os
import platform
import sys
from typing import Callable, Mapping

import numpy as np


def backend_name() -> str:
    """The Keras backend in use: ``tensorflow``, ``jax`` or ``torch``.

    The one place that answers "which backend?": Keras decides it once, at import, from
    ``KERAS_BACKEND`` or else ``keras.json`` in ``KERAS_HOME`` (default TensorFlow), so ask Keras.
    """
    import keras

    return keras.backend.backend()


NO_TENSORFLOW_ENV = "COURSE_NO_TENSORFLOW"  # "1": importing utils does not import TensorFlow


FAST_CPU_KERNELS_ENV = "COURSE_FAST_CPU_KERNELS"
_ONEDNN_SET_BY_COURSE_ENV = "COURSE_SET_TF_ENABLE_ONEDNN_OPTS"
_TENSORFLOW_LOADED_BEFORE_CHOICE = False


def choose_cpu_kernels() -> None:
    """Before TensorFlow loads: its oneDNN CPU kernels off (the course's default) unless a notebook asked for speed.

    A notebook asks by setting ``COURSE_FAST_CPU_KERNELS=1`` before it first imports ``utils``
    (notebook 08 does). TensorFlow reads ``TF_ENABLE_ONEDNN_OPTS`` once, when it loads. A value the
    user set wins; one inherited from a course process (a runner, a test session) does not.
    """
    wanted = os.environ.get(FAST_CPU_KERNELS_ENV, "0")
    if wanted not in ("0", "1"):
        raise ValueError(f"{FAST_CPU_KERNELS_ENV}={wanted!r}: use '1' for TensorFlow's fast oneDNN CPU kernels "
                         "or '0' for its own ones (the course's default)")
    global _TENSORFLOW_LOADED_BEFORE_CHOICE
    _TENSORFLOW_LOADED_BEFORE_CHOICE = "tensorflow" in sys.modules  # then the choice comes too late
    if "TF_ENABLE_ONEDNN_OPTS" in os.environ and os.environ.get(_ONEDNN_SET_BY_COURSE_ENV) != "1":
        return
    os.environ["TF_ENABLE_ONEDNN_OPTS"] = wanted
    os.environ[_ONEDNN_SET_BY_COURSE_ENV] = "1"


def fast_cpu_kernels_in_use() -> bool | None:
    """Whether TensorFlow runs its oneDNN CPU kernels in this process; None when the backend is not TensorFlow."""
    import keras

    if keras.backend.backend() != "tensorflow":
        return None
    try:
        from tensorflow.python.util import _pywrap_util_port  # no public name in TF 2.21
    except ImportError:  # a later TensorFlow may move it: then say what was asked for
        return os.environ.get("TF_ENABLE_ONEDNN_OPTS") == "1"
    return bool(_pywrap_util_port.IsMklEnabled())


def describe_cpu_kernels(requested: bool) -> str:
    """One line for a notebook: which CPU kernels run, and how to get the ones it asked for if they differ."""
    if not isinstance(requested, bool):
        raise TypeError(f"fast_cpu_kernels must be True or False, not {requested!r}: set it in the parameters cell")
    in_use = fast_cpu_kernels_in_use()
    if in_use is None:
        return f"CPU kernels: {backend_name()} chooses its own (the fast_cpu_kernels switch is for TensorFlow)"
    if requested and not in_use and os.environ.get("TF_ENABLE_ONEDNN_OPTS") == "1" and not _TENSORFLOW_LOADED_BEFORE_CHOICE:
        return ("TensorFlow CPU kernels: its own (Eigen); this TensorFlow build has no oneDNN kernels "
                "(macOS builds have none), so fast_cpu_kernels changes nothing here")
    if in_use != requested:
        return (f"⚠ fast_cpu_kernels = {requested}, but TensorFlow was loaded with oneDNN {'on' if in_use else 'off'} "
                f"(TF_ENABLE_ONEDNN_OPTS={os.environ.get('TF_ENABLE_ONEDNN_OPTS')!r}): it reads the switch once, when it "
                "loads, so restart the kernel and run from the top (and unset TF_ENABLE_ONEDNN_OPTS if you set it)")
    if in_use:
        return ("TensorFlow CPU kernels: oneDNN (fast; it rounds differently from the course's default kernels, and "
                "training amplifies that: expect numbers as different as with another seed)")
    return ("TensorFlow CPU kernels: its own (Eigen), oneDNN off (slower; the course's default, with which the "
            "other notebooks' records were made)")


def quiet_tensorflow_import() -> None:
    """Import TensorFlow with its C++ start-up chatter (absl, CUDA probes) sent to /dev/null.

    Only the import itself is muted; Python errors still surface. To see TensorFlow's
    C++ logs again, set ``TF_CPP_MIN_LOG_LEVEL=0`` before importing ``utils``.
    """
    # Not only for the TensorFlow backend: keras.utils.set_random_seed imports TensorFlow whenever it is
    # installed (to seed tf.data), so on JAX or PyTorch its start-up lines would appear at the first seeding.
    if "tensorflow" in sys.modules or importlib.util.find_spec("tensorflow") is None:
        return
    if os.environ.get(NO_TENSORFLOW_ENV) == "1":  # a child process that never uses TensorFlow (utils.distributed)
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
        # Notebooks that build many small models trigger tf.function "retracing" warnings,
        # which are about TensorFlow's graph cache, not about anything a student did.
        logging.getLogger("tensorflow").setLevel(logging.ERROR)
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


_TRACE_ONCE_PATCHED = False


def _batch_spec(data):
    """Symbolic stand-ins (batch size None) for a nested batch of arrays, or None when it is not arrays."""
    import keras

    leaves = [leaf for leaf in keras.tree.flatten(data) if leaf is not None]
    if not leaves or not all(hasattr(leaf, "shape") and hasattr(leaf, "dtype") and len(leaf.shape) > 0 for leaf in leaves):
        return None  # a dataset, a generator, a PyDataset: leave it to Keras
    return keras.tree.map_structure(
        lambda leaf: None if leaf is None else keras.KerasTensor((None, *leaf.shape[1:]), dtype=keras.backend.standardize_dtype(leaf.dtype)),
        data)


def trace_steps_once() -> None:
    """On TensorFlow: build a compiled model's optimizer and metric variables before its first step is traced.

    Without a distribution strategy, Keras on TensorFlow creates those variables inside the first
    trace of ``train_step`` (and ``test_step``); ``tf.function`` then traces the step a second
    time, and building a graph costs 1-5 s a model on a 2-core CPU, whatever the data size. JAX
    and PyTorch build them first, from the shapes of one batch (``Trainer._symbolic_build``); this
    makes ``fit``, ``evaluate``, ``train_on_batch`` and ``test_on_batch`` do the same on TensorFlow
    when the inputs are arrays and the model is already built. The variables start at the same
    values either way, so every number is the same to the last bit; only the second trace goes.
    Keras versions without the hook it relies on are left as they are.
    """
    global _TRACE_ONCE_PATCHED
    if _TRACE_ONCE_PATCHED or backend_name() != "tensorflow":
        return
    try:
        from keras.src.backend.tensorflow.trainer import TensorFlowTrainer
    except ImportError:
        return
    if not all(hasattr(TensorFlowTrainer, name) for name in ("_symbolic_build", "fit", "evaluate", "train_on_batch", "test_on_batch")):
        return

    def build_first(model, data_batch) -> None:
        if (model._distribute_strategy is None and data_batch is not None
                and all(layer.built for layer in model._flatten_layers())):
            model._symbolic_build(data_batch=data_batch)

    def wrap(method: Callable, batch_of: Callable) -> Callable:
        @functools.wraps(method)  # keeps the name and docstring; the original stays at `__wrapped__`
        def wrapped(self, *args, **kwargs):
            build_first(self, batch_of(*args, **kwargs))
            return method(self, *args, **kwargs)

        return wrapped

    def batch_of_xy(x=None, y=None, *args, **kwargs):
        return _batch_spec((x, y, kwargs.get("sample_weight")))

    TensorFlowTrainer.fit = wrap(TensorFlowTrainer.fit, batch_of_xy)
    TensorFlowTrainer.evaluate = wrap(TensorFlowTrainer.evaluate, batch_of_xy)
    TensorFlowTrainer.train_on_batch = wrap(TensorFlowTrainer.train_on_batch, batch_of_xy)
    TensorFlowTrainer.test_on_batch = wrap(TensorFlowTrainer.test_on_batch, batch_of_xy)
    _TRACE_ONCE_PATCHED = True


def float64_enabled(enabled: bool = True) -> contextlib.AbstractContextManager:
    """A context in which float64 tensors really are float64.

    TensorFlow and PyTorch honour ``dtype="float64"`` anyway; JAX silently computes in float32
    unless its x64 mode is on, so on JAX this turns it on inside the ``with`` block only.
    """
    if enabled and backend_name() == "jax":
        import jax

        return jax.enable_x64(True)
    return contextlib.nullcontext()


def value_and_grad(
    loss_fn: Callable[[dict], object], params: Mapping[str, np.ndarray]
) -> tuple[float, dict[str, np.ndarray]]:
    """``loss_fn(params)`` and its gradient with respect to every array in ``params``.

    ``loss_fn`` takes a dict of backend tensors (same keys as ``params``) and returns a scalar
    built with ``keras.ops``. Arrays keep their dtype (use float64 for tight comparisons).
    Returns the loss as a float and the gradients as NumPy arrays.
    Keras 3 has no backend-neutral ``grad``: this hides the one difference between
    ``tf.GradientTape``, ``jax.value_and_grad`` and ``torch.autograd``.
    """
    import keras

    backend = keras.backend.backend()
    arrays = {name: np.asarray(value) for name, value in params.items()}
    if backend == "tensorflow":
        import tensorflow as tf

        variables = {name: tf.Variable(value) for name, value in arrays.items()}
        with tf.GradientTape() as tape:
            loss = loss_fn(variables)
        grads = tape.gradient(loss, variables)
    elif backend == "jax":
        import jax

        with float64_enabled(any(v.dtype == np.float64 for v in arrays.values())):
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
    as_numpy = keras.ops.convert_to_numpy if backend != "torch" else (lambda t: t.detach().cpu().numpy())
    return float(as_numpy(loss)), {name: np.asarray(as_numpy(g)) for name, g in grads.items()}


def backend_version(backend: str) -> str | None:
    """The installed version of the backend library, or None if it cannot be imported."""
    if backend not in ("tensorflow", "jax", "torch"):
        return None
    try:
        module = importlib.import_module(backend)
    except ImportError:
        return None
    return module.__version__


def accelerators(backend: str) -> list[str]:
    """Accelerator platforms the backend sees (e.g. ``["gpu"]``); empty on a CPU-only machine."""
    try:
        if backend == "jax":
            import jax

            return [d.platform for d in jax.devices() if d.platform != "cpu"]
        if backend == "torch":
            import torch

            return ["gpu"] if torch.cuda.is_available() else []
        import tensorflow as tf

        return ["gpu"] if tf.config.list_physical_devices("GPU") else []
    except Exception:  # device probing must never break a notebook
        return []


def stateful_rnn_options() -> dict[str, bool]:
    """Extra keyword arguments for a *stateful* Keras LSTM/GRU layer on this backend.

    On PyTorch, Keras 3.15's fused LSTM/GRU kernel keeps the initial state for the backward pass,
    then Keras overwrites the state variable in place, so training fails with "modified by an
    inplace operation" (keras-team/keras#20875, #23462). The layer's plain step-by-step loop
    (``use_cudnn=False``) gives the same results and trains. TensorFlow and JAX need nothing.
    """
    return {"use_cudnn": False} if backend_name() == "torch" else {}


def backend_installed(backend: str) -> bool:
    """Whether the library of a Keras backend (``tensorflow``, ``jax``, ``torch``) is installed (without importing it)."""
    return importlib.util.find_spec(backend) is not None


def simulated_cpu_devices_env(n_devices: int) -> dict[str, str]:
    """Environment variables for a process in which Keras runs on JAX and sees the CPU as ``n_devices`` devices.

    XLA reads ``XLA_FLAGS`` once, when JAX starts: that is why the distribution examples run in a
    child process (``utils.distributed``) started with these variables, whatever the notebook's backend.
    The simulated devices share the same CPU cores: they show what is computed where, not speed. So XLA
    compiles without its backend optimisations (``--xla_backend_optimization_level=0``, unless ``XLA_FLAGS``
    already sets a level): the same results to float32 rounding, in about half the compile time.
    """
    flags = [f for f in os.environ.get("XLA_FLAGS", "").split() if "device_count" not in f]
    if not any(f.startswith("--xla_backend_optimization_level") for f in flags):
        flags.append("--xla_backend_optimization_level=0")
    return {"KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu", NO_TENSORFLOW_ENV: "1",
            "XLA_FLAGS": " ".join([*flags, f"--xla_force_host_platform_device_count={n_devices}"])}


def variable_placement(variable) -> dict[str, object]:
    """Where a Keras variable lives under a ``keras.distribution``: its partition spec and each device's piece.

    Returns ``{"spec": "P(None, 'model')", "shards": [("cpu:0", (20, 16)), ...]}``: ``spec`` names the mesh
    axis each dimension is split along (None: not split, i.e. replicated along it). JAX backend only.
    """
    if backend_name() != "jax":
        raise NotImplementedError("variable_placement needs the JAX backend (keras.distribution is built on it)")
    array = variable.value
    spec = getattr(array.sharding, "spec", None)
    shards = sorted((f"{s.device.platform}:{s.device.id}", tuple(s.data.shape)) for s in array.addressable_shards)
    return {"spec": "replicated" if spec is None else str(spec), "shards": shards}


TF_DATA = "tf.data"  # the pipeline's name, as tables print it


def tf_data_available() -> bool:
    """Whether :func:`augmented_tf_dataset` can run: it needs TensorFlow installed, whatever the Keras backend."""
    return backend_installed("tensorflow")


def augmented_tf_dataset(images: np.ndarray, labels: np.ndarray, batch_size: int, seed: int,
                         max_shift: int = 4, prefetch: bool = True):
    """A ``tf.data`` pipeline with the same augmentation as notebook 13's ``augment_batch``.

    uint8 images → random horizontal flip and a random shift of up to ``max_shift`` pixels (zero
    padding, then a random crop back to the original size), on ``tf.data``'s parallel threads →
    float32 in [0, 1] → batches → ``prefetch`` (the next batches are prepared while the model trains).
    Keras's ``fit`` takes it on every backend as long as TensorFlow is installed.
    """
    import tensorflow as tf

    height, width, channels = images.shape[1:]

    def augment(image, label):
        image = tf.image.random_flip_left_right(image)
        image = tf.pad(image, [[max_shift, max_shift], [max_shift, max_shift], [0, 0]])
        image = tf.image.random_crop(image, (height, width, channels))
        return tf.cast(image, tf.float32) / 255.0, label

    tf.random.set_seed(seed)  # before the map: its random ops take their seeds when it is traced
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    dataset = dataset.map(augment, num_parallel_calls=tf.data.AUTOTUNE).batch(batch_size, drop_remainder=True)
    options = tf.data.Options()
    options.deterministic = True
    dataset = dataset.with_options(options)
    return dataset.prefetch(tf.data.AUTOTUNE) if prefetch else dataset


def hardware_description(backend: str | None = None) -> str:
    """The CPU model, its core count and the backend's accelerators: "AMD EPYC, 2 CPU cores, accelerators: none"."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    found = accelerators(backend or backend_name())
    return f"{cpu}, {os.cpu_count()} CPU cores, accelerators: {', '.join(found) or 'none'}"


@contextlib.contextmanager
def xla_allowed():
    """A block in which ``jit_compile=True`` really compiles with XLA on TensorFlow too.

    ``start_notebook`` turns on TensorFlow's deterministic ops (:func:`enable_determinism`), and Keras
    then silently falls back from XLA to a plain graph ("Model doesn't support `jit_compile=True`"),
    because XLA does not implement every op deterministically. Inside the block the deterministic ops
    are off (models compiled there may differ in the last bits from run to run); afterwards they are
    back on. JAX and PyTorch need nothing.
    """
    if backend_name() != "tensorflow":
        yield
        return
    from tensorflow.python.framework import config  # disable_op_determinism has no public name in TF 2.21

    was_on = config.is_op_determinism_enabled()
    if was_on:
        config.disable_op_determinism()
    try:
        yield
    finally:
        if was_on:
            config.enable_op_determinism()
