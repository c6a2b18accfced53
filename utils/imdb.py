"""IMDB sentiment plumbing shared by notebooks 10 and 12: the split, the padding, the recurrent
classifier and the TF-IDF baseline of notebook 10, written once so another notebook can train
the same comparison on the same reviews."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from utils.data import stratified_subset, train_val_split


def split_and_pad(
    x_train_all: np.ndarray, y_train_all: np.ndarray, x_test_all: np.ndarray, y_test_all: np.ndarray,
    n_train: int, n_test: int, maxlen: int, seed: int,
) -> dict[str, np.ndarray]:
    """Notebook 10's data: a stratified pool of ``n_train`` reviews, a fifth of it for validation,
    ``n_test`` test reviews, each padded and truncated to ``maxlen`` at the beginning ('pre').

    Returns ``x_train, y_train, x_val, y_val, x_test, y_test`` (padded integer arrays) and the
    unpadded reviews as ``x_train_raw, x_val_raw, x_test_raw``.
    """
    import keras

    x_pool, y_pool = stratified_subset(x_train_all, y_train_all, n_train, seed=seed)
    (x_train_raw, y_train), (x_val_raw, y_val) = train_val_split(x_pool, y_pool, n_val=len(y_pool) // 5, seed=seed)
    x_test_raw, y_test = stratified_subset(x_test_all, y_test_all, n_test, seed=seed)
    padded = {name: keras.utils.pad_sequences(raw, maxlen=maxlen)
              for name, raw in [("x_train", x_train_raw), ("x_val", x_val_raw), ("x_test", x_test_raw)]}
    return dict(padded, y_train=y_train, y_val=y_val, y_test=y_test,
                x_train_raw=x_train_raw, x_val_raw=x_val_raw, x_test_raw=x_test_raw)


def recurrent_sentiment_model(kind: str, num_words: int, units: int = 32, embedding_dim: int = 32,
                              dropout: float = 0.3):
    """Notebook 10's classifier: Embedding → dropout → recurrent layer → dropout → Dense(1, sigmoid),
    compiled with Adam (learning rate 1e-3, clipnorm 1) and binary cross-entropy."""
    import keras

    recurrent = {
        "SimpleRNN": lambda: keras.layers.SimpleRNN(units),
        "LSTM": lambda: keras.layers.LSTM(units),
        "GRU": lambda: keras.layers.GRU(units),
        "BiLSTM": lambda: keras.layers.Bidirectional(keras.layers.LSTM(units)),
    }[kind]()
    model = keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(num_words, embedding_dim),
        keras.layers.Dropout(dropout),
        recurrent,
        keras.layers.Dropout(dropout),
        keras.layers.Dense(1, activation="sigmoid"),
    ], name=kind)
    model.compile(optimizer=keras.optimizers.Adam(1e-3, clipnorm=1.0), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def as_text(reviews: np.ndarray) -> list[str]:
    """The integer ids of each review as space-separated "words" for scikit-learn (no padding, no truncation)."""
    return [" ".join(map(str, review)) for review in reviews]


def tfidf_baseline(x_train_raw: np.ndarray, y_train: np.ndarray, x_val_raw: np.ndarray, y_val: np.ndarray,
                   x_test_raw: np.ndarray, y_test: np.ndarray) -> dict[str, Any]:
    """Notebook 10's baseline: TF-IDF of words and word pairs on whole reviews, then logistic regression.

    Returns ``val_accuracy``, ``test_accuracy``, ``params`` (weights + bias) and ``seconds`` (fit time).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    start = time.perf_counter()
    tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=200_000, token_pattern=r"\S+", sublinear_tf=True)
    features_train = tfidf.fit_transform(as_text(x_train_raw))
    classifier = LogisticRegression(C=4.0, max_iter=1000).fit(features_train, y_train)
    seconds = time.perf_counter() - start
    return dict(
        val_accuracy=float(classifier.score(tfidf.transform(as_text(x_val_raw)), y_val)),
        test_accuracy=float(classifier.score(tfidf.transform(as_text(x_test_raw)), y_test)),
        params=int(classifier.coef_.size + classifier.intercept_.size), seconds=seconds,
    )
