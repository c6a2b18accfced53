"""Notebook 01: the perceptron's rule, Novikoff's bound, XOR, and the activation formulas."""

import numpy as np
import pytest

from tests.nbtools import notebook_namespace

nb = notebook_namespace("01")
X_XOR = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
Y_XOR = np.array([0, 1, 1, 0])


def test_mcculloch_pitts_and_or():
    assert nb["mcculloch_pitts"](X_XOR, [1, 1], 2).tolist() == [0, 0, 0, 1]
    assert nb["mcculloch_pitts"](X_XOR, [1, 1], 1).tolist() == [0, 1, 1, 1]


def test_one_update_follows_the_rule_including_the_bias():
    X, y = np.array([[1.0, 2.0]]), np.array([0])  # w=0, b=0 predicts 1: a false positive
    w, b, history = nb["train_perceptron"](X, y, learning_rate=0.1, epochs=1)
    assert np.allclose(w, [-0.1, -0.2]) and b == pytest.approx(-0.1)  # b moved from 0: not "η·error·old b"
    assert history["updates"] == 1


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_converges_within_novikoff_bound(seed):
    X, y, (w_true, b_true) = nb["make_separable_data"](200, seed=seed)
    w, b, history = nb["train_perceptron"](X, y, epochs=1000, seed=seed)
    bound, radius, gamma = nb["novikoff_bound"](X, y, w_true, b_true)
    assert gamma > 0
    assert history["errors"][-1] == 0 and np.all(nb["perceptron_predict"](X, w, b) == y)
    assert history["updates"] <= bound


def test_novikoff_bound_formula_by_hand():
    X, y = np.array([[2.0, 0.0], [-1.0, 0.0]]), np.array([1, 0])
    bound, radius, gamma = nb["novikoff_bound"](X, y, np.array([1.0, 0.0]), 0.0)
    assert radius == pytest.approx(np.sqrt(5)) and gamma == pytest.approx(1.0)
    assert bound == pytest.approx(5.0)
    assert nb["novikoff_bound"](X, y, np.array([-1.0, 0.0]), 0.0)[2] < 0  # not a separator


def test_learning_rate_does_not_change_the_updates_from_zero():
    X, y, _ = nb["make_separable_data"](150, seed=5)
    runs = [nb["train_perceptron"](X, y, learning_rate=lr, epochs=100, seed=5) for lr in (1.0, 0.1, 0.003)]
    assert len({run[2]["updates"] for run in runs}) == 1
    assert np.allclose(runs[0][0] * 0.1, runs[1][0])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_never_solves_xor(seed):
    _, _, history = nb["train_perceptron"](X_XOR, Y_XOR, epochs=200, seed=seed)
    assert all(errors > 0 for errors in history["errors"])
    accuracies = [np.mean(nb["perceptron_predict"](X_XOR, w, b) == Y_XOR) for w, b in history["update_snapshots"]]
    assert max(accuracies) <= 0.75


@pytest.mark.claims
@pytest.mark.parametrize("seed", [42, 0])
def test_ours_sklearn_and_keras_unit_all_separate_the_same_set(seed):
    from sklearn.linear_model import Perceptron

    X, y, _ = nb["make_separable_data"](200, seed=seed)
    w, b, _ = nb["train_perceptron"](X, y, seed=seed)
    assert np.mean(nb["perceptron_predict"](X, w, b) == y) == 1.0
    assert Perceptron(random_state=seed).fit(X, y).score(X, y) == 1.0
    from utils import seed_everything

    seed_everything(seed)
    unit = nb["build_logistic_unit"]()
    unit.fit(np.tile(X, (10, 1)), np.tile(y, 10), epochs=6, batch_size=16, verbose=0)
    assert np.mean((unit.predict(X, verbose=0).ravel() > 0.5) == y) == 1.0


@pytest.mark.claims
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_keras_mlp_solves_xor(seed):
    from utils import seed_everything

    seed_everything(seed)
    model = nb["build_xor_mlp"]()
    model.fit(np.tile(X_XOR, (100, 1)), np.tile(Y_XOR, 100), batch_size=4, epochs=4, shuffle=False, verbose=0)
    assert np.array_equal(model.predict(X_XOR, verbose=0).ravel() > 0.5, Y_XOR.astype(bool))


def test_activations_match_keras_and_their_derivatives():
    import keras

    z = np.linspace(-3, 3, 61) + 0.013  # avoid the kinks at exactly 0
    acts = nb["ACTIVATIONS"]
    expected = {
        "sigmoid": keras.activations.sigmoid, "tanh": keras.activations.tanh, "ReLU": keras.activations.relu,
        "leaky ReLU": lambda t: keras.activations.leaky_relu(t, negative_slope=nb["LEAKY_SLOPE"]),
    }
    for name, keras_fn in expected.items():
        assert np.allclose(acts[name][0](z), keras.ops.convert_to_numpy(keras_fn(z.astype("float32"))), atol=1e-6)
    h = 1e-6
    for name, (f, df) in acts.items():
        numeric = (f(z + h) - f(z - h)) / (2 * h)
        assert np.allclose(df(z), numeric, atol=1e-5), name


def test_lecun_tanh_and_sigmoid_slope_claims():
    f, df = nb["ACTIVATIONS"]["LeCun tanh"]
    assert f(np.array(1.0)) == pytest.approx(1.0, abs=1e-3) and f(np.array(-1.0)) == pytest.approx(-1.0, abs=1e-3)
    z = np.linspace(-10, 10, 2001)
    assert np.max(nb["ACTIVATIONS"]["sigmoid"][1](z)) == pytest.approx(0.25)
