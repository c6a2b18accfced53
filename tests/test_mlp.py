"""Notebook 03 (MLP on Fashion-MNIST): its formulas against Keras, the map helpers, and the lesson's claims.

The notebook's own functions are read from its ``export`` cells, so these tests check the code students see.
Training tests use small data and few epochs (a few seconds each on 2 CPU cores).
"""

import json
import math

import numpy as np
import pytest

from tests.nbtools import notebook_namespace, notebook_path
from tests.nbtools import profile_sizes as notebook_sizes
from utils.activations import dead_unit_fraction, firing_rates, layer_activations
from utils.embedding_maps import neighbour_agreement, pca_map, tsne_map

NB = "03_mlp_fashion_mnist"
# Smoke test accuracy on the 10,000 test images must beat this for every seed (chance is 0.10).
# Measured with the smoke sizes (3,000 images, 2 epochs): 0.773, 0.779, 0.776 for seeds 0, 1, 2 (0.774 for 42).
SMOKE_MIN_TEST_ACCURACY = 0.70
TOPS = {"T-shirt/top", "Pullover", "Dress", "Coat", "Shirt"}
FOOTWEAR = {"Sandal", "Sneaker", "Ankle boot"}


@pytest.fixture(scope="module")
def ns():
    return notebook_namespace(NB)


def profile_sizes(profile):
    """The notebook's sizes for ``profile``, from its SIZES table."""
    return {knob: per_profile[profile] for knob, per_profile in notebook_sizes(NB).items()}


