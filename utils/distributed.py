"""Data and model parallelism with ``keras.distribution``, on a CPU that pretends to be several devices.

``keras.distribution`` is built on JAX, and JAX decides how many devices it sees once, when it
starts, from ``XLA_FLAGS=--xla_force_host_platform_device_count=N``. So the examples of notebook 13
run in a child Python process started with those variables (:func:`run_on_simulated_devices`),
whatever backend the notebook itself uses; the tests start the same child. The two functions the
child runs, :func:`data_parallel_vs_one_device` and :func:`model_parallel_placement`, are plain
Keras and are shown in the notebook. The simulated devices share the same CPU cores, so they show
what is computed where and that the result is right, not a speed-up.

    python -m utils.distributed '{"n_devices": 4, "tasks": {"data_parallel_vs_one_device": {}}}'
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from utils.backend import backend_installed, simulated_cpu_devices_env

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULT_PREFIX = "RESULT "


def _mlp(hidden: int, classes: int, seed: int, name: str = "mlp"):
    """A small MLP whose initial weights depend only on ``seed`` (seeded initializers, no global state)."""
    import keras

    return keras.Sequential([
        keras.layers.Dense(hidden, activation="relu", name="hidden",
                           kernel_initializer=keras.initializers.GlorotUniform(seed=seed)),
        keras.layers.Dense(classes, name="logits", kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 1)),
    ], name=name)


def _built(model, features: int):
    model.build((None, features))
    return model


def data_parallel_vs_one_device(global_batch: int = 64, steps: int = 5, features: int = 32, hidden: int = 64,
                                classes: int = 10, learning_rate: float = 0.1, seed: int = 42) -> dict[str, Any]:
    """Train the same MLP from the same weights on the same global batches, on one device and with DataParallel.

    Returns the largest absolute weight difference after ``steps`` SGD steps, the largest weight and the
    largest change of a weight (equal weights prove something only if training moved them), both final
    losses, where each variable lives and how the input batch is split.
    """
    import keras
    from keras import distribution

    from utils.backend import variable_placement

    rng = np.random.default_rng(seed)
    x = rng.normal(size=(steps * global_batch, features)).astype("float32")
    y = rng.integers(0, classes, size=steps * global_batch)

    def train() -> tuple[Any, float]:
        model = _built(_mlp(hidden, classes, seed), features)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        history = model.fit(x, y, batch_size=global_batch, epochs=1, shuffle=False, verbose=0)
        return model, float(history.history["loss"][-1])

    distribution.set_distribution(None)                        # one device: cpu:0
    initial = [np.asarray(w) for w in _built(_mlp(hidden, classes, seed), features).get_weights()]
    one_device, loss_one = train()
    devices = distribution.list_devices("cpu")
    mesh = distribution.DeviceMesh(shape=(len(devices),), axis_names=["batch"], devices=devices)
    data_parallel = distribution.DataParallel(device_mesh=mesh)
    distribution.set_distribution(data_parallel)               # every device: the batch is split along "batch"
    parallel, loss_parallel = train()
    distribution.set_distribution(None)

    weights_one = [np.asarray(w) for w in one_device.get_weights()]
    weights_parallel = [np.asarray(w) for w in parallel.get_weights()]
    return {
        "devices": devices,
        "global_batch": global_batch,
        "steps": steps,
        "batch_layout": [str(a) for a in data_parallel.get_data_layout((global_batch, features)).axes],
        "max_weight_difference": max(float(np.abs(a - b).max()) for a, b in zip(weights_one, weights_parallel)),
        "largest_weight": max(float(np.abs(w).max()) for w in weights_one),
        "largest_update": max(float(np.abs(a - b).max()) for a, b in zip(weights_one, initial)),
        "loss_one_device": loss_one,
        "loss_data_parallel": loss_parallel,
        "placement": {v.path: variable_placement(v) for v in parallel.weights},
    }


def model_parallel_placement(in_features: int = 32, units: int = 256, classes: int = 10,
                             seed: int = 42) -> dict[str, Any]:
    """Split one large Dense layer's kernel (and bias) by columns across the devices with ModelParallel.

    Returns where each variable lives and the largest difference between the split model's
    outputs and those of the same weights on one device.
    """
    import keras
    from keras import distribution

    from utils.backend import variable_placement

    x = np.random.default_rng(seed).normal(size=(8, in_features)).astype("float32")

    def build():
        model = keras.Sequential([
            keras.layers.Dense(units, activation="relu", name="big",
                               kernel_initializer=keras.initializers.GlorotUniform(seed=seed)),
            keras.layers.Dense(classes, name="head", kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 1)),
        ])
        model.build((None, in_features))
        return model

    distribution.set_distribution(None)
    reference = np.asarray(build()(x))
    devices = distribution.list_devices("cpu")
    mesh = distribution.DeviceMesh(shape=(1, len(devices)), axis_names=["batch", "model"], devices=devices)
    layout_map = distribution.LayoutMap(mesh)
    layout_map[".*big/kernel"] = (None, "model")   # keys are regular expressions matched against the whole path
    layout_map[".*big/bias"] = ("model",)
    distribution.set_distribution(distribution.ModelParallel(layout_map=layout_map, batch_dim_name="batch"))
    model = build()
    outputs = np.asarray(model(x))
    distribution.set_distribution(None)
    return {
        "devices": devices,
        "placement": {v.path: variable_placement(v) for v in model.weights},
        "max_output_difference": float(np.abs(outputs - reference).max()),
        "largest_output": float(np.abs(reference).max()),
    }


TASKS = {"data_parallel_vs_one_device": data_parallel_vs_one_device,
         "model_parallel_placement": model_parallel_placement}


def run_on_simulated_devices(tasks: dict[str, dict[str, Any]], n_devices: int = 4,
                             timeout: float = 600) -> dict[str, Any]:
    """Run ``tasks`` (name → keyword arguments, names from :data:`TASKS`) in a child process: Keras on JAX, ``n_devices`` CPUs.

    Returns ``{"status": "ok", "seconds": ..., name: result, ...}``; ``{"status": "skipped", "reason": ...}`` when
    JAX is not installed; ``{"status": "failed", "reason": ...}`` (the child's last error lines) when the child fails.
    """
    unknown = sorted(set(tasks) - set(TASKS))
    if unknown:
        raise ValueError(f"unknown task(s) {unknown}; known: {sorted(TASKS)}")
    if not backend_installed("jax"):
        return {"status": "skipped",
                "reason": "JAX is not installed, and keras.distribution needs it (pip install -r requirements-jax.txt)"}
    env = {**os.environ, **simulated_cpu_devices_env(n_devices),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    request = json.dumps({"n_devices": n_devices, "tasks": tasks})
    start = time.perf_counter()
    try:
        child = subprocess.run([sys.executable, "-m", "utils.distributed", request], env=env, cwd=REPO_ROOT,
                               capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": "failed", "reason": f"the child process took more than {timeout:.0f} s"}
    lines = [line for line in child.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if child.returncode != 0 or not lines:
        tail = "\n".join((child.stderr or child.stdout).strip().splitlines()[-5:])
        return {"status": "failed", "reason": f"exit status {child.returncode}: {tail}"}
    return {"status": "ok", "seconds": time.perf_counter() - start, **json.loads(lines[-1][len(RESULT_PREFIX):])}


# Optional packages that Keras imports at start-up when they are installed (pandas for DataFrame inputs,
# scikit-learn for its wrappers, matplotlib for image galleries, IPython for notebook display) and that the
# child never uses: about 1.5 s of its start on a 2-core CPU.
UNUSED_IN_CHILD = ("pandas", "sklearn", "matplotlib", "IPython")


def _child(request: dict[str, Any]) -> dict[str, Any]:
    """The child's side: check that JAX sees the devices asked for, then run each task."""
    for name in UNUSED_IN_CHILD:
        sys.modules.setdefault(name, None)  # `import name` now raises ImportError: Keras then treats it as not installed
    import keras

    if keras.backend.backend() != "jax":
        raise RuntimeError(f"the child process runs Keras on {keras.backend.backend()}, not JAX")
    seen = keras.distribution.list_devices("cpu")
    if len(seen) != request["n_devices"]:
        raise RuntimeError(f"JAX sees {len(seen)} CPU devices, not {request['n_devices']}: was it started before XLA_FLAGS was set?")
    return {name: TASKS[name](**kwargs) for name, kwargs in request["tasks"].items()}


if __name__ == "__main__":
    print(RESULT_PREFIX + json.dumps(_child(json.loads(sys.argv[1]))), flush=True)
