"""Notebook 13 (beyond one CPU): gradient averaging, the all-reduce cost model, the input pipelines, and
``keras.distribution`` on four simulated CPU devices (in a child process, as the notebook runs it).

The functions come from the notebook's ``export`` cells and from ``utils/distributed.py``, which the
notebook shows, so the tests check the code students read.
"""

import importlib.util

import numpy as np
import pytest

from tests.nbtools import notebook_namespace

NB = "13_beyond_one_cpu"


@pytest.fixture(scope="module")
def ns():
    return notebook_namespace(NB)


# ---------------------------------------------------------------- section 5: averaging gradients

def test_softmax_regression_gradient_matches_autodiff(ns):
    import keras

    from utils.backend import value_and_grad

    rng = np.random.default_rng(0)
    W, x, y = rng.normal(size=(5, 4)), rng.normal(size=(7, 5)), rng.integers(0, 4, size=7)

    def loss(params):
        log_p = keras.ops.log_softmax(keras.ops.matmul(x, params["W"]), axis=-1)
        return -keras.ops.mean(keras.ops.take_along_axis(log_p, y[:, None], axis=1))

    _, grads = value_and_grad(loss, {"W": W})
    np.testing.assert_allclose(ns["softmax_regression_gradient"](W, x, y), grads["W"], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("n, workers", [(64, 4), (60, 3), (8, 8), (12, 1)])
def test_equal_shards_average_to_the_whole_batch_gradient(ns, n, workers):
    rng = np.random.default_rng(n + workers)
    W, x, y = rng.normal(size=(6, 3)), rng.normal(size=(n, 6)), rng.integers(0, 3, size=n)
    whole = ns["softmax_regression_gradient"](W, x, y)
    np.testing.assert_allclose(ns["data_parallel_gradient"](W, x, y, workers), whole, rtol=1e-12, atol=1e-14)


def test_unequal_shards_plain_average_is_wrong_and_the_weighted_one_right(ns):
    from solutions.distribution import average_gradients

    rng = np.random.default_rng(3)
    W, x, y = rng.normal(size=(6, 3)), rng.normal(size=(10, 6)), rng.integers(0, 3, size=10)
    whole = ns["softmax_regression_gradient"](W, x, y)
    assert np.abs(ns["data_parallel_gradient"](W, x, y, 4) - whole).max() > 1e-6  # shards 3, 3, 2, 2
    shards = [ns["softmax_regression_gradient"](W, xs, ys) for xs, ys in zip(np.array_split(x, 4), np.array_split(y, 4))]
    np.testing.assert_allclose(average_gradients(shards, [3, 3, 2, 2]), whole, rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------- section 8: the ring all-reduce

def _simulate_ring_all_reduce(arrays: list[np.ndarray]) -> tuple[list[np.ndarray], int, int]:
    """A ring all-reduce (reduce-scatter, then all-gather) of equal-length float32 vectors.

    Returns every machine's result, the rounds and the bytes each machine sent.
    """
    n = len(arrays)
    chunks = [list(np.array_split(a.astype(np.float32), n)) for a in arrays]
    sent = [0] * n
    rounds = 0
    for step in range(n - 1):  # reduce-scatter: machine k sends chunk (k - step) to k + 1, which adds it
        outgoing = [(k, (k - step) % n, chunks[k][(k - step) % n].copy()) for k in range(n)]
        for k, c, data in outgoing:
            chunks[(k + 1) % n][c] = chunks[(k + 1) % n][c] + data
            sent[k] += data.nbytes
        rounds += 1
    for step in range(n - 1):  # all-gather: machine k passes on the finished chunk (k + 1 - step)
        outgoing = [(k, (k + 1 - step) % n, chunks[k][(k + 1 - step) % n].copy()) for k in range(n)]
        for k, c, data in outgoing:
            chunks[(k + 1) % n][c] = data
            sent[k] += data.nbytes
        rounds += 1
    assert len(set(sent)) == 1
    return [np.concatenate(c) for c in chunks], rounds, sent[0]


@pytest.mark.parametrize("n_machines", [2, 3, 4, 8])
def test_ring_all_reduce_cost_matches_a_simulated_ring(ns, n_machines):
    rng = np.random.default_rng(n_machines)
    size = 24 * n_machines  # float32 values, divisible into n chunks
    arrays = [rng.normal(size=size) for _ in range(n_machines)]
    results, rounds, bytes_sent = _simulate_ring_all_reduce(arrays)
    for result in results:  # the algorithm really sums
        np.testing.assert_allclose(result, np.sum(arrays, axis=0), rtol=1e-5, atol=1e-5)
    gradient_bytes, bandwidth, latency = 4 * size, 1e6, 1e-3
    expected = rounds * latency + bytes_sent / bandwidth
    assert ns["ring_all_reduce_seconds"](gradient_bytes, n_machines, bandwidth, latency) == pytest.approx(expected)


def test_speedup_is_one_for_one_machine_and_linear_without_communication(ns):
    machines = np.arange(1, 33)
    free = ns["speedup"](machines, 1.0, 1e8, bandwidth=np.inf, latency=0.0)
    np.testing.assert_allclose(free, machines)
    compute, grad_bytes, bandwidth, latency = 1.0, 1e8, 1e9, 1e-3
    costly = ns["speedup"](machines, compute, grad_bytes, bandwidth=bandwidth, latency=latency)
    assert costly[0] == pytest.approx(1.0)
    assert np.all(costly[1:] < machines[1:])
    # t(N) = 2G/β + 2α(N-1) + (c - 2G/β)/N is smallest where its derivative vanishes: N* = sqrt((c - 2G/β) / (2α)).
    best = np.sqrt((compute - 2 * grad_bytes / bandwidth) / (2 * latency))
    assert abs(int(machines[np.argmax(costly)]) - best) < 1, (machines[np.argmax(costly)], best)


# ---------------------------------------------------------------- sections 1-2: augmentation and pipelines

def _is_flip_shift_of(candidate: np.ndarray, original: np.ndarray, max_shift: int) -> bool:
    """Whether candidate is original, maybe mirrored left-right, shifted by up to max_shift with zero fill."""
    height, width = original.shape[:2]
    for image in (original, original[:, ::-1]):
        padded = np.pad(image, ((max_shift, max_shift), (max_shift, max_shift), (0, 0)))
        for dy in range(2 * max_shift + 1):
            for dx in range(2 * max_shift + 1):
                if np.array_equal(padded[dy:dy + height, dx:dx + width], candidate):
                    return True
    return False


@pytest.fixture(scope="module")
def images():
    rng = np.random.default_rng(5)
    return rng.integers(1, 256, size=(12, 8, 8, 3), dtype=np.uint8), rng.integers(0, 10, size=(12, 1))


def test_augment_batch_flips_and_shifts_each_image(ns, images):
    x, _ = images
    out = ns["augment_batch"](x, np.random.default_rng(0), max_shift=2)
    assert out.shape == x.shape and out.dtype == x.dtype
    assert all(_is_flip_shift_of(o, i, 2) for o, i in zip(out, x))
    assert not np.array_equal(out, x), "twelve images with no flip and no shift at all: the randomness is broken"
    unshifted = ns["augment_batch"](x, np.random.default_rng(1), max_shift=0)
    assert all(np.array_equal(o, i) or np.array_equal(o, i[:, ::-1]) for o, i in zip(unshifted, x))


def test_augmented_batches_are_scaled_reproducible_and_drop_the_partial_batch(ns, images):
    x, y = images
    batches = ns["AugmentedBatches"](x, y, batch_size=5, seed=7)
    assert len(batches) == 2
    (xb, yb), (xb_again, _) = batches[1], ns["AugmentedBatches"](x, y, batch_size=5, seed=7)[1]
    assert xb.shape == (5, 8, 8, 3) and xb.dtype == np.float32 and 0.0 <= xb.min() and xb.max() <= 1.0
    np.testing.assert_array_equal(yb, y[5:10])
    np.testing.assert_array_equal(xb, xb_again)
    assert all(_is_flip_shift_of(np.round(a * 255).astype(np.uint8), i, 4) for a, i in zip(xb, x[5:10]))


@pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None, reason="the tf.data pipeline needs TensorFlow")
def test_tf_data_pipeline_applies_the_same_augmentation(images):
    from utils.backend import augmented_tf_dataset

    x, y = images
    batches = list(augmented_tf_dataset(x, y, batch_size=4, seed=3, max_shift=2).as_numpy_iterator())
    assert len(batches) == 3
    for k, (xb, yb) in enumerate(batches):
        assert xb.shape == (4, 8, 8, 3) and xb.dtype == np.float32 and xb.max() <= 1.0
        np.testing.assert_array_equal(yb, y[4 * k:4 * k + 4])
        assert all(_is_flip_shift_of(np.round(a * 255).astype(np.uint8), i, 2) for a, i in zip(xb, x[4 * k:4 * k + 4]))


def test_batch_clock_times_every_batch_and_throughput_is_positive(ns):
    import keras

    rng = np.random.default_rng(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    clock = ns["BatchClock"]()
    model.fit(rng.normal(size=(40, 4)), rng.integers(0, 2, size=40), batch_size=8, verbose=0, callbacks=[clock])
    assert len(clock.times) == 5 and np.all(np.diff(clock.times) > 0)
    assert ns["images_per_second"](model, rng.normal(size=(40, 4)), 8, 4, labels=rng.integers(0, 2, size=40)) > 0


# ---------------------------------------------------------------- sections 3.1 and 4: restarting a compiled model

def test_restart_training_runs_as_a_new_model_would_without_compiling_again(ns):
    import keras

    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(48, 5)).astype("float32"), rng.integers(0, 3, size=48)

    def tiny_model():
        keras.utils.set_random_seed(4)
        return ns["compile_classifier"](keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, activation="softmax")]))

    model = tiny_model()
    initial = model.get_weights()
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)  # moves the weights and the momentum
    step = model.train_function
    restarted = ns["restart_training"](model, initial, 0.05)
    restarted.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert restarted.train_function is step, "the compiled step must be reused, not rebuilt"

    fresh = tiny_model()
    fresh.set_weights(initial)
    fresh.optimizer.learning_rate = 0.05
    fresh.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for mine, new in zip(restarted.get_weights(), fresh.get_weights()):
        np.testing.assert_allclose(mine, new, rtol=1e-6, atol=1e-7)
    assert max(np.abs(a - b).max() for a, b in zip(fresh.get_weights(), initial)) > 1e-3, "training must move the weights"


