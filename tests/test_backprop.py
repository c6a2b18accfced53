"""Notebook 02 (backpropagation): the worked example, the layers' backward passes and the training loop."""

import json
import re

import numpy as np
import pytest

from tests.nbtools import notebook_namespace, notebook_path

STEM = "02_backpropagation"


@pytest.fixture(scope="module")
def nb():
    return notebook_namespace(STEM)


def _numerical(loss_of, array, epsilon=1e-6):
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + epsilon
        plus = loss_of()
        array[index] = saved - epsilon
        minus = loss_of()
        array[index] = saved
        grad[index] = (plus - minus) / (2 * epsilon)
    return grad


def test_the_numbers_in_the_text_are_what_the_code_computes(nb):
    cells = json.loads(notebook_path(STEM).read_text())["cells"]
    text = "".join("".join(c["source"]) for c in cells
                   if c["cell_type"] == "markdown" and "hand-numbers" in c["metadata"].get("tags", []))
    shown = [float(v) for v in re.findall(r"\\mathbf\{(-?\d+\.\d+)\}", text)]
    steps = nb["hand_example_steps"](**nb["HAND_EXAMPLE"])
    # the text's order; it names db2 = delta2 and db1 = delta1 instead of repeating them
    order = ["z1", "h", "z2", "p", "loss", "delta2", "grad_W2", "grad_h", "sigmoid_slope", "delta1", "grad_W1",
             "W2_new", "b2_new", "W1_new", "b1_new", "loss_after"]
    assert set(order) == set(steps)
    computed = np.concatenate([np.ravel(steps[k]) for k in order])
    assert len(shown) == len(computed)
    np.testing.assert_allclose(shown, np.round(computed, 4), atol=1e-9)


