"""Backend neutrality: backend-specific code only in utils/backend.py, and what lives there works.

These run on whichever backend KERAS_BACKEND selects (`make test BACKEND=jax|torch`).
"""

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
BACKEND_MODULES = {"tensorflow", "jax", "jaxlib", "torch"}
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _imported_modules(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_utils_backend_imports_a_backend_library():
    offenders = {}
    for path in sorted((ROOT / "utils").rglob("*.py")):
        if path.name == "backend.py" and path.parent.name == "utils":
            continue
        found = _imported_modules(path.read_text()) & BACKEND_MODULES
        if found:
            offenders[str(path.relative_to(ROOT))] = sorted(found)
    assert not offenders, f"backend-specific imports outside utils/backend.py: {offenders}"


def test_the_scan_catches_a_backend_import():
    assert _imported_modules("import tensorflow as tf\nfrom torch import nn\nimport keras") == {"tensorflow", "torch", "keras"}


TF_ONLY = re.compile(r"\btf\.|\btensorflow\b|\.numpy\(\)|\bjax\b|\btorch\b")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_code_is_backend_neutral(path):
    cells = json.loads(path.read_text())["cells"]
    for number, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        code = "\n".join(line.split("#")[0] for line in source.splitlines())  # comments may name backends
        assert not (_imported_modules(_strip_magics(source)) & BACKEND_MODULES), f"cell {number} imports a backend"
        assert not TF_ONLY.search(code), f"cell {number} uses backend-specific code: {TF_ONLY.search(code).group()!r}"


def _strip_magics(source: str) -> str:
    return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_says_how_to_choose_the_backend(path):
    cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
    setup = next("".join(c["source"]) for c in cells if "import utils" in "".join(c["source"]))
    assert "KERAS_BACKEND" in setup and "before" in setup
    imports = [line for line in setup.splitlines() if line.startswith(("import", "from")) and line != "import os"]
    assert imports[0].startswith("import utils"), "utils must be imported before keras (only `import os` may precede it)"


def test_value_and_grad_matches_the_analytic_gradient():
    import keras

    from utils.backend import value_and_grad

    w = np.array([0.5, -1.0, 2.0])
    x = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]])

    def loss(params):  # sum over rows of tanh(x @ w)^2: gradient 2 tanh(z) (1 - tanh(z)^2) x
        return keras.ops.sum(keras.ops.tanh(keras.ops.matmul(params["x"], params["w"])) ** 2)

    value, grads = value_and_grad(loss, {"w": w, "x": x})
    z = np.tanh(x @ w)
    assert value == pytest.approx(np.sum(z**2), rel=1e-6)
    expected = (2 * z * (1 - z**2)) @ x
    tol = 1e-5 if keras.backend.backend() == "tensorflow" else 1e-4  # matmul may run in float32 on JAX/torch
    np.testing.assert_allclose(grads["w"], expected, rtol=tol, atol=tol)
    assert grads["x"].shape == x.shape


def test_environment_info_names_the_backend_and_its_version():
    import keras

    from utils.results import environment_info

    info = environment_info()
    backend = keras.backend.backend()
    assert info["backend"] == backend
    assert re.match(r"\d+\.\d+", info[backend])
    assert info["device"] == "gpu" or info["device"].startswith("cpu")


def test_a_stateful_lstm_trains_with_the_backend_options():
    import keras

    from utils.backend import stateful_rnn_options

    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input(batch_shape=(4, None), dtype="int32"),
        keras.layers.Embedding(12, 8),
        keras.layers.LSTM(16, return_sequences=True, stateful=True, **stateful_rnn_options()),
        keras.layers.Dense(12),
    ])
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    x = np.random.default_rng(0).integers(0, 12, size=(8, 6))
    losses = model.fit(x, x, batch_size=4, epochs=3, shuffle=False, verbose=0).history["loss"]
    assert np.all(np.isfinite(losses)) and losses[-1] < losses[0]
    carried = np.abs(keras.ops.convert_to_numpy(model.layers[1].states[0])).sum() > 0
    if keras.backend.backend() == "jax":
        # Keras 3.15 on JAX: fit()'s stateless step never writes the state back. Notebook 09 says so;
        # when a Keras release fixes it, this fails so that the note gets removed.
        assert not carried, "Keras now carries stateful RNN states in fit() on JAX: update notebook 09's note"
    else:
        assert carried, "a stateful layer keeps its last state between batches"


