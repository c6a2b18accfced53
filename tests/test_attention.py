"""Notebook 12 (attention and a Transformer block): the data generator, the encoder–decoder's teacher
forcing and greedy decoding, and every attention formula it teaches, checked against Keras."""

import ast
import importlib.util
import inspect
import json
from pathlib import Path

import numpy as np
import pytest

from tests.nbtools import notebook_namespace, notebook_path

keras = pytest.importorskip("keras")

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ns():
    return notebook_namespace("12_attention_transformer")


def _value(tensor):
    return keras.ops.convert_to_numpy(tensor)


# ------------------------------------------------------------------------------------------ the task
@pytest.mark.parametrize("n,words", [
    (0, "zero"), (7, "seven"), (17, "seventeen"), (20, "twenty"), (42, "forty two"), (100, "one hundred"),
    (306, "three hundred six"), (1000, "one thousand"), (1_000_001, "one million one"),
    (342_506, "three hundred forty two thousand five hundred six"),
    (999_000_000_019, "nine hundred ninety nine billion nineteen"),
])
def test_number_to_words_examples(ns, n, words):
    assert " ".join(ns["number_to_words"](n)) == words


def _parse(words):
    """An independent reading of the words back into a number (the test's own, not the notebook's)."""
    small = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                        "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
    small.update({w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())})
    scale = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
    total, group = 0, 0
    for word in words:
        if word in small:
            group += small[word]
        elif word == "hundred":
            group *= 100
        else:
            total += group * scale[word]
            group = 0
    return total + group


def test_number_to_words_reads_back_and_uses_only_the_vocabulary(ns):
    rng = np.random.default_rng(0)
    for digits in range(1, 13):
        for n in rng.integers(10 ** (digits - 1) if digits > 1 else 0, 10**digits, size=30):
            words = ns["number_to_words"](int(n))
            assert _parse(words) == n and set(words) <= set(ns["WORDS"][1:])


def test_the_longest_inputs_are_the_sevens(ns):
    """The notebook sizes its arrays with 7…7 as the number with the most words for its digits."""
    rng = np.random.default_rng(1)
    for digits in (3, 6, 9):
        longest = len(ns["number_to_words"](int("7" * digits)))
        sample = rng.integers(10 ** (digits - 1), 10**digits, size=2000)
        assert max(len(ns["number_to_words"](int(n))) for n in sample) <= longest


def test_random_numbers_respect_digits_exclusions_and_uniqueness(ns):
    rng = np.random.default_rng(0)
    train = ns["random_numbers"](2000, 3, rng)
    assert train.min() >= 0 and train.max() < 10**3
    assert len(set(train.tolist())) < 2000                       # short numbers repeat
    test = ns["random_numbers"](300, 4, rng, exclude=train, unique=True)
    assert len(set(test.tolist())) == 300 and not set(test.tolist()) & set(train.tolist())
    again = ns["random_numbers"](2000, 3, np.random.default_rng(0))
    assert np.array_equal(train, again)
    with pytest.raises(ValueError, match="numbers are left"):
        ns["random_numbers"](101, 2, np.random.default_rng(0), unique=True)


def test_decoder_input_is_the_target_shifted_right(ns):
    numbers = [5, 17, 306, 342_506]
    words, decoder_input, target = ns["encode_pairs"](numbers, max_words=10, max_digits=6)
    assert words.shape == (4, 10) and decoder_input.shape == target.shape == (4, 7)
    for row, n in enumerate(numbers):
        length = len(str(n)) + 1                                     # the digits and <end>
        assert decoder_input[row, 0] == ns["START"] and target[row, length - 1] == ns["END"]
        assert np.array_equal(decoder_input[row, 1:length], target[row, :length - 1])
        assert "".join(ns["DIGITS"][t] for t in target[row, :length - 1]) == str(n)
        assert np.all(target[row, length:] == ns["PAD"]) and np.all(decoder_input[row, length:] == ns["PAD"])
        n_words = len(ns["number_to_words"](n))
        assert np.all(words[row, :n_words] > 0) and np.all(words[row, n_words:] == ns["PAD"])
    with pytest.raises(ValueError):
        ns["encode_pairs"]([1_234_567], max_words=10, max_digits=6)


