"""Notebook 06 (initialization): formulas, the sparse initializer, and the lesson's claims."""

import math

import numpy as np
import pytest

import keras
from scipy import stats

from tests.nbtools import notebook_namespace
from utils.activations import dead_unit_fraction, layer_activations
from utils.initializers import SparseInitializer


@pytest.fixture(scope="module")
def ns():
    return notebook_namespace("06_initialization")


@pytest.fixture(scope="module")
def images(fashion_flat):
    x, y = fashion_flat
    return x[:2000], y[:2000]


def _kernel(initializer, shape):
    return keras.ops.convert_to_numpy(initializer(shape))


# --------------------------------------------------------------------------- formulas vs Keras
def test_glorot_uniform_variance_and_limit_match_the_formulas(ns):
    fan_in, fan_out = 1000, 800
    w = _kernel(keras.initializers.GlorotUniform(seed=1), (fan_in, fan_out))
    assert w.var() == pytest.approx(ns["glorot_variance"](fan_in, fan_out), rel=0.05)
    assert w.var() == pytest.approx(2 / (fan_in + fan_out), rel=0.05)
    limit = ns["glorot_uniform_limit"](fan_in, fan_out)
    assert limit == pytest.approx(math.sqrt(6 / (fan_in + fan_out)))
    assert np.abs(w).max() <= limit and np.abs(w).max() > 0.99 * limit
    # Var(U(-a, a)) = a^2 / 3 links the two formulas
    assert limit**2 / 3 == pytest.approx(ns["glorot_variance"](fan_in, fan_out))


def test_he_normal_variance_matches_2_over_fan_in_despite_truncation(ns):
    fan_in, fan_out = 1000, 800
    w = _kernel(keras.initializers.HeNormal(seed=2), (fan_in, fan_out))
    assert w.var() == pytest.approx(ns["he_variance"](fan_in), rel=0.05)
    assert w.var() == pytest.approx(2 / fan_in, rel=0.05)
    # Keras cuts at 2 of its draw stddev, which is sqrt(2/fan_in) / 0.8796...
    draw_std = ns["keras_he_normal_draw_stddev"](fan_in)
    assert np.abs(w).max() <= 2 * draw_std + 1e-7
    assert np.abs(w).max() > 1.9 * draw_std
    # ... and 0.8796 is the std of a standard normal truncated to [-2, 2]
    assert stats.truncnorm(-2, 2).std() == pytest.approx(ns["TRUNCATED_NORMAL_STD"], rel=1e-9)


def test_make_initializer_covers_every_scheme(ns):
    for scheme in ["normal 0.01", "normal 1", "Glorot uniform", "He normal", "orthogonal",
                   "sparse (k=15)", "sparse, σ=1 (Martens)"]:
        for act in ["tanh", "relu"]:
            w = _kernel(ns["make_initializer"](scheme, act, seed=3), (256, 128))
            assert w.shape == (256, 128) and np.isfinite(w).all()
    w = _kernel(ns["make_initializer"]("orthogonal", "relu", seed=3), (256, 128))
    assert np.allclose(w.T @ w, 2 * np.eye(128), atol=1e-4)  # gain sqrt(2): W^T W = 2 I
    with pytest.raises(ValueError):
        ns["make_initializer"]("no such scheme")


# --------------------------------------------------------------------------- the sparse initializer
@pytest.mark.parametrize("shape,k", [((784, 256), 15), ((128, 10), 15), ((20, 7), 3), ((3, 3, 8, 16), 5)])
def test_sparse_initializer_has_exactly_k_nonzeros_per_unit(shape, k):
    w = _kernel(SparseInitializer(k=k, seed=4), shape)
    assert w.shape == shape
    per_unit = (w.reshape(-1, shape[-1]) != 0).sum(axis=0)
    assert (per_unit == k).all(), per_unit