def test_no_tensorflow_start_up_noise_on_any_backend():
    # keras.utils.set_random_seed imports TensorFlow whenever it is installed, whatever the backend:
    # its absl/CUDA-probe lines must not reach a notebook's stderr on JAX or PyTorch either.
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    code = "import utils; from utils import seed_everything; seed_everything(0); import keras; print(keras.backend.backend())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == env.get("KERAS_BACKEND", "tensorflow")
    noise = [line for line in done.stderr.splitlines() if "absl" in line or "cudart" in line or "oneDNN" in line]
    assert not noise, noise


def test_float64_enabled_really_computes_in_float64():
    import keras

    from utils.backend import float64_enabled

    with float64_enabled():
        one = keras.ops.convert_to_tensor(np.array([1.0]), dtype="float64")
        tiny = keras.ops.convert_to_numpy(keras.ops.add(one, 1e-12) - one)  # lost in float32 (eps 1.2e-7)
        assert keras.backend.standardize_dtype(one.dtype) == "float64"
    assert tiny[0] == pytest.approx(1e-12, rel=1e-3)


def test_backend_name_follows_keras_config_file_too(tmp_path):
    """Without KERAS_BACKEND, Keras takes the backend from keras.json; backend_name must say the same."""
    import os
    import subprocess
    import sys

    other = "jax" if os.environ.get("KERAS_BACKEND", "tensorflow") != "jax" else "tensorflow"
    if other == "jax":
        pytest.importorskip("jax")
    (tmp_path / "keras.json").write_text(json.dumps({"backend": other, "floatx": "float32", "epsilon": 1e-07,
                                                     "image_data_format": "channels_last"}))
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    env["KERAS_HOME"] = str(tmp_path)
    code = "from utils.backend import backend_name; print(backend_name())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == other


def _traced_fit(fit, model, x, y, **kwargs):
    """Run ``fit`` and count how often the training step was traced (a Python call of train_step)."""
    calls = []
    step = model.train_step
    model.train_step = lambda data: (calls.append(1), step(data))[1]
    history = fit(model, x, y, **kwargs)
    return history, len(calls)


def test_trace_steps_once_keeps_every_number_and_traces_once():
    import keras

    from utils.backend import backend_name
    from utils.repro import seed_everything

    if backend_name() != "tensorflow":
        pytest.skip("only TensorFlow traces the first step twice")
    from keras.src.backend.tensorflow.trainer import TensorFlowTrainer

    seed_everything(3)  # installs the hook
    assert hasattr(TensorFlowTrainer.fit, "__wrapped__"), "seed_everything did not install trace_steps_once"
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(96, 5)).astype("float32"), rng.integers(0, 3, size=(96, 1))
    runs = {}
    for name, fit in [("with", TensorFlowTrainer.fit), ("without", TensorFlowTrainer.fit.__wrapped__)]:
        seed_everything(3)
        model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dropout(0.2), keras.layers.Dense(3, activation="softmax")])
        model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        history, traces = _traced_fit(fit, model, x, y, batch_size=32, epochs=2, verbose=0, validation_data=(x[:40], y[:40]))
        runs[name] = (history.history, [w.copy() for w in model.get_weights()], traces)
    assert runs["with"][2] == 1 and runs["without"][2] == 2, {name: run[2] for name, run in runs.items()}
    assert runs["with"][0] == runs["without"][0]
    for with_hook, without_hook in zip(runs["with"][1], runs["without"][1]):
        np.testing.assert_array_equal(with_hook, without_hook)