# ------------------------------------------------------------------------------------- the translator
@pytest.fixture(scope="module", params=[False, True], ids=["plain", "attention"])
def small_translator(ns, request):
    keras.utils.set_random_seed(0)
    model, weights_model = ns["translator"](request.param, len(ns["WORDS"]), len(ns["DIGITS"]), max_words=6,
                                            max_digits=4, units=8, embedding_dim=4)
    return request.param, model, weights_model


def test_each_decoder_step_depends_only_on_the_tokens_before_it(small_translator):
    """What makes teacher forcing and the notebook's greedy decoding (rerun on the prefix) correct."""
    _, model, _ = small_translator
    rng = np.random.default_rng(0)
    words = rng.integers(1, 30, size=(3, 6)).astype("int32")
    previous = rng.integers(3, 13, size=(3, 5)).astype("int32")
    changed = previous.copy()
    changed[:, 3:] = rng.integers(3, 13, size=(3, 2))
    before, after = model.predict([words, previous], verbose=0), model.predict([words, changed], verbose=0)
    np.testing.assert_allclose(before[:, :3], after[:, :3], atol=1e-6)
    assert np.abs(before[:, 3:] - after[:, 3:]).max() > 1e-6


def test_attention_weights_sum_to_one_over_the_words_and_skip_padding(small_translator):
    attention, model, weights_model = small_translator
    if not attention:
        assert weights_model is None
        return
    words = np.array([[3, 4, 5, 0, 0, 0], [6, 7, 8, 9, 10, 11]], dtype="int32")
    previous = np.array([[1, 5, 6, 7, 0], [1, 3, 4, 5, 6]], dtype="int32")
    weights = weights_model.predict([words, previous], verbose=0)
    assert weights.shape == (2, 5, 6)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, atol=1e-5)
    assert np.abs(weights[0, :, 3:]).max() < 1e-6


class _CountingModel:
    """Stands in for a trained model: the next token is (the token just read + 1), wrapping 3…12."""

    def __init__(self, n_tokens=13):
        self.n_tokens = n_tokens

    def predict_on_batch(self, inputs):
        _, previous = inputs
        following = np.where(previous <= 2, 3, (previous - 3 + 1) % 10 + 3)
        return np.eye(self.n_tokens)[following]


def test_greedy_decoding_feeds_each_prediction_back(ns):
    words = np.ones((2, 4), dtype="int32")
    predicted = ns["greedy_decode"](_CountingModel(), words, max_digits=4)
    # step 1 reads <start> → token 3; then every step reads the token before it and adds one
    assert predicted.tolist() == [[3, 4, 5, 6, 7], [3, 4, 5, 6, 7]]


def test_exact_match_ignores_what_follows_end(ns):
    target = np.array([[5, 6, 2, 0], [5, 6, 2, 0], [5, 6, 2, 0], [5, 2, 0, 0]])
    predicted = np.array([[5, 6, 2, 9], [5, 7, 2, 0], [5, 2, 0, 0], [5, 2, 5, 5]])
    assert ns["exact_match"](predicted, target).tolist() == [True, False, False, True]


def test_accuracy_by_length(ns):
    correct = np.array([True, False, True, True, False])
    lengths = np.array([1, 2, 4, 5, 6])
    result = ns["accuracy_by_length"](correct, lengths, [(1, 3), (4, 6), (7, 9)])
    assert result[0] == pytest.approx(0.5) and result[1] == pytest.approx(2 / 3) and np.isnan(result[2])


# -------------------------------------------------------------------------------- attention formulas
def _inputs(seed=0, batch=2, t=3, s=5, d=8):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(batch, t, d)).astype("float32"), rng.normal(size=(batch, s, d)).astype("float32"),
            rng.normal(size=(batch, s, d)).astype("float32"))