def test_sparse_initializer_caps_k_at_fan_in_and_draws_the_stated_scale():
    w = _kernel(SparseInitializer(k=50, seed=5), (10, 6))
    assert ((w != 0).sum(axis=0) == 10).all()
    w = _kernel(SparseInitializer(k=15, stddev=0.3, seed=6), (784, 512))
    assert w[w != 0].std() == pytest.approx(0.3, rel=0.05)
    # units choose different inputs, not one shared pattern
    masks = w != 0
    assert len({tuple(np.flatnonzero(masks[:, j])) for j in range(masks.shape[1])}) == masks.shape[1]


def test_sparse_initializer_config_round_trip_and_seeding():
    init = SparseInitializer(k=7, stddev=0.5, seed=11)
    clone = SparseInitializer.from_config(init.get_config())
    assert clone.get_config() == {"k": 7, "stddev": 0.5, "seed": 11}
    assert np.array_equal(_kernel(init, (40, 9)), _kernel(clone, (40, 9)))
    assert not np.array_equal(_kernel(SparseInitializer(seed=1), (40, 9)), _kernel(SparseInitializer(seed=2), (40, 9)))
    with pytest.raises(ValueError):
        SparseInitializer(k=0)
    layer = keras.layers.Dense(4, kernel_initializer=init)
    rebuilt = keras.layers.Dense.from_config(layer.get_config())
    assert isinstance(rebuilt.kernel_initializer, SparseInitializer) and rebuilt.kernel_initializer.k == 7


# --------------------------------------------------------------------------- symmetry
def _train_few_steps(ns, make_init, images, steps=5):
    x, y = images
    keras.utils.set_random_seed(0)
    model = ns["compile_sgd"](ns["build_mlp"](make_init, depth=2, width=16))
    before = [keras.ops.convert_to_numpy(model.get_layer(f"hidden_{i}").kernel) for i in (1, 2)]
    model.fit(x[: 64 * steps], y[: 64 * steps], epochs=1, batch_size=64, verbose=0)
    after = [keras.ops.convert_to_numpy(model.get_layer(f"hidden_{i}").kernel) for i in (1, 2)]
    return before, after


@pytest.mark.claims
@pytest.mark.parametrize("value", [0.0, 0.01])
def test_constant_or_zero_init_keeps_a_layers_columns_identical(ns, images, value):
    before, after = _train_few_steps(ns, lambda i: keras.initializers.Constant(value), images)
    for kernel in after:
        assert np.allclose(kernel, kernel[:, :1], atol=1e-6), "units of the layer drifted apart"
    if value:
        assert not np.allclose(after[0], before[0]), "the constant-init layer should still learn (all alike)"
    else:
        assert np.all(after[0] == 0), "with all weights zero no gradient reaches the hidden kernels"


@pytest.mark.claims
def test_random_init_columns_differ_after_training(ns, images):
    _, after = _train_few_steps(ns, lambda i: keras.initializers.HeNormal(seed=i), images)
    assert np.abs(after[0] - after[0][:, :1]).max() > 1e-2


# --------------------------------------------------------------------------- depth claims
def _std_by_layer(ns, scheme, act, x, seed=0):
    model = ns["build_mlp"](lambda i: ns["make_initializer"](scheme, act, seed=seed * 100 + i), activation=act)
    acts = ns["activation_stats"](model, x)
    return [h.std() for h in acts], acts


def test_small_normal_vanishes_and_large_normal_saturates_or_explodes(ns, images):
    x = images[0][:300]
    small, _ = _std_by_layer(ns, "normal 0.01", "tanh", x)
    assert small[-1] < 1e-6 * small[0]
    _, large_tanh = _std_by_layer(ns, "normal 1", "tanh", x)
    assert np.mean(np.abs(large_tanh[-1]) > 0.9) > 0.7, "most tanh units should sit near ±1"
    large_relu, _ = _std_by_layer(ns, "normal 1", "relu", x)
    assert large_relu[-1] > 1e6 * large_relu[0]


