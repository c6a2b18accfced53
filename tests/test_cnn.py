"""Notebook 08 (CNN on CIFAR-10): the formulas, the NumPy convolution and the lesson claims.

The functions come from the notebook's ``export`` cells, so the tests check the code students read.
"""

import json
import math

import numpy as np
import pytest

from tests.nbtools import notebook_namespace, notebook_path

NB = "08_cnn_cifar10"


@pytest.fixture(scope="module")
def ns():
    return notebook_namespace(NB)


@pytest.fixture(scope="module")
def keras_layers():
    import keras
    from keras import layers

    return keras, layers


def _keras_width(keras, layers, kind, W, F, P, S, padding="valid", channels=3):
    core = layers.Conv2D(2, F, strides=S, padding=padding) if kind == "conv" else layers.MaxPooling2D(F, strides=S, padding=padding)
    stack = [layers.ZeroPadding2D(P)] if P else []
    model = keras.Sequential([keras.Input((W, W, channels)), *stack, core])
    return model.output_shape[1]


CASES = [  # (kind, W, F, P, S), including strides that do not divide W - F + 2P
    ("conv", 32, 3, 0, 1), ("conv", 32, 3, 1, 1), ("conv", 32, 5, 2, 1), ("conv", 32, 3, 1, 2), ("conv", 32, 5, 0, 2),
    ("conv", 227, 11, 0, 4), ("conv", 7, 3, 0, 2), ("conv", 28, 5, 0, 1), ("conv", 15, 4, 1, 3), ("conv", 10, 1, 0, 3),
    ("pool", 32, 2, 0, 2), ("pool", 31, 2, 0, 2), ("pool", 55, 3, 0, 2), ("pool", 8, 3, 1, 1), ("pool", 9, 3, 0, 3),
]


def test_output_size_formula_matches_keras_valid_and_padded(ns, keras_layers):
    keras, layers = keras_layers
    for kind, W, F, P, S in CASES:
        assert ns["conv_output_size"](W, F, P, S) == _keras_width(keras, layers, kind, W, F, P, S), (kind, W, F, P, S)


def test_same_padding_gives_ceil_w_over_s(ns, keras_layers):
    keras, layers = keras_layers
    for kind, W, F, _, S in CASES:
        if kind == "pool" and F < S:
            continue
        assert ns["same_output_size"](W, S) == _keras_width(keras, layers, kind, W, F, 0, S, "same") == math.ceil(W / S)


