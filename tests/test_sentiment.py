"""Notebook 10 (RNN sentiment): encoding, padding and embedding facts it teaches, checked against Keras."""

import numpy as np
import pytest

from tests.nbtools import notebook_namespace

keras = pytest.importorskip("keras")

FIRST_REVIEW_START = [1, 14, 22, 16, 43, 530, 973, 1622, 1385, 65]  # documented in shared/datasets/README.md


@pytest.fixture(scope="module")
def ns():
    return notebook_namespace("10_rnn_sentiment")


@pytest.fixture(scope="module")
def word_index(mirror):
    from utils.data import load_imdb_word_index

    return load_imdb_word_index()


def test_decode_and_encode_match_the_imdb_encoding(ns, word_index, mirror):
    from utils.data import load_imdb

    (x_train, _), _ = load_imdb(num_words=10_000)
    assert list(x_train[0][:10]) == FIRST_REVIEW_START
    text = ns["decode_review"](x_train[0][:10], word_index)
    assert text == "<START> this film was just brilliant casting location scenery story"
    assert ns["encode_review"](text.replace("<START> ", ""), word_index, num_words=10_000) == FIRST_REVIEW_START
    # a whole review survives decode -> encode (words outside the vocabulary were already 2)
    review = list(x_train[1])
    decoded = ns["decode_review"](review, word_index).replace("<START> ", "").replace("<OOV>", "qqqunknownqqq")
    assert ns["encode_review"](decoded, word_index, num_words=10_000) == review


def test_encode_review_lowercases_strips_punctuation_and_marks_rare_words(ns, word_index):
    ids = ns["encode_review"]("Brilliant!!! Zyxwv, BRILLIANT.", word_index, num_words=10_000)
    brilliant = word_index["brilliant"] + 3
    assert ids == [1, brilliant, 2, brilliant]
    rare = next(w for w, r in word_index.items() if r + 3 >= 1000 and r + 3 < 2000 and w.isalpha())
    assert ns["encode_review"](rare, word_index, num_words=1000) == [1, 2]
    assert ns["encode_review"](rare, word_index, num_words=10_000) == [1, word_index[rare] + 3]
    assert ns["encode_review"]("don't", word_index, num_words=10_000) == [1, word_index["don't"] + 3]  # apostrophe kept


def test_text_vectorization_reserves_padding_and_unknown():
    vectorizer = keras.layers.TextVectorization(output_mode="int")
    vectorizer.adapt(["Hi there", "how are you"])
    vocabulary = vectorizer.get_vocabulary()
    assert vocabulary[:2] == ["", "[UNK]"] and sorted(vocabulary[2:]) == ["are", "hi", "how", "there", "you"]
    encoded = keras.ops.convert_to_numpy(vectorizer(["Hi there", "how are you"]))
    assert encoded.shape == (2, 3) and encoded[0, 2] == 0 and np.all(encoded[:, :2] >= 2)  # padded at the end
    assert keras.ops.convert_to_numpy(vectorizer(["hi wonderful"]))[0, 1] == 1                # unseen word -> [UNK]


def test_pad_sequences_pre_and_post_as_taught():
    ids = [[2, 3], [4, 5, 6]]
    np.testing.assert_array_equal(keras.utils.pad_sequences(ids, maxlen=4), [[0, 0, 2, 3], [0, 4, 5, 6]])
    np.testing.assert_array_equal(keras.utils.pad_sequences(ids, maxlen=4, padding="post"), [[2, 3, 0, 0], [4, 5, 6, 0]])
    np.testing.assert_array_equal(keras.utils.pad_sequences(ids, maxlen=2), [[2, 3], [5, 6]])            # keeps the end
    np.testing.assert_array_equal(keras.utils.pad_sequences(ids, maxlen=2, truncating="post"), [[2, 3], [4, 5]])
    assert keras.utils.pad_sequences([[1] * 3, [1] * 7, [1] * 5], maxlen=6).shape == (3, 6)          # exercise 1


def test_pad_and_truncate_exercise_reference_equals_pad_sequences():
    from solutions.sentiment import pad_and_truncate

    rng = np.random.default_rng(0)
    for maxlen in (1, 4, 9):
        sequences = [list(rng.integers(1, 100, size=n)) for n in (0, 1, maxlen, maxlen + 3, 2 * maxlen)]
        expected = keras.utils.pad_sequences(sequences, maxlen=maxlen)
        np.testing.assert_array_equal(pad_and_truncate(sequences, maxlen), expected)


def test_embedding_is_a_lookup_with_v_times_k_parameters(ns):
    layer = keras.layers.Embedding(50, 8)
    ids = np.array([[3, 7, 3, 49]])
    looked_up = keras.ops.convert_to_numpy(layer(ids))[0]
    E = layer.get_weights()[0]
    np.testing.assert_allclose(looked_up, np.eye(50, dtype="float32")[ids[0]] @ E, atol=1e-7)
    assert layer.count_params() == ns["embedding_params"](50, 8)
    from solutions.sentiment import REFERENCE

    big = keras.layers.Embedding(20_000, 64)
    big.build((None, None))
    assert big.count_params() == REFERENCE["check_embedding_params"]
    bi = keras.layers.Bidirectional(keras.layers.LSTM(32))
    bi.build((None, None, 32))
    assert bi.count_params() == REFERENCE["check_bilstm_params"]