def test_relu_signal_shrinks_with_glorot_but_holds_with_he_and_orthogonal(ns, images):
    x = images[0][:500]
    for seed in range(3):
        glorot, _ = _std_by_layer(ns, "Glorot uniform", "relu", x, seed)
        assert glorot[-1] < glorot[0] / 5
        for scheme, factor in [("He normal", 2), ("orthogonal", 2), ("sparse (k=15)", 2.5)]:
            # Within a factor 2 over ten layers (the notebook's words); scaled sparse drifts a little more,
            # each unit having only 15 random inputs (seed 0 on JAX: ×0.498).
            kept, _ = _std_by_layer(ns, scheme, "relu", x, seed)
            assert 1 / factor < kept[-1] / kept[0] < factor, scheme
        martens, _ = _std_by_layer(ns, "sparse, σ=1 (Martens)", "relu", x, seed)
        assert martens[-1] > 100 * martens[0]


def test_tanh_glorot_narrows_while_he_stays_wide(ns, images):
    x = images[0][:500]
    glorot, _ = _std_by_layer(ns, "Glorot uniform", "tanh", x)
    he, _ = _std_by_layer(ns, "He normal", "tanh", x)
    assert glorot[-1] < glorot[0] and he[-1] > glorot[-1]
    martens, _ = _std_by_layer(ns, "sparse, σ=1 (Martens)", "tanh", x)
    assert martens[-1] > 0.8


# --------------------------------------------------------------------------- biases and dead units
def test_dead_unit_fraction_counts_units_zero_on_every_input():
    acts = np.array([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 2.0, 0.0], [0.0, 0.5, 0.0, 0.0]])
    assert dead_unit_fraction(acts) == 0.5
    with pytest.raises(ValueError):
        dead_unit_fraction(np.zeros(3))


def test_bias_0_1_gives_more_dead_units_at_init_than_bias_0(ns, images):
    x = images[0][:1000]
    for seed in range(3):
        dead = {}
        for bias in [0.0, 0.1]:
            model = ns["build_mlp"](lambda i: ns["make_initializer"]("He normal", "relu", seed=seed * 100 + i), bias=bias)
            dead[bias] = [dead_unit_fraction(h) for h in layer_activations(model, x)]
        assert np.mean(dead[0.1]) > np.mean(dead[0.0]), (seed, dead)
        # dead units at initialization grow with depth
        assert np.mean(dead[0.0][-3:]) > np.mean(dead[0.0][:3]) + 0.02, dead[0.0]


@pytest.mark.claims
def test_relu_net_starts_slower_with_glorot_than_with_he(ns, images):
    x, y = images
    for seed in range(2):
        first_epoch_loss = {}
        for scheme in ["Glorot uniform", "He normal"]:
            keras.utils.set_random_seed(seed)
            model = ns["compile_sgd"](ns["build_mlp"](lambda i: ns["make_initializer"](scheme, "relu", seed=seed * 100 + i)))
            first_epoch_loss[scheme] = model.fit(x, y, epochs=1, batch_size=128, verbose=0).history["loss"][0]
        assert first_epoch_loss["Glorot uniform"] > first_epoch_loss["He normal"] + 0.05, first_epoch_loss


def test_weight_gradient_norms_match_one_plain_sgd_step(ns, images):
    """||dL/dW|| of every layer equals ||W_before - W_after|| / lr after one full-batch SGD step without momentum."""
    x, y = images[0][:256], images[1][:256]
    keras.utils.set_random_seed(0)
    model = ns["build_mlp"](lambda i: keras.initializers.HeNormal(seed=i), depth=3, width=32)
    learning_rate = 0.1
    ns["compile_sgd"](model, learning_rate=learning_rate, momentum=0.0)
    norms = ns["weight_gradient_norms"](model, x, y)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    before = [keras.ops.convert_to_numpy(layer.kernel) for layer in dense]
    model.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)
    after = [keras.ops.convert_to_numpy(layer.kernel) for layer in dense]
    stepped = [np.linalg.norm(b - a) / learning_rate for b, a in zip(before, after)]
    assert len(norms) == 4
    assert np.allclose(norms, stepped, rtol=2e-3), (norms, stepped)