def _markdown() -> str:
    cells = json.loads(notebook_path(NB).read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_alexnet_first_layer_numbers_in_the_text_are_keras_numbers(ns, keras_layers):
    """AlexNet's first layer built in Keras: its shape and weights are the ones the formulas and the prose give."""
    keras, layers = keras_layers
    W, F, P, S, K, D_in = 227, 11, 0, 4, 96, 3
    conv = layers.Conv2D(K, F, strides=S)
    model = keras.Sequential([keras.Input((W, W, D_in)), conv])
    side = ns["conv_output_size"](W, F, P, S)
    assert model.output_shape == (None, side, side, K)
    assert conv.count_params() == ns["conv_params"](F, D_in, K)
    neurons = int(np.prod(model.output_shape[1:]))
    weights_per_neuron = int(np.prod(conv.kernel.shape[:3]))
    text = _markdown()
    for number in (f"{neurons:,}", f"{conv.count_params():,}", f"{weights_per_neuron} weights and bias"):
        assert number in text, number


def test_conv_params_matches_count_params(ns, keras_layers):
    keras, layers = keras_layers
    for F, D_in, K in [(3, 3, 32), (5, 32, 64), (1, 64, 10), (11, 3, 96), (3, 128, 7)]:
        for bias in (True, False):
            layer = layers.Conv2D(K, F, use_bias=bias)
            layer.build((None, 16, 16, D_in))
            assert ns["conv_params"](F, D_in, K, bias=bias) == layer.count_params()


def test_pooling_has_no_parameters_so_strided_net_has_the_same_count(ns):
    pool, stride = ns["build_convnet"]("pool"), ns["build_convnet"]("stride")
    assert pool.count_params() == stride.count_params()
    assert all(layer.count_params() == 0 for layer in pool.layers if "pool" in layer.name)
    assert pool.output_shape == stride.output_shape == (None, 10)
    # both downsample 32 -> 16 -> 8 -> 4 before the classifier
    assert pool.get_layer("flatten").input.shape[1:] == stride.get_layer("flatten").input.shape[1:] == (4, 4, 128)


def test_convnet_conv_layers_follow_the_formula(ns):
    model = ns["build_convnet"]("pool")
    convs = [layer for layer in model.layers if layer.__class__.__name__ == "Conv2D"]
    assert len(convs) == 5
    for layer in convs:
        F, D_in, K = layer.kernel_size[0], layer.input.shape[-1], layer.filters
        assert layer.count_params() == ns["conv_params"](F, D_in, K, bias=False)


@pytest.fixture(scope="module")
def cifar_image(mirror):
    from utils.data import load_cifar10

    (_, _), (x_test, y_test) = load_cifar10()
    return x_test[int(np.flatnonzero(y_test[:, 0] == 9)[0])].astype("float32") / 255.0  # a real truck


@pytest.mark.parametrize("stride,padding,keras_padding", [(1, 1, "same"), (1, 0, "valid"), (2, 0, "valid"), (3, 0, "valid")])
def test_numpy_convolution_equals_keras_conv2d(ns, keras_layers, cifar_image, stride, padding, keras_padding):
    keras, layers = keras_layers
    rng = np.random.default_rng(stride)
    kernels = rng.normal(0, 0.3, size=(3, 3, 3, 5)).astype("float32")
    bias = rng.normal(0, 0.1, size=5).astype("float32")
    conv = layers.Conv2D(5, 3, strides=stride, padding=keras_padding)
    conv.build((None, 32, 32, 3))
    conv.set_weights([kernels, bias])
    expected = keras.ops.convert_to_numpy(conv(cifar_image[None]))[0]
    got = ns["conv2d_numpy"](cifar_image, kernels, bias, stride=stride, padding=padding)
    assert got.shape == expected.shape
    assert np.abs(got - expected).max() < 1e-5


def test_keras_conv2d_is_cross_correlation_not_flipped_convolution(ns, keras_layers, cifar_image):
    from scipy.signal import convolve2d, correlate2d

    keras, layers = keras_layers
    kernel = np.array([[1, 2, 0], [0, -1, 3], [-2, 0, 1]], dtype="float32")  # no symmetry at all
    grey = cifar_image[:, :, :1]
    conv = layers.Conv2D(1, 3, padding="valid", use_bias=False)
    conv.build((None, 32, 32, 1))
    conv.set_weights([kernel[:, :, None, None]])
    by_keras = keras.ops.convert_to_numpy(conv(grey[None]))[0, :, :, 0]
    by_hand = ns["conv2d_numpy"](grey, kernel[:, :, None, None])[:, :, 0]
    assert np.abs(by_keras - correlate2d(grey[:, :, 0], kernel, mode="valid")).max() < 1e-5
    assert np.abs(by_hand - by_keras).max() < 1e-5
    assert np.abs(by_keras - convolve2d(grey[:, :, 0], kernel, mode="valid")).max() > 0.1


def test_flipped_sobel_is_the_negative(ns, cifar_image):
    sobel_x = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype="float32")
    kernels = np.repeat(sobel_x[:, :, None, None] / 3, 3, axis=2)
    edges = ns["conv2d_numpy"](cifar_image, kernels, padding=1)
    flipped = ns["conv2d_numpy"](cifar_image, kernels[::-1, ::-1], padding=1)
    assert np.allclose(flipped, -edges) and np.abs(edges).max() > 0.1


def test_stacked_3x3_receptive_fields_and_their_cost(ns):
    impulse = np.zeros((15, 15, 1))
    impulse[7, 7] = 1.0
    ones = np.ones((3, 3, 1, 1))
    out = impulse
    for n_layers, width in [(1, 3), (2, 5), (3, 7)]:
        out = ns["conv2d_numpy"](out, ones, padding=1)
        rows, cols = np.nonzero(out[:, :, 0])
        assert rows.max() - rows.min() + 1 == width and cols.max() - cols.min() + 1 == width
    C = 64  # two 3x3 layers cost less than one 5x5 with the same receptive field
    assert 2 * ns["conv_params"](3, C, C, bias=False) < ns["conv_params"](5, C, C, bias=False)