def _markdown() -> str:
    cells = json.loads(notebook_path(NB).read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


@pytest.fixture(scope="module")
def data(fashion_mnist):
    """The shared Fashion-MNIST arrays as 28x28 images (views, no copy), as the notebook feeds them."""
    (x_all, y_all), (x_test, y_test) = fashion_mnist
    return x_all.reshape(-1, 28, 28), y_all, x_test.reshape(-1, 28, 28), y_test


def _train(ns, data, seed, n_train, epochs, activation="relu"):
    """The notebook's pipeline: seeded 5,000-image validation split, stratified subset, build, train."""
    from utils import seed_everything
    from utils.data import stratified_subset, train_val_split

    x_all, y_all, _, _ = data
    seed_everything(seed)
    (x_train, y_train), (x_val, y_val) = train_val_split(x_all, y_all, n_val=5_000, seed=seed)
    x_train, y_train = stratified_subset(x_train, y_train, n_train, seed=seed)
    model = ns["build_mlp"]((512, 256), activation=activation)
    history = ns["train_mlp"](model, x_train, y_train, x_val, y_val, epochs=epochs, batch_size=128, verbose=0)
    return model, history


# ----------------------------------------------------------------------------- formulas
@pytest.mark.parametrize("n_inputs,input_shape,hidden,n_classes", [
    (784, (28, 28), (512, 256), 10), (784, (28, 28), (300, 100), 10), (784, (28, 28), (), 10),
    (8, (8,), (32,), 3), (784, (28, 28), (128, 64, 32), 10),
])
def test_parameter_count_formula_matches_keras(ns, n_inputs, input_shape, hidden, n_classes):
    model = ns["build_mlp"](hidden, input_shape=input_shape, n_classes=n_classes)
    assert ns["mlp_param_count"](n_inputs, hidden, n_classes) == model.count_params()
    widths = [n_inputs, *hidden, n_classes]
    dense = [layer for layer in model.layers if hasattr(layer, "units")]
    for layer, n_in, units in zip(dense, widths[:-1], widths[1:]):
        assert ns["dense_param_count"](n_in, units) == layer.count_params()


def test_parameter_numbers_quoted_in_the_text_are_keras_counts(ns):
    model = ns["build_mlp"]((512, 256))
    per_layer = [layer.count_params() for layer in model.layers if hasattr(layer, "units")]
    text = _markdown()
    for count in [*per_layer, model.count_params()]:
        assert f"{count:,}".replace(",", "{,}") in text or f"{count:,}" in text, count
    assert round(per_layer[0] / model.count_params(), 2) == 0.75  # "almost 75 % sit in the first layer"


def test_softmax_worked_example_matches_keras(ns):
    import keras

    softmax = ns["softmax"]
    scores = np.array([2.0, 1.0, 0.1])
    p = softmax(scores)
    worked = "$\\mathbf{p} = (" + ",\\ ".join(f"{v:.3f}" for v in p) + ")$"
    assert worked in _markdown(), worked  # the worked example in the text is what the notebook's softmax gives
    assert math.isclose(p.sum(), 1.0) and p.argmax() == scores.argmax()
    keras_p = keras.ops.convert_to_numpy(keras.activations.softmax(scores[None]))[0]
    assert np.allclose(p, keras_p, atol=1e-6)
    assert np.allclose(softmax(scores + 100.0), p)  # shift invariance
    big = softmax(np.array([1000.0, 999.0, 0.0]))  # subtracting the max avoids overflow
    assert np.all(np.isfinite(big)) and math.isclose(big.sum(), 1.0)
    batch = np.random.default_rng(0).normal(size=(5, 10))
    assert np.allclose(softmax(batch), keras.ops.convert_to_numpy(keras.activations.softmax(batch)), atol=1e-6)


def test_compiled_loss_is_the_cross_entropy_formula(ns):
    """The loss of the notebook's compiled model is the markdown's -mean(log p[y])."""
    model = ns["compile_mlp"](ns["build_mlp"]((16,), input_shape=(12,), n_classes=10), epochs=1, steps_per_epoch=1)
    rng = np.random.default_rng(1)
    x, labels = rng.normal(size=(32, 12)).astype("float32"), rng.integers(0, 10, size=32)
    probabilities = model.predict(x, verbose=0)
    formula = -np.mean(np.log(probabilities[np.arange(32), labels]))
    keras_loss = model.evaluate(x, labels, batch_size=32, verbose=0)[0]
    assert math.isclose(formula, keras_loss, rel_tol=1e-4)


def test_compiled_learning_rate_follows_the_cosine_formula(ns):
    """eta_t = eta_0 (1 + cos(pi t / T)) / 2 over the T = epochs * steps_per_epoch steps of the notebook's set-up."""
    epochs, steps_per_epoch, eta_0 = 4, 100, 1e-3
    optimizer = ns["compile_mlp"](ns["build_mlp"]((8,)), epochs, steps_per_epoch, learning_rate=eta_0).optimizer
    total = epochs * steps_per_epoch
    for step in (0, 100, 200, 300, 400):
        optimizer.iterations.assign(step)
        expected = eta_0 * 0.5 * (1 + math.cos(math.pi * step / total))
        assert math.isclose(float(optimizer.learning_rate), expected, rel_tol=1e-5, abs_tol=1e-9), step


def test_activation_formulas_match_keras(ns):
    import keras

    z = np.linspace(-6, 6, 241)
    for name, function in ns["ACTIVATIONS"].items():
        keras_values = keras.ops.convert_to_numpy(keras.activations.get(name)(z))
        assert np.allclose(function(z), keras_values, atol=1e-6), name
    assert np.allclose(ns["tanh"](z), np.tanh(z))  # tanh(z) = 2 sigmoid(2z) - 1
    slope = np.gradient(ns["sigmoid"](z), z)
    assert 0.24 < slope.max() <= 0.25 and slope[0] < 0.01  # sigmoid's slope is at most 1/4 and vanishes


def test_dead_unit_fraction_counts_units_that_never_fire(ns):
    import keras

    acts = np.array([[0.0, 1.0, 0.0, 2.0], [0.0, 0.0, 0.0, 3.0], [0.0, 0.5, 0.0, 0.0]])
    assert np.allclose(firing_rates(acts), [0, 2 / 3, 0, 2 / 3])
    assert dead_unit_fraction(acts) == 0.5
    # A ReLU layer whose biases are very negative is dead on inputs in [0, 1]; the helper sees it.
    model = ns["build_mlp"]((6,), input_shape=(4,), n_classes=2)
    weights, bias = model.get_layer("hidden_1").get_weights()
    bias[:3] = -100.0
    model.get_layer("hidden_1").set_weights([weights, bias])
    (hidden,) = layer_activations(model, np.random.default_rng(0).random((50, 4)).astype("float32"), ["hidden_1"])
    assert hidden.shape == (50, 6)
    assert dead_unit_fraction(hidden) >= 0.5
    # Leaky ReLU with the same very negative biases: outputs are negative, never 0, so no unit is dead.
    leaky = keras.layers.Dense(6, activation="leaky_relu", bias_initializer=keras.initializers.Constant(-100.0))
    leaky_out = keras.ops.convert_to_numpy(leaky(np.ones((5, 4), "float32")))
    assert np.all(leaky_out < 0) and dead_unit_fraction(leaky_out) == 0.0


# ----------------------------------------------------------------------------- map helpers
@pytest.mark.parametrize("n", [5, 60])
def test_map_helpers_return_n_by_2(n):
    x = np.random.default_rng(n).random((n, 28, 28)).astype("float32")
    for helper in (tsne_map, pca_map):
        points = helper(x, seed=0)
        assert points.shape == (n, 2) and np.all(np.isfinite(points))
    assert np.array_equal(tsne_map(x, seed=3), tsne_map(x, seed=3))  # seeded: repeatable
    with pytest.raises(ValueError, match="at least 3"):
        tsne_map(x[:2])


def test_neighbour_agreement_separated_vs_mixed():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(3), 30)
    separated = rng.normal(size=(90, 2)) * 0.1 + labels[:, None] * 10
    assert neighbour_agreement(separated, labels, k=5).mean() == 1.0
    mixed = rng.normal(size=(90, 2))
    assert neighbour_agreement(mixed, labels, k=5).mean() < 0.6