def test_softmax_rows_sum_to_one_and_survive_large_scores(ns):
    scores = np.array([[1000.0, 1000.0, 0.0], [-3.0, 0.0, 3.0]])
    weights = ns["softmax"](scores)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0)
    np.testing.assert_allclose(weights[0], [0.5, 0.5, 0.0], atol=1e-12)
    np.testing.assert_allclose(weights[1], _value(keras.ops.softmax(scores[1])), rtol=1e-6)


def test_dot_product_attention_equals_keras_attention(ns):
    query, key, value = _inputs()
    context, weights = keras.layers.Attention()([query, value, key], return_attention_scores=True)
    ours, our_weights = ns["dot_product_attention"](query, key, value)
    np.testing.assert_allclose(ours, _value(context), atol=1e-5)
    np.testing.assert_allclose(our_weights, _value(weights), atol=1e-5)


def test_additive_attention_equals_keras_additive_attention(ns):
    query, key, value = _inputs(seed=1)
    layer = keras.layers.AdditiveAttention()
    layer([query, value, key])
    w = np.random.default_rng(2).normal(size=layer.get_weights()[0].shape).astype("float32")
    layer.set_weights([w])
    context, weights = layer([query, value, key], return_attention_scores=True)
    ours, our_weights = ns["additive_attention"](query, key, value, w)
    np.testing.assert_allclose(ours, _value(context), atol=1e-5)
    np.testing.assert_allclose(our_weights, _value(weights), atol=1e-5)


def test_scaled_dot_product_attention_equals_keras_ops(ns):
    query, key, value = _inputs(seed=3, d=16)
    ours, _ = ns["scaled_dot_product_attention"](query, key, value)
    # keras.ops.dot_product_attention takes (batch, steps, heads, dim) and scales by 1/sqrt(dim) by default
    theirs = keras.ops.dot_product_attention(query[:, :, None], key[:, :, None], value[:, :, None])
    np.testing.assert_allclose(ours, _value(theirs)[:, :, 0], atol=1e-5)


def test_scaling_keeps_the_score_spread_at_one(ns):
    rng = np.random.default_rng(0)
    for d_k in (4, 64, 256):
        q, k = rng.normal(size=(4000, 1, d_k)), rng.normal(size=(4000, 1, d_k))
        scores = (q @ np.swapaxes(k, -1, -2)).ravel()
        assert np.std(scores) == pytest.approx(np.sqrt(d_k), rel=0.05)
        assert np.std(scores / np.sqrt(d_k)) == pytest.approx(1.0, rel=0.05)


@pytest.mark.parametrize("heads,key_dim,d_model", [(2, 16, 32), (4, 8, 32), (3, 5, 12)])
def test_multi_head_attention_equals_keras(ns, heads, key_dim, d_model):
    rng = np.random.default_rng(heads)
    x_query = rng.normal(size=(2, 4, d_model)).astype("float32")
    x_value = rng.normal(size=(2, 6, d_model)).astype("float32")
    layer = keras.layers.MultiHeadAttention(num_heads=heads, key_dim=key_dim)
    layer(x_query, x_value)
    layer.set_weights([rng.normal(scale=0.3, size=w.shape).astype("float32") for w in layer.get_weights()])
    ours = ns["multi_head_attention"](x_query, x_value, layer.get_weights())
    np.testing.assert_allclose(ours, _value(layer(x_query, x_value)), atol=1e-5)
    # the parameter formula of section 7
    assert layer.count_params() == 3 * (d_model * heads * key_dim + heads * key_dim) + heads * key_dim * d_model + d_model


def test_layer_norm_equals_keras(ns):
    rng = np.random.default_rng(0)
    x = rng.normal(loc=2.0, scale=3.0, size=(3, 5, 8)).astype("float32")
    layer = keras.layers.LayerNormalization(epsilon=1e-3)
    layer(x)
    gamma, beta = rng.normal(size=8).astype("float32"), rng.normal(size=8).astype("float32")
    layer.set_weights([gamma, beta])
    np.testing.assert_allclose(ns["layer_norm"](x, gamma, beta), _value(layer(x)), atol=1e-5)


# ----------------------------------------------------------------------------- the Transformer block
@pytest.fixture(scope="module")
def block(ns):
    keras.utils.set_random_seed(0)
    layer = ns["TransformerBlock"](dim=8, heads=2, ff_dim=12)
    layer(np.zeros((1, 5, 8), dtype="float32"))
    return layer