def test_the_worked_example_matches_autodiff_of_the_same_network(nb):
    example = nb["HAND_EXAMPLE"]
    steps = nb["hand_example_steps"](**example)
    params = {k: example[k].astype(float).copy() for k in ("W1", "b1", "W2", "b2")}

    def loss():
        hidden = 1 / (1 + np.exp(-(example["x"] @ params["W1"] + params["b1"])))
        logits = hidden @ params["W2"] + params["b2"]
        return -(logits[0] - np.log(np.exp(logits).sum()))  # label (1, 0)

    np.testing.assert_allclose(steps["grad_W1"], _numerical(loss, params["W1"]), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(steps["grad_W2"], _numerical(loss, params["W2"]), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(steps["delta1"], _numerical(loss, params["b1"]), rtol=1e-6, atol=1e-9)
    assert steps["loss_after"] < steps["loss"]


def test_dense_backward_matches_finite_differences(nb):
    rng = np.random.default_rng(0)
    layer = nb["Dense"](4, 3, rng)
    layer.bias = rng.normal(size=3)
    x, upstream = rng.normal(size=(5, 4)), rng.normal(size=(5, 3))  # L = sum(upstream * y)
    layer.forward(x)
    grad_x = layer.backward(upstream)
    loss_of = lambda: float(np.sum(upstream * layer.forward(x)))  # noqa: E731
    np.testing.assert_allclose(layer.grad_weights, _numerical(loss_of, layer.weights), rtol=1e-6)
    np.testing.assert_allclose(layer.grad_bias, _numerical(loss_of, layer.bias), rtol=1e-6)
    np.testing.assert_allclose(grad_x, _numerical(loss_of, x), rtol=1e-6)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_activation_derivatives_match_finite_differences(nb, name):
    z = np.array([-2.5, -0.7, 0.3, 1.9])  # away from ReLU's kink at 0
    function, derivative = nb["ACTIVATIONS"][name]
    numerical = (function(z + 1e-6) - function(z - 1e-6)) / 2e-6
    np.testing.assert_allclose(derivative(z), numerical, rtol=1e-6)
    upstream = np.array([1.0, -2.0, 0.5, 3.0])
    activation = nb["Activation"](name)
    activation.forward(z)
    np.testing.assert_allclose(activation.backward(upstream), upstream * numerical, rtol=1e-6)


def test_softmax_cross_entropy_matches_keras_and_its_gradient_is_p_minus_y(nb):
    import keras

    rng = np.random.default_rng(1)
    logits, labels = rng.normal(size=(6, 4)) * 3, rng.integers(0, 4, size=6)
    onehot = np.eye(4)[labels]
    loss, grad = nb["softmax_cross_entropy"](logits, onehot)
    expected = keras.losses.CategoricalCrossentropy(from_logits=True)(onehot, logits)
    assert loss == pytest.approx(float(keras.ops.convert_to_numpy(expected)), rel=1e-5)
    numerical = _numerical(lambda: nb["softmax_cross_entropy"](logits, onehot)[0], logits)
    np.testing.assert_allclose(grad, numerical, rtol=1e-6, atol=1e-10)
    assert np.isfinite(nb["softmax_cross_entropy"](np.array([[1000.0, -1000.0]]), np.array([[0.0, 1.0]]))[0])


def test_mlp_backward_matches_finite_differences_and_sgd_step_moves_downhill(nb):
    rng = np.random.default_rng(2)
    net = nb["MLP"]([3, 5, 4, 2], "tanh", rng)
    x, y = rng.normal(size=(7, 3)), np.eye(2)[rng.integers(0, 2, size=7)]
    loss_before, grad_logits = nb["softmax_cross_entropy"](net.forward(x), y)
    net.backward(grad_logits)
    loss_of = lambda: nb["softmax_cross_entropy"](net.forward(x), y)[0]  # noqa: E731
    for layer in net.dense_layers:
        np.testing.assert_allclose(layer.grad_weights, _numerical(loss_of, layer.weights), rtol=1e-5, atol=1e-10)
        np.testing.assert_allclose(layer.grad_bias, _numerical(loss_of, layer.bias), rtol=1e-5, atol=1e-10)
    before = net.get_weights()
    nb["sgd_step"](net, 0.1)
    after = net.get_weights()
    expected = [w - 0.1 * g for w, g in zip(before, [a for l in net.dense_layers for a in (l.grad_weights, l.grad_bias)])]
    for a, e in zip(after, expected):
        np.testing.assert_allclose(a, e)
    assert loss_of() < loss_before


def test_the_gradient_check_helpers_tell_right_from_wrong(nb):
    w = np.array([0.3, -1.2])
    numerical = nb["numerical_gradient"](lambda: float(np.sum(np.sin(w))), [w])[0]
    assert nb["relative_error"](np.cos(w), numerical) < 1e-9
    assert nb["relative_error"](-np.cos(w), numerical) == pytest.approx(1.0)
    np.testing.assert_array_equal(w, [0.3, -1.2])  # restored


@pytest.mark.claims
def test_train_mlp_learns_xor_and_fixed_order_is_deterministic(nb):
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([0, 1, 1, 0])
    runs = []
    for _ in range(2):
        net = nb["MLP"]([2, 8, 2], "tanh", np.random.default_rng(0))
        history = nb["train_mlp"](net, x, np.eye(2)[y], learning_rate=0.5, epochs=1500, batch_size=4, snapshot_epochs=(0, 10))
        runs.append(history["loss"])
    assert np.array_equal(net.predict(x), y)
    assert runs[0] == runs[1] and runs[0][-1] < 0.05 * runs[0][0]
    assert sorted(history["snapshots"]) == [0, 10]


def test_layer_gradient_norms_show_the_vanishing_sigmoid_gradient(nb):
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(64, 2)), np.eye(2)[rng.integers(0, 2, size=64)]
    sigmoid = nb["layer_gradient_norms"](nb["MLP"]([2] + [32] * 8 + [2], "sigmoid", rng), x, y)
    assert len(sigmoid) == 9 and sigmoid[0] < 1e-2 * sigmoid[-1]
    forward_s, backward_s = nb["time_forward_backward"](nb["MLP"]([8, 16, 2], "relu", rng), x[:, :1].repeat(8, 1), y, 3)
    assert forward_s > 0 and backward_s > 0


@pytest.mark.claims
def test_keras_fit_follows_the_numpy_loss_curve(nb):
    import keras

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(4)
    x = rng.normal(size=(40, 2))
    y = np.eye(2)[(x[:, 0] * x[:, 1] > 0).astype(int)]
    numpy_net = nb["MLP"]([2, 8, 2], "tanh", rng)
    keras_net = nb["build_keras_mlp"]([2, 8, 2], "tanh", learning_rate=0.3)
    keras_net.set_weights(numpy_net.get_weights())
    keras_loss = keras_net.fit(x, y, batch_size=10, epochs=4, shuffle=False, verbose=0).history["loss"]
    numpy_loss = nb["train_mlp"](numpy_net, x, y, learning_rate=0.3, epochs=4, batch_size=10)["loss"]
    np.testing.assert_allclose(keras_loss, numpy_loss, rtol=1e-4)
    for ours, theirs in zip(numpy_net.get_weights(), keras_net.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-3, atol=1e-5)


def test_backprop_matches_the_active_backends_autodiff(nb):
    """Runs on whichever backend KERAS_BACKEND selects (TensorFlow, JAX or PyTorch), in float64."""
    import keras

    from utils.backend import value_and_grad

    rng = np.random.default_rng(5)
    # TensorFlow keeps float64 end to end; on JAX and PyTorch some keras.ops still compute in float32
    # (as in test_backends.test_value_and_grad_matches_the_analytic_gradient), so the bound is looser there.
    rtol = 1e-8 if keras.backend.backend() == "tensorflow" else 1e-5
    for activation in ["tanh", "sigmoid", "relu"]:
        net = nb["MLP"]([3, 6, 4, 3], activation, rng)
        for layer in net.dense_layers:
            layer.bias = rng.normal(size=layer.bias.shape) * 0.1  # no exact zeros at ReLU's kink
        x, y = rng.normal(size=(5, 3)), np.eye(3)[rng.integers(0, 3, size=5)]
        loss, grad_logits = nb["softmax_cross_entropy"](net.forward(x), y)
        net.backward(grad_logits)
        params = {"x": x, "y_onehot": y}
        for i, layer in enumerate(net.dense_layers):
            params[f"W{i}"], params[f"b{i}"] = layer.weights, layer.bias
        auto_loss, auto = value_and_grad(lambda p: nb["mlp_loss_ops"](p, activation), params)
        assert auto_loss == pytest.approx(loss, rel=rtol), keras.backend.backend()
        for i, layer in enumerate(net.dense_layers):
            np.testing.assert_allclose(layer.grad_weights, auto[f"W{i}"], rtol=rtol, atol=rtol * 1e-3)
            np.testing.assert_allclose(layer.grad_bias, auto[f"b{i}"], rtol=rtol, atol=rtol * 1e-3)