# ----------------------------------------------------------------------------- exercises use the notebook's formulas
def test_exercise_references_follow_the_notebook(ns):
    import importlib.util

    from tests.nbtools import NOTEBOOKS

    spec = importlib.util.spec_from_file_location("solutions_mlp", NOTEBOOKS.parent / "solutions" / "mlp.py")
    solutions = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(solutions)
    assert solutions.REFERENCE["check_param_count"] == ns["mlp_param_count"](784, (300, 100), 10)
    assert solutions.REFERENCE["check_param_count"] == ns["build_mlp"]((300, 100)).count_params()
    assert np.allclose(solutions.REFERENCE["check_softmax"], ns["softmax"]([2.0, 1.0, 0.0]), atol=6e-4)


# ----------------------------------------------------------------------------- lesson claims (training)
@pytest.mark.claims
def test_smoke_profile_beats_threshold_on_three_seeds(ns, data):
    sizes = profile_sizes("smoke")
    x_test, y_test = data[2], data[3]
    accuracies = []
    for seed in (0, 1, 2):
        model, _ = _train(ns, data, seed, sizes["n_train"], sizes["epochs"])
        accuracies.append(model.evaluate(x_test, y_test, batch_size=2048, verbose=0)[1])
    print("smoke test accuracies by seed:", np.round(accuracies, 4))
    assert min(accuracies) >= SMOKE_MIN_TEST_ACCURACY, accuracies


@pytest.fixture(scope="module")
def small_trained(ns, data):
    """A quickly trained model (10,000 images, 3 epochs) and its test predictions."""
    model, _ = _train(ns, data, seed=0, n_train=10_000, epochs=3)
    probabilities = model.predict(data[2], batch_size=2048, verbose=0)
    return model, probabilities.argmax(axis=1)


@pytest.mark.claims
def test_confusions_live_among_tops_and_footwear(small_trained, data):
    from utils.data import FASHION_MNIST_CLASSES as names
    from utils.plots import confusion_matrix, most_confused_pairs

    _, predictions = small_trained
    cm = confusion_matrix(data[3], predictions, 10)
    recall = cm.diagonal() / cm.sum(axis=1)
    assert names[int(recall.argmin())] == "Shirt"  # the exercise's answer and the prose's claim
    assert recall[names.index("Trouser")] > 0.9 and recall[names.index("Bag")] > 0.9
    for true_name, predicted_name, _ in most_confused_pairs(cm, names, top=4):
        assert {true_name, predicted_name} <= TOPS or {true_name, predicted_name} <= FOOTWEAR


@pytest.mark.claims
def test_hidden_layer_map_groups_classes_better_than_pixels(ns, small_trained, data):
    from utils.data import stratified_subset

    model, _ = small_trained
    x_map, y_map = stratified_subset(data[2], data[3], 600, seed=0)
    (hidden,) = layer_activations(model, x_map, ["hidden_2"])
    from utils.data import FASHION_MNIST_CLASSES as names

    for helper in (pca_map, tsne_map):
        pixels = neighbour_agreement(helper(x_map, seed=0), y_map).mean()
        per_point = neighbour_agreement(helper(hidden, seed=0), y_map)
        assert per_point.mean() > pixels + 0.03, (helper.__name__, pixels, per_point.mean())
    # On the hidden-layer t-SNE map: Shirt is the most mixed class, Trouser and Bag in the better-separated half
    # (Bag is 4th best on TensorFlow, 5th on JAX with this small model).
    per_class = np.array([per_point[y_map == k].mean() for k in range(10)])
    ranking = [names[k] for k in np.argsort(per_class)]
    assert ranking[0] == "Shirt" and {"Trouser", "Bag"} <= set(ranking[-5:]), ranking


@pytest.mark.claims
def test_sigmoid_starts_slowest(ns, data):
    sizes = profile_sizes("smoke")
    first_epoch = {}
    for name in ns["ACTIVATIONS"]:
        _, history = _train(ns, data, seed=0, n_train=sizes["act_n_train"], epochs=1, activation=name)
        first_epoch[name] = history.history["val_accuracy"][0]
    others = [v for name, v in first_epoch.items() if name != "sigmoid"]
    assert min(first_epoch, key=first_epoch.get) == "sigmoid", first_epoch
    assert max(others) - min(others) < min(others) - first_epoch["sigmoid"], first_epoch  # the others start close together


@pytest.mark.claims
def test_training_loss_pulls_away_from_validation_loss(ns, data):
    """The overfitting reading of the curves, made quick with little data: the gap opens as epochs go by."""
    _, history = _train(ns, data, seed=0, n_train=2_000, epochs=8)
    h = history.history
    gaps = np.array(h["val_loss"]) - np.array(h["loss"])
    assert h["loss"][-1] < h["loss"][0] and h["loss"][-1] < h["val_loss"][-1]
    assert gaps[-1] > gaps[0] + 0.1, gaps
