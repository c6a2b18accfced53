"""Reference answers for notebook 03's exercises, and typical wrong answers.

The coding exercise's reference is a function; each WRONG entry is a mistake students make.
"""

import numpy as np


def sparse_cross_entropy(probabilities, labels):
    """Mean over the N images of −log p[i, labels[i]]; probabilities (N, K), labels (N,) integers."""
    picked = probabilities[np.arange(len(labels)), labels]   # one probability per image: its true class
    return -np.mean(np.log(picked))


def _indexes_every_row_with_every_label(probabilities, labels):
    return -np.mean(np.log(probabilities[:, labels]))          # (N, N): every image with every label


def _sum_instead_of_mean(probabilities, labels):
    return -np.sum(np.log(probabilities[np.arange(len(labels)), labels]))


def _forgot_the_minus(probabilities, labels):
    return np.mean(np.log(probabilities[np.arange(len(labels)), labels]))


def _mean_over_every_class(probabilities, labels):
    return -np.mean(np.log(probabilities))                    # the labels never used


def _per_image_not_averaged(probabilities, labels):
    return -np.log(probabilities[np.arange(len(labels)), labels])


REFERENCE = {
    "check_param_count": 266_610,               # 784·300+300 + 300·100+100 + 100·10+10
    "check_softmax": [0.665, 0.245, 0.090],     # e^2, e^1, e^0 over their sum 11.107
    # with the example confusion matrix the check uses when the notebook does not pass its own `cm`
    "check_lowest_recall_class": "Shirt",
    "check_sparse_cross_entropy": sparse_cross_entropy,
}

WRONG = {
    "check_param_count": [266_200, 235_500, 535_818, 266_610.5],   # no biases; first layer only; the 512-256 model
    "check_softmax": [[2 / 3, 1 / 3, 0.0], [0.5, 0.3, 0.2], [0.881, 0.731, 0.5], [0.665, 0.245]],  # ratios; guess; sigmoid
    # neighbours in the confusion block, a plural, the index instead of the name
    "check_lowest_recall_class": ["T-shirt/top", "Pullover", "Coat", "shirts", 6],
    "check_sparse_cross_entropy": [_indexes_every_row_with_every_label, _sum_instead_of_mean, _forgot_the_minus,
                                   _mean_over_every_class, _per_image_not_averaged],
}