def test_flip_and_shift_keeps_shape_and_content(ns):
    rng = np.random.default_rng(0)
    images = np.random.default_rng(1).random((64, 32, 32, 3)).astype("float32")
    out = ns["flip_and_shift"](images, rng, max_shift=4)
    assert out.shape == images.shape and out.dtype == images.dtype
    assert not np.allclose(out, images)
    # each image is a flipped and/or shifted copy: its centre 24x24 appears in the original (or its mirror)
    for k in range(8):
        found = False
        for source in (images[k], images[k, :, ::-1]):
            for dy in range(-4, 5):
                for dx in range(-4, 5):
                    if np.array_equal(out[k, 4:28, 4:28], source[4 + dy:28 + dy, 4 + dx:28 + dx]):
                        found = True
        assert found
    no_shift = ns["flip_and_shift"](images, np.random.default_rng(2), max_shift=0)
    assert all(np.array_equal(a, b) or np.array_equal(a, b[:, ::-1]) for a, b in zip(no_shift, images))


def test_predict_with_flip_averages_each_image_with_its_left_right_mirror(ns, keras_layers):
    keras, layers = keras_layers
    # A model that sees where a pixel is (Flatten + Dense), so mirroring changes its output.
    model = keras.Sequential([keras.Input((4, 6, 1)), layers.Flatten(), layers.Dense(3, activation="softmax")])
    images = np.random.default_rng(4).random((5, 4, 6, 1)).astype("float32")
    plain = np.asarray(model.predict(images, verbose=0))
    left_right = np.asarray(model.predict(images[:, :, ::-1], verbose=0))
    up_down = np.asarray(model.predict(images[:, ::-1], verbose=0))
    averaged = ns["predict_with_flip"](model, images, batch_size=2)
    assert np.allclose(averaged, (plain + left_right) / 2, atol=1e-6)
    assert not np.allclose(averaged, (plain + up_down) / 2, atol=1e-4)  # the mirror is left-right, not upside down
    assert np.allclose(averaged.sum(axis=1), 1, atol=1e-5)  # still a probability distribution
    symmetric = (images + images[:, :, ::-1]) / 2  # an image equal to its mirror: the flip changes nothing
    assert np.allclose(ns["predict_with_flip"](model, symmetric), model.predict(symmetric, verbose=0), atol=1e-6)


def _work(ns, model):
    # The notebook's work_by_layer (section 5, not an export cell: it runs on the trained networks), as a dict.
    from keras import layers

    rows = {}
    for layer in model.layers:
        if isinstance(layer, layers.Conv2D):
            _, H_out, W_out, K = layer.output.shape
            rows[layer.name] = (layer.count_params(),
                                ns["conv_multiply_adds"](H_out, W_out, layer.kernel_size[0], layer.input.shape[-1], K))
        elif isinstance(layer, layers.Dense):
            rows[layer.name] = (layer.count_params(), layer.input.shape[-1] * layer.units)
    return rows


def test_a_full_width_filter_does_a_dense_layers_work(ns, keras_layers):
    # A 'valid' filter as wide as its input has one output position: its work is a dense layer's, one multiply-add
    # per weight; a 1x1 filter does D_in * K per position.
    keras, layers = keras_layers
    for W, D_in, K in [(4, 3, 5), (7, 2, 6)]:
        conv = keras.Sequential([keras.Input((W, W, D_in)), layers.Conv2D(K, W, use_bias=False)])
        _, H_out, W_out, _ = conv.output_shape
        assert (H_out, W_out) == (1, 1)
        assert ns["conv_multiply_adds"](H_out, W_out, W, D_in, K) == conv.count_params()
        assert ns["conv_multiply_adds"](W, W, 1, D_in, K) == W * W * ns["conv_params"](1, D_in, K, bias=False)