@pytest.mark.parametrize("seed", [0, 1])
def test_at_30_layers_glorot_gradients_are_far_below_he_in_every_layer(ns, images, seed):
    x, y = images[0][:256], images[1][:256]
    norms = {}
    for scheme in ["Glorot uniform", "He normal"]:
        model = ns["build_mlp"](lambda i: ns["make_initializer"](scheme, "relu", seed=seed * 100 + i), depth=30)
        norms[scheme] = np.array(ns["weight_gradient_norms"](model, x, y))
    assert len(norms["He normal"]) == 31
    assert np.all(norms["Glorot uniform"] < 1e-3 * norms["He normal"]), norms
    assert np.all(norms["He normal"] > 1e-2), "He's gradients should not vanish"


@pytest.mark.claims
def test_zero_biases_spread_out_when_weights_are_random(ns, images):
    x, y = images
    keras.utils.set_random_seed(0)
    model = ns["compile_sgd"](ns["build_mlp"](lambda i: keras.initializers.HeNormal(seed=i), depth=2, width=16))
    model.fit(x[:64], y[:64], epochs=1, batch_size=64, verbose=0)  # one step
    bias = keras.ops.convert_to_numpy(model.get_layer("hidden_1").bias)
    assert np.unique(bias).size > 8


def test_preactivation_variance_formula_holds_for_a_dense_layer():
    """Var(z) = n_in Var(w) E[h^2] for independent zero-mean weights (the formula of section 2)."""
    rng = np.random.default_rng(0)
    n_in = 512
    h = np.maximum(rng.normal(size=(4000, n_in)), 0).astype("float32")  # ReLU outputs: E[h^2] = 1/2
    layer = keras.layers.Dense(256, use_bias=False, kernel_initializer=keras.initializers.RandomNormal(stddev=0.05, seed=0))
    z = keras.ops.convert_to_numpy(layer(h))
    assert z.var() == pytest.approx(n_in * 0.05**2 * np.mean(h**2), rel=0.05)


def test_constant_layer_before_a_random_layer_breaks_symmetry(ns, images):
    """Exercise 4's answer: 64 constant-0.3 units followed by a random layer all become different."""
    from solutions.initialization import REFERENCE

    x, y = images
    keras.utils.set_random_seed(0)
    inits = {0: keras.initializers.Constant(0.3), 1: keras.initializers.HeNormal(seed=1)}
    model = ns["compile_sgd"](ns["build_mlp"](lambda i: inits[i], depth=1, width=64))
    model.fit(x[:320], y[:320], epochs=1, batch_size=64, verbose=0)
    kernel = keras.ops.convert_to_numpy(model.get_layer("hidden_1").kernel)
    assert np.all(np.isfinite(kernel))
    gaps = np.abs(kernel[:, :, None] - kernel[:, None, :]).max(axis=0)   # unit j vs unit k
    distinct = len(np.unique(np.round(kernel / np.abs(kernel).max(), 6), axis=1).T)
    assert np.all(gaps[~np.eye(64, dtype=bool)] > 1e-6) and distinct == REFERENCE["check_constant_init_units"]


# --------------------------------------------------------------------------- coding exercise: fans
@pytest.mark.parametrize("shape", [(784, 256), (3, 3, 32, 64), (5, 1, 3, 16), (7, 7, 3, 96)])
def test_fans_exercise_reference_matches_keras(shape):
    from keras.src.initializers.random_initializers import compute_fans

    from solutions.initialization import fans
    from utils.exercises.initialization import _fans

    assert fans(shape) == _fans(shape) == tuple(int(v) for v in compute_fans(shape))