# ---------------------------------------------------------------- sections 6-7: keras.distribution

def test_the_child_environment_sets_the_device_count_and_keeps_other_xla_flags(monkeypatch):
    from utils.backend import simulated_cpu_devices_env

    monkeypatch.setenv("XLA_FLAGS", "--xla_dump_to=/tmp/x --xla_force_host_platform_device_count=2")
    env = simulated_cpu_devices_env(4)
    assert env["KERAS_BACKEND"] == "jax"
    assert env["XLA_FLAGS"].split() == ["--xla_dump_to=/tmp/x", "--xla_backend_optimization_level=0",
                                        "--xla_force_host_platform_device_count=4"]
    monkeypatch.setenv("XLA_FLAGS", "--xla_backend_optimization_level=2")  # a level of the user's own is kept
    assert simulated_cpu_devices_env(2)["XLA_FLAGS"].split() == ["--xla_backend_optimization_level=2",
                                                                 "--xla_force_host_platform_device_count=2"]


def test_without_jax_the_distribution_part_is_skipped_with_a_reason(monkeypatch):
    from utils import distributed

    monkeypatch.setattr(distributed, "backend_installed", lambda name: False)
    result = distributed.run_on_simulated_devices({"data_parallel_vs_one_device": {}})
    assert result["status"] == "skipped" and "JAX" in result["reason"]
    with pytest.raises(ValueError, match="unknown task"):
        distributed.run_on_simulated_devices({"pipeline_parallel": {}})


