"""Reference answers for notebook 11's exercises (and typical wrong ones, for the tests)."""

import numpy as np


def normalize(features_train, features):
    # Normalization adapted on the training split: per-column mean and (1/n) standard deviation of the training rows.
    mean = features_train.mean(axis=0)
    std = np.sqrt(((features_train - mean) ** 2).mean(axis=0))
    return (features - mean) / std


def _own_statistics(features_train, features):  # adapts on the split it transforms
    return (features - features.mean(axis=0)) / features.std(axis=0)


def _sample_std(features_train, features):  # pandas' .std() divides by n - 1; Keras divides by n
    return (features - features_train.mean(axis=0)) / features_train.std(axis=0, ddof=1)


def _divides_by_variance(features_train, features):
    return (features - features_train.mean(axis=0)) / features_train.var(axis=0)


def _one_statistic_for_all_columns(features_train, features):  # axis forgotten: one mean and std for the table
    return (features - features_train.mean()) / features_train.std()


REFERENCE = {
    "check_rmse_by_hand": 44159.26,        # sqrt((20000² + 30000² + 80001² + 10000²) / 4); ±50 $ accepted
    "check_loss_for_outliers": "huber",    # quadratic below delta, linear (bounded gradient) above
    "check_huber_by_hand": 1.3125,         # (0.5 · 0.5² + 1 · (3 − 0.5)) / 2 = (0.125 + 2.5) / 2; 1.31 accepted
    "check_normalizer_mean": 5.0,          # mean of the training rows 2, 4, 6, 8
    "check_normalize": normalize,
}

WRONG = {
    "check_rmse_by_hand": [35000.25, 1950040000.25, 88318.5, 140001, 80001,   # MAE, MSE, no /n inside sqrt, ...
                           44300, 44000],
    "check_loss_for_outliers": ["mse", "mae", "mean_squared_error", "mean_absolute_error", "crossentropy"],
    "check_huber_by_hand": [4.625, 1.75, 2.625, 1.5625, 0.0625,    # MSE, MAE, sum, forgot −½δ, only the small row
                            1.32, 1.3],
    "check_normalizer_mean": [15.0, 20.0, 10.0, 30.0],             # all rows, validation, train + validation, test
    "check_normalize": [_own_statistics, _sample_std, _divides_by_variance, _one_statistic_for_all_columns],
}