def test_block_is_layer_norm_of_the_residual_sums(ns, block):
    """The block computes LN(x + MHA(x)), then LN(· + FFN(·)), with the NumPy functions of the notebook."""
    x = np.random.default_rng(1).normal(size=(2, 5, 8)).astype("float32")
    after_attention = ns["layer_norm"](x + ns["multi_head_attention"](x, x, block.attention.get_weights()),
                                       *block.norm_attention.get_weights())
    w1, b1, w2, b2 = block.feed_forward.get_weights()
    feed_forward = np.maximum(after_attention @ w1 + b1, 0) @ w2 + b2
    expected = ns["layer_norm"](after_attention + feed_forward, *block.norm_feed_forward.get_weights())
    np.testing.assert_allclose(_value(block(x)), expected, atol=1e-4)


def test_block_without_positions_is_permutation_equivariant(ns, block):
    x = np.random.default_rng(2).normal(size=(1, 5, 8)).astype("float32")
    order = np.array([3, 0, 4, 1, 2])
    np.testing.assert_allclose(_value(block(x[:, order])), _value(block(x))[:, order], atol=1e-5)
    positions = ns["PositionEmbedding"](maxlen=5, dim=8)
    moved = _value(block(positions(x[:, order])))
    assert np.abs(moved - _value(block(positions(x)))[:, order]).max() > 1e-3


def test_position_embedding_adds_one_learned_row_per_position(ns):
    layer = ns["PositionEmbedding"](maxlen=6, dim=3)
    x = np.random.default_rng(3).normal(size=(2, 4, 3)).astype("float32")
    out = _value(layer(x))
    table = layer.positions.get_weights()[0]
    np.testing.assert_allclose(out, x + table[None, :4], atol=1e-6)


def test_transformer_classifier_shapes_and_parameters(ns):
    model = ns["transformer_classifier"](num_words=50, maxlen=12, dim=8, heads=2, ff_dim=16)
    out = model.predict(np.random.default_rng(0).integers(0, 50, size=(3, 12)), verbose=0)
    assert out.shape == (3, 1) and np.all((out > 0) & (out < 1))
    attention = 3 * (8 * 8 + 8) + 8 * 8 + 8
    expected = 50 * 8 + 12 * 8 + attention + 2 * 2 * 8 + (8 * 16 + 16) + (16 * 8 + 8) + 8 + 1
    assert model.count_params() == expected


# ----------------------------------------------------------------------------- IMDB plumbing (utils)
def test_split_and_pad_sizes_padding_and_stratification():
    from utils.imdb import split_and_pad

    rng = np.random.default_rng(0)

    def reviews(n):
        out = np.empty(n, dtype=object)
        out[:] = [list(rng.integers(3, 100, size=int(rng.integers(1, 30)))) for _ in range(n)]
        return out

    x_all, y_all = reviews(400), np.repeat([0, 1], 200)
    x_test_all, y_test_all = reviews(300), np.repeat([0, 1], 150)
    data = split_and_pad(x_all, y_all, x_test_all, y_test_all, n_train=100, n_test=60, maxlen=10, seed=3)
    assert data["x_train"].shape == (80, 10) and data["x_val"].shape == (20, 10) and data["x_test"].shape == (60, 10)
    assert data["y_train"].mean() == pytest.approx(0.5) and data["y_test"].mean() == pytest.approx(0.5)
    for padded, raw in zip(data["x_train"], data["x_train_raw"]):
        kept = list(raw)[-10:]                                      # 'pre' truncation keeps the end
        assert list(padded[10 - len(kept):]) == kept and np.all(padded[:10 - len(kept)] == 0)   # 'pre' padding
    again = split_and_pad(x_all, y_all, x_test_all, y_test_all, n_train=100, n_test=60, maxlen=10, seed=3)
    assert np.array_equal(data["x_val"], again["x_val"])