@pytest.fixture(scope="module")
def four_devices():
    """Both distribution examples, run once in a child process: Keras on JAX with 4 simulated CPU devices."""
    if importlib.util.find_spec("jax") is None:
        pytest.skip("JAX is not installed (requirements-jax.txt): keras.distribution needs it")
    from utils.distributed import run_on_simulated_devices

    result = run_on_simulated_devices({"data_parallel_vs_one_device": dict(global_batch=32, steps=4, seed=3),
                                       "model_parallel_placement": dict(in_features=8, units=64, seed=3)}, n_devices=4)
    assert result["status"] == "ok", result.get("reason")
    return result


def test_data_parallel_gives_the_same_weights_as_one_device(four_devices):
    dp = four_devices["data_parallel_vs_one_device"]
    assert dp["devices"] == ["cpu:0", "cpu:1", "cpu:2", "cpu:3"]
    assert dp["largest_update"] > 1e-3, "the weights must have moved, or equal weights prove nothing"
    # Tolerance 1e-5: the all-reduce adds the shards' gradients in another order than one device, and
    # float32 addition is not associative; a missing or wrongly scaled shard would differ by ~1e-2.
    assert dp["max_weight_difference"] < 1e-5
    assert dp["loss_data_parallel"] == pytest.approx(dp["loss_one_device"], rel=1e-5)