def test_cosine_similarity_and_nearest_neighbours(ns):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(6, 4))
    sims = ns["cosine_similarity_matrix"](vectors)
    np.testing.assert_allclose(np.diag(sims), 1.0)
    np.testing.assert_allclose(sims, sims.T)
    np.testing.assert_allclose(ns["cosine_similarity_matrix"](vectors * 5.0), sims)   # length does not matter
    # plant a neighbour: "good" (index 4) and "fine" (index 5) point the same way, "bad" (6) the opposite way
    word_index = {"good": 1, "fine": 2, "bad": 3, "movie": 4}
    embeddings = rng.normal(size=(8, 4))
    embeddings[5] = 3.0 * embeddings[4] + 0.01
    embeddings[6] = -embeddings[4]
    neighbours = ns["nearest_neighbours"]("good", embeddings, word_index, k=3)
    assert neighbours[0][0] == "fine" and neighbours[-1][0] == "bad"
    assert all(w != "good" for w, _ in neighbours)
    assert [s for _, s in neighbours] == sorted([s for _, s in neighbours], reverse=True)


def _ragged(rng, n, longest):
    return [list(rng.integers(1, 500, size=int(k))) for k in rng.integers(1, longest + 1, size=n)]


@pytest.mark.parametrize("shuffle", [True, False])
def test_length_buckets_hold_every_review_once_padded_to_its_batch(ns, shuffle):
    # Section 5: each batch is 'pre'-padded only to its longest review (rounded up to `step`, cut at `maxlen`),
    # and one pass holds every review exactly once, with its own label.
    rng = np.random.default_rng(1)
    reviews = _ragged(rng, 203, 180)
    labels = np.arange(len(reviews))                      # a review's label is its index: alignment is checked
    maxlen, step = 120, 25
    buckets = ns["LengthBuckets"](reviews, labels, batch_size=16, maxlen=maxlen, step=step, shuffle=shuffle, seed=3)
    for _ in range(2):                                    # two epochs: on_epoch_end draws new batches
        seen = []
        for i in range(len(buckets)):
            x, y = buckets[i]
            longest = max(min(len(reviews[j]), maxlen) for j in y)
            assert x.shape[1] == min(maxlen, step * -(-longest // step)) and x.shape[0] == len(y)
            for row, j in zip(x, y):
                kept = reviews[j][-maxlen:]
                np.testing.assert_array_equal(row[x.shape[1] - len(kept):], kept)
                assert not row[: x.shape[1] - len(kept)].any()
            seen.extend(y.tolist())
        assert sorted(seen) == list(range(len(reviews)))
        first_epoch = [b.tolist() for b in buckets.batches]
        buckets.on_epoch_end()
    assert ([b.tolist() for b in buckets.batches] != first_epoch) == shuffle


def test_bucketing_computes_the_steps_it_reports_and_fewer_than_padding(ns):
    rng = np.random.default_rng(2)
    reviews = [list(rng.integers(1, 99, size=int(k))) for k in rng.lognormal(5.0, 0.6, size=400).astype(int) + 1]
    buckets = ns["LengthBuckets"](reviews, np.zeros(len(reviews)), batch_size=32, maxlen=1000, step=50, seed=0)
    assert buckets.padded_steps() == sum(buckets[i][0].size for i in range(len(buckets)))
    unsorted_steps = sum(len(b) * min(1000, max(len(reviews[j]) for j in b))
                         for b in np.array_split(rng.permutation(len(reviews)), len(buckets)))
    assert buckets.padded_steps() < unsorted_steps < len(reviews) * 1000


def test_mask_makes_the_lstm_blind_to_padding_and_without_it_the_zeros_move_the_state(ns):
    # Section 5's sentence: without a mask the zeros in front change the prediction; with one they do not.
    review = [[5, 17, 3, 99, 42, 8]]
    for mask in (True, False):
        keras.utils.set_random_seed(0)
        model = ns["lstm_classifier"](200, units=8, embedding_dim=4, mask=mask)
        short, long = (float(keras.ops.convert_to_numpy(model(keras.utils.pad_sequences(review, maxlen=w)))[0, 0])
                       for w in (6, 40))
        assert (abs(short - long) < 1e-6) == mask, (mask, short, long)


@pytest.mark.parametrize("shuffle", [True, False])
def test_length_buckets_first_two_batches_differ_in_width_so_keras_accepts_every_width(ns, shuffle):
    # Keras's PyDataset adapter (TensorFlow) learns the input shape from the first two batches: equal widths there
    # would make it reject the wider batches that follow (the class profile's validation set hit exactly this).
    rng = np.random.default_rng(4)
    reviews = [list(rng.integers(1, 50, size=k)) for k in [5] * 40 + [60] * 8]   # many short, a few long
    labels = rng.integers(0, 2, size=len(reviews))
    buckets = ns["LengthBuckets"](reviews, labels, batch_size=8, maxlen=100, step=10, shuffle=shuffle, seed=0)
    assert buckets.width(0) != buckets.width(1)
    keras.utils.set_random_seed(0)
    model = ns["lstm_classifier"](50, units=4, embedding_dim=4)
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(buckets, validation_data=buckets, epochs=2, verbose=0)
    _, accuracy = model.evaluate(buckets, verbose=0)
    assert 0 <= accuracy <= 1
    same_width = ns["LengthBuckets"]([[1, 2]] * 20, np.zeros(20), batch_size=8, maxlen=10, step=5, shuffle=shuffle)
    assert {same_width.width(i) for i in range(len(same_width))} == {5}                 # one width: nothing to swap