def test_recurrent_sentiment_model_has_notebook_10s_parameter_count():
    from utils.imdb import recurrent_sentiment_model

    model = recurrent_sentiment_model("LSTM", num_words=100)
    assert model.count_params() == 100 * 32 + 4 * 32 * (32 + 32 + 1) + (32 + 1)


def test_tfidf_baseline_learns_a_word_that_decides_the_label():
    from utils.imdb import tfidf_baseline

    rng = np.random.default_rng(0)

    def reviews(labels):
        out = np.empty(len(labels), dtype=object)
        out[:] = [list(rng.integers(10, 60, size=8)) + [5 if label else 6] for label in labels]
        return out

    labels = np.tile([0, 1], 40)
    result = tfidf_baseline(reviews(labels), labels, reviews(labels[:20]), labels[:20], reviews(labels[:30]), labels[:30])
    assert result["test_accuracy"] == 1.0 and result["val_accuracy"] == 1.0 and result["params"] > 1


# ------------------------------------------------------------------------------------ the exercise
def test_masked_attention_solution_matches_the_notebook_without_a_mask(ns):
    spec = importlib.util.spec_from_file_location("solutions_attention", REPO_ROOT / "solutions" / "attention.py")
    solutions = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(solutions)
    query, key, value = _inputs(seed=5)
    full = np.ones((3, 5), dtype=bool)
    np.testing.assert_allclose(solutions.masked_attention(query, key, value, full)[0],
                               ns["scaled_dot_product_attention"](query, key, value)[0], atol=1e-6)
    causal_query = _inputs(seed=6, t=4, s=4)
    out, weights = solutions.masked_attention(*causal_query, np.tril(np.ones((4, 4), dtype=bool)))
    assert np.all(np.triu(weights[0], k=1) == 0) and np.allclose(weights.sum(-1), 1)


# ------------------------------------------------------------------ section 9 reuses notebook 10's set-up
def _notebook_10_code() -> list[ast.Module]:
    """The parsed code cells of notebook 10 that define its classifier and its TF-IDF baseline."""
    cells = json.loads(notebook_path("10_rnn_sentiment").read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    return [ast.parse(s) for s in sources if "def sentiment_model" in s or "TfidfVectorizer(" in s]


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU", "BiLSTM"])
def test_utils_imdb_builds_notebook_10s_recurrent_classifier(kind):
    # Section 9 compares its Transformer with "the sentiment notebook's LSTM": utils.imdb must build that very model.
    from utils.imdb import recurrent_sentiment_model

    definition = next(node for tree in _notebook_10_code() for node in tree.body
                      if isinstance(node, ast.FunctionDef) and node.name == "sentiment_model")
    namespace = {"keras": keras}
    exec(compile(ast.Module([definition], type_ignores=[]), "notebook 10", "exec"), namespace)
    models = []
    for build in (namespace["sentiment_model"], recurrent_sentiment_model):
        keras.utils.set_random_seed(0)
        models.append(build(kind, 500))
    ours, theirs = models

    def described(model):  # each layer's kind and settings, without the names Keras numbers
        def strip(config):
            if isinstance(config, dict):
                return {k: strip(v) for k, v in config.items() if k != "name"}
            return [strip(v) for v in config] if isinstance(config, list) else config
        return [(type(layer).__name__, strip(layer.get_config())) for layer in model.layers]

    assert described(ours) == described(theirs)
    for a, b in zip(ours.weights, theirs.weights):
        np.testing.assert_array_equal(_value(a), _value(b))
    assert ours.optimizer.get_config() | {"name": ""} == theirs.optimizer.get_config() | {"name": ""}
    assert ours.loss == theirs.loss


def test_utils_imdb_tfidf_baseline_has_notebook_10s_settings():
    from utils import imdb

    def calls(tree, name):
        return [ast.dump(node) for node in ast.walk(tree)
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == name]

    notebook = [call for tree in _notebook_10_code() for name in ("TfidfVectorizer", "LogisticRegression")
                for call in calls(tree, name)]
    module = ast.parse(inspect.getsource(imdb.tfidf_baseline))
    ours = [call for name in ("TfidfVectorizer", "LogisticRegression") for call in calls(module, name)]
    assert notebook and notebook == ours