def test_where_the_work_goes_matches_the_notebooks_sentences(ns):
    pool, stride = _work(ns, ns["build_convnet"]("pool")), _work(ns, ns["build_convnet"]("stride"))
    weights = sum(w for w, _ in pool.values())
    work = sum(m for _, m in pool.values())
    # "the fully connected layer holds the most weights and does almost none of the work"
    assert max(pool, key=lambda name: pool[name][0]) == "fc" and pool["fc"][1] < 0.02 * work
    # "the convolutions at 32x32 and 16x16 hold few weights and do nearly all of it" (conv1_2 as the example)
    assert pool["conv1_2"][0] < 0.05 * weights and pool["conv1_2"][1] > 0.25 * work
    # "a convolution that outputs half the width and height ... does a quarter of the work": each stride-2
    # convolution does a quarter of its pooling twin's
    for name in ("conv1_2", "conv2_2", "conv3_1"):
        assert 4 * stride[name][1] == pool[name][1], name
    assert 2 < work / sum(m for _, m in stride.values()) < 3


def test_fashion_cnn_has_fewer_parameters_than_the_mlp(ns):
    mlp, cnn = ns["build_fmnist_mlp"](), ns["build_fmnist_cnn"]()
    assert mlp.count_params() == (784 * 300 + 300) + (300 * 100 + 100) + (100 * 10 + 10)
    conv = ns["conv_params"](3, 1, 32) + ns["conv_params"](3, 32, 64)
    side = ns["conv_output_size"](ns["conv_output_size"](ns["conv_output_size"](ns["conv_output_size"](28, 3), 2, 0, 2), 3), 2, 0, 2)
    assert side == 5
    assert cnn.count_params() == conv + (side * side * 64 * 64 + 64) + (64 * 10 + 10)
    assert cnn.count_params() < mlp.count_params() / 2


def test_the_notebook_asserts_it_beats_chance_in_every_profile():
    """nbval runs notebook 08 in smoke for CI; these assert cells make that run fail near chance
    (10 classes; the largest class is 11.2 % of the 1,000 test images)."""
    cells = json.loads(notebook_path(NB).read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "assert test_accuracy > 0.2" in code
    assert 'assert min(fmnist[n]["accuracy"] for n in names) > 0.5' in code


def test_most_weights_sit_in_the_fully_connected_layer(ns):
    model = ns["build_convnet"]("pool")
    conv_total = sum(layer.count_params() for layer in model.layers if layer.__class__.__name__ == "Conv2D")
    fc = model.get_layer("fc")
    assert fc.count_params() == fc.input.shape[-1] * fc.units + fc.units
    assert fc.count_params() > conv_total
    assert conv_total < 150_000  # the notebook prints both counts; its prose no longer hard-codes them


def test_same_padding_with_stride_2_puts_the_extra_zero_bottom_right(ns, keras_layers, cifar_image):
    keras, layers = keras_layers
    kernels = np.random.default_rng(3).normal(size=(3, 3, 3, 2)).astype("float32")
    conv = layers.Conv2D(2, 3, strides=2, padding="same", use_bias=False)
    conv.build((None, 32, 32, 3))
    conv.set_weights([kernels])
    by_keras = keras.ops.convert_to_numpy(conv(cifar_image[None]))[0]
    padded = np.pad(cifar_image, ((0, 1), (0, 1), (0, 0)))  # total padding (16 - 1)*2 + 3 - 32 = 1, all of it after
    assert by_keras.shape[:2] == (16, 16)
    assert np.abs(ns["conv2d_numpy"](padded, kernels, stride=2) - by_keras).max() < 1e-5
    symmetric = ns["conv2d_numpy"](cifar_image, kernels, stride=2, padding=1)
    assert symmetric.shape == by_keras.shape and np.abs(symmetric - by_keras).max() > 1e-3


# --------------------------------------------------------------------------- coding exercise: max-pooling
@pytest.mark.parametrize("shape,size", [((8, 8), 2), ((7, 9, 3), 2), ((10, 11, 2), 3), ((6, 6, 1), 3)])
def test_max_pool_exercise_reference_matches_keras(keras_layers, shape, size):
    from solutions.cnn import max_pool2d
    from utils.exercises.cnn import _max_pool2d

    keras, layers = keras_layers
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    channels = x if x.ndim == 3 else x[..., None]
    by_keras = keras.ops.convert_to_numpy(layers.MaxPooling2D(size)(channels[None]))[0]
    by_keras = by_keras if x.ndim == 3 else by_keras[..., 0]
    np.testing.assert_array_equal(max_pool2d(x, size), by_keras)
    np.testing.assert_array_equal(_max_pool2d(x, size), by_keras)