def _kernel_choice_env(**settings: str) -> dict[str, str]:
    """This process's environment without any CPU-kernel choice, on TensorFlow, plus `settings`."""
    chosen = ("TF_ENABLE_ONEDNN_OPTS", "COURSE_FAST_CPU_KERNELS", "COURSE_SET_TF_ENABLE_ONEDNN_OPTS")
    return {**{k: v for k, v in os.environ.items() if k not in chosen}, "KERAS_BACKEND": "tensorflow", **settings}


@pytest.mark.parametrize("asked, inherited, expected", [
    ("1", {}, True), ("0", {}, False), (None, {}, False),
    # a kernel started by a course process (runner, pytest) that chose oneDNN off for itself: the kernel chooses again
    ("1", {"TF_ENABLE_ONEDNN_OPTS": "0", "COURSE_SET_TF_ENABLE_ONEDNN_OPTS": "1"}, True),
    # the user's own TF_ENABLE_ONEDNN_OPTS wins, and the notebook's line says so
    ("1", {"TF_ENABLE_ONEDNN_OPTS": "0"}, False),
])
def test_the_fast_cpu_kernels_switch_reaches_tensorflow(asked, inherited, expected):
    # A fresh process, as a notebook's kernel: the switch must be set before utils loads TensorFlow.
    pytest.importorskip("tensorflow")
    env = _kernel_choice_env(**inherited, **({} if asked is None else {"COURSE_FAST_CPU_KERNELS": asked}))
    code = ("import utils; from utils.backend import describe_cpu_kernels, fast_cpu_kernels_in_use; "
            f"print(fast_cpu_kernels_in_use()); print(describe_cpu_kernels({asked == '1'}))")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    in_use, line = done.stdout.splitlines()
    assert in_use == str(expected)
    assert ("⚠" in line) == (expected != (asked == "1"))


def test_the_fast_cpu_kernels_switch_rejects_bad_values():
    env = {**os.environ, "COURSE_FAST_CPU_KERNELS": "yes"}
    done = subprocess.run([sys.executable, "-c", "import utils"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "COURSE_FAST_CPU_KERNELS='yes'" in done.stderr


def test_describe_cpu_kernels_says_when_a_restart_is_needed():
    from utils.backend import describe_cpu_kernels, fast_cpu_kernels_in_use

    in_use = fast_cpu_kernels_in_use()
    if in_use is None:
        assert "TensorFlow" in describe_cpu_kernels(True)
    else:
        assert "restart the kernel" in describe_cpu_kernels(not in_use)
        assert "⚠" not in describe_cpu_kernels(in_use)
    with pytest.raises(TypeError, match="True or False"):
        describe_cpu_kernels("yes")


def test_fast_cpu_kernels_give_the_same_numbers_run_after_run():
    # Notebook 08 trains with oneDNN on: the same seed must still give the same weights in a second process.
    pytest.importorskip("tensorflow")
    env = _kernel_choice_env(COURSE_FAST_CPU_KERNELS="1")
    code = """
import utils, numpy as np, keras
from keras import layers
from utils import seed_everything
from utils.backend import fast_cpu_kernels_in_use
seed_everything(3)
x = np.random.default_rng(0).random((256, 16, 16, 3)).astype("float32")
y = np.random.default_rng(1).integers(0, 4, 256)
model = keras.Sequential([keras.Input((16, 16, 3)), layers.Conv2D(8, 3, use_bias=False), layers.BatchNormalization(),
                          layers.Activation("relu"), layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(4, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, batch_size=32, epochs=2, verbose=0)
print(fast_cpu_kernels_in_use(), repr(float(model.evaluate(x, y, verbose=0))))
"""
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=180)
            for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[0].stderr[-2000:]
    first, second = (r.stdout.split() for r in runs)
    assert first[0] == "True" and first == second
