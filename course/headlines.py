"""Each notebook's headline numbers, and the reference recipes some of them are measured against.

The README's first generated table (``python -m course.evidence --readme``) shows, per notebook,
the full-profile wall time and these metrics from its evidence record (mean ± s.d. over seeds),
and for three tasks what a well-known reference recipe reached on the same data and machine.
``tests/test_evidence.py`` checks that every metric named here exists in its notebook's record.
"""

from __future__ import annotations

from typing import NamedTuple


class Headline(NamedTuple):
    metric: str   # a key of the evidence record's "metrics"
    label: str    # what the number is, for a reader of the README


class Reference(NamedTuple):
    recipe: str
    test_accuracy: float
    train_seconds: float
    measured: str = ""  # when it differs from REFERENCES_MEASURED (machine speed varies from day to day)


# topic (evidence/<topic>.json) → the numbers a lecturer would quote first.
HEADLINES: dict[str, list[Headline]] = {
    "perceptron": [Headline("xor_mlp_accuracy", "XOR solved by a 2-2-1 MLP (accuracy)")],
    "backpropagation": [Headline("moons_test_accuracy", "NumPy MLP on two moons (test accuracy)")],
    "mlp_fashion_mnist": [Headline("test_accuracy", "Fashion-MNIST MLP (test accuracy)")],
    "optimizers": [Headline("test_accuracy", "Fashion-MNIST MLP, best optimizer on validation (test accuracy)")],
    "learning_rate": [Headline("test_accuracy_range_test", "Fashion-MNIST MLP at the range test's rate (test accuracy)")],
    "initialization": [Headline("test_accuracy_relu_he_30_layers", "30-layer ReLU MLP with He initialisation (test accuracy)")],
    "regularization": [Headline("test_accuracy_no_regularization", "noisy-label MLP, no regularization (test accuracy)"),
                       Headline("test_accuracy_dropout_05", "the same with dropout 0.5 (test accuracy)")],
    "cnn_cifar10": [Headline("test_accuracy", "ConvNet on CIFAR-10 (test accuracy)")],
    "rnn_fundamentals": [Headline("first_symbol_acc_SimpleRNN_len200", "first symbol after 200 steps: SimpleRNN"),
                         Headline("first_symbol_acc_GRU_open_len200", "the same, GRU with an open gate")],
    "rnn_sentiment": [Headline("test_acc_best_gated", "IMDB sentiment, best gated RNN on validation (test accuracy)"),
                      Headline("test_acc_tfidf", "IMDB sentiment, TF-IDF + logistic regression (test accuracy)")],
    "house_prices": [Headline("mlp_test_rmse", "California housing MLP (test RMSE, $)")],
    "attention_transformer": [Headline("seq2seq_longest_attention", "longest numbers, decoder with attention (exact match)"),
                              Headline("seq2seq_longest_plain", "longest numbers, plain encoder–decoder (exact match)"),
                              Headline("test_acc_transformer", "IMDB sentiment, Transformer block (test accuracy)")],
    "beyond_one_cpu": [Headline("images_per_s[compilation: compiled (default)]", "small CNN, compiled training (images/s)")],
}

# Measured for issue #18 on the 2-core reference machine (one seed each; same data as the notebooks:
# the course mirror's CIFAR-10 subset of 10,000 training and 1,000 test images, IMDB's 25,000 test reviews).
REFERENCES_MEASURED = "measured for issue #18 on the same 2-core machine and data, November 2026, one seed each"
REFERENCES: dict[str, Reference] = {
    "mlp_fashion_mnist": Reference("a well-known textbook's 300-100 ReLU MLP, SGD, 30 epochs", 0.872, 132),
    "cnn_cifar10": Reference("TensorFlow's CNN tutorial (3 conv layers, Adam, 10 epochs)", 0.558, 27,
                             measured="re-measured with `tools/reference_cnn.py` on the day of the notebook's evidence run, "
                                      "2026-12-01, with oneDNN on like the notebook (`COURSE_FAST_CPU_KERNELS=1`): mean of "
                                      "seeds 42-44 on the notebook's 9,000 training images, 0.551-0.563 in 23-29 s "
                                      "(3,100-3,900 images/s); with oneDNN off the same morning 0.557-0.592 in 26-45 s; "
                                      "on 2026-11-30's slower machine 0.581 in 64 s"),
    "rnn_sentiment": Reference("a well-known Keras book's Embedding + LSTM(32), RMSprop, 10 epochs, maxlen 500", 0.877, 248),
}