def test_data_parallel_replicates_variables_and_splits_the_batch(four_devices):
    dp = four_devices["data_parallel_vs_one_device"]
    assert dp["batch_layout"] == ["batch", "None"]
    shapes = {path.split("/", 1)[1]: where for path, where in dp["placement"].items()}
    assert set(shapes) == {"hidden/kernel", "hidden/bias", "logits/kernel", "logits/bias"}
    expected = {"hidden/kernel": [32, 64], "hidden/bias": [64], "logits/kernel": [64, 10], "logits/bias": [10]}
    for name, where in shapes.items():
        assert [device for device, _ in where["shards"]] == ["cpu:0", "cpu:1", "cpu:2", "cpu:3"]
        assert all(list(shape) == expected[name] for _, shape in where["shards"]), (name, where)
        assert "'" not in where["spec"], f"{name} should not be split along any mesh axis: {where['spec']}"


def test_model_parallel_splits_the_big_kernel_by_columns(four_devices):
    mp = four_devices["model_parallel_placement"]
    where = {path.split("/", 1)[1]: w for path, w in mp["placement"].items()}
    assert where["big/kernel"]["spec"] == "PartitionSpec(None, 'model')" or "'model'" in where["big/kernel"]["spec"]
    assert [tuple(s) for _, s in where["big/kernel"]["shards"]] == [(8, 16)] * 4
    assert [tuple(s) for _, s in where["big/bias"]["shards"]] == [(16,)] * 4
    assert len({d for d, _ in where["big/kernel"]["shards"]}) == 4
    assert [tuple(s) for _, s in where["head/kernel"]["shards"]] == [(64, 10)] * 4
    assert mp["max_output_difference"] < 1e-5 < mp["largest_output"]


def test_xla_is_really_used_inside_xla_allowed_and_determinism_comes_back():
    import keras

    from utils.backend import backend_name, xla_allowed
    from utils.repro import seed_everything

    seed_everything(0)  # turns on TensorFlow's deterministic ops, as start_notebook does

    def compiled_with_xla():
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        model.compile(optimizer="sgd", loss="mse", jit_compile=True)
        return bool(model.jit_compile)

    with xla_allowed():
        assert compiled_with_xla()
    if backend_name() == "tensorflow":
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert not compiled_with_xla(), "outside the block the deterministic ops are back on"
