"""Exercise checks for notebook 11 (house-price regression: metrics, losses, normalisation)."""

from __future__ import annotations

from typing import Any

import numpy as np

from utils.exercises import close_to, report
from utils.exercises.coding import check_function

# Exercise 1: true values and predictions, in dollars.
RMSE_TRUE = np.array([150_000, 320_000, 500_001, 90_000], dtype=float)
RMSE_PRED = np.array([170_000, 290_000, 420_000, 100_000], dtype=float)

# Exercise 3: residuals in units of $100k, Huber delta.
HUBER_RESIDUALS = np.array([0.5, -3.0])
HUBER_DELTA = 1.0

# Exercise 4: one feature's values in each split.
NORM_TRAIN = np.array([2.0, 4.0, 6.0, 8.0])
NORM_VAL = np.array([10.0, 30.0])
NORM_TEST = np.array([20.0, 40.0])


def rmse_by_hand_expected() -> float:
    return float(np.sqrt(np.mean((RMSE_PRED - RMSE_TRUE) ** 2)))


def huber_expected() -> float:
    e = np.abs(HUBER_RESIDUALS)
    d = HUBER_DELTA
    return float(np.mean(np.where(e <= d, 0.5 * e**2, d * (e - 0.5 * d))))


def check_rmse_by_hand(answer: Any) -> bool | None:
    """RMSE of exercise 1's four predictions, in dollars."""
    return report(
        "RMSE by hand", answer, close_to(rmse_by_hand_expected(), rel=0, abs_tol=50 + 1e-6),
        "take the four errors (prediction − truth), square them, average the squares, then take the square "
        "root. The result is in dollars and lies between the MAE and the largest error; the nearest hundred "
        "dollars is enough.",
    )


def check_loss_for_outliers(answer: Any) -> bool | None:
    """The loss that is quadratic for small errors and has a bounded gradient for large ones."""

    def good(value: Any) -> bool:
        text = "".join(ch for ch in str(value).lower() if ch.isalnum())
        return text in {"huber", "huberloss"}

    return report(
        "Pick the loss", answer, good,
        "MSE lets a huge error pull hard (its gradient grows with the error); MAE's gradient is ±1 even for tiny "
        "errors, so it never settles smoothly. Compare the slopes of section 3's loss curves (a loss's slope is "
        "its gradient): you want one whose slope shrinks to 0 with the error and stays bounded for large ones.",
    )


def check_huber_by_hand(answer: Any) -> bool | None:
    """Huber loss (delta 1) of residuals 0.5 and -3, averaged."""
    return report(
        "Huber by hand", answer, close_to(huber_expected(), rel=0, abs_tol=0.005 + 1e-12),
        "|0.5| ≤ δ, so that row costs ½e²; |−3| > δ, so that row costs δ(|e| − ½δ). Then average the two rows "
        "and give the result to two decimals.",
    )


def check_normalizer_mean(answer: Any) -> bool | None:
    """The mean a Normalization layer adapted on the training split holds."""
    return report(
        "Fit the normaliser", answer, close_to(float(NORM_TRAIN.mean()), rel=1e-6),
        "adapt() should see only the rows the model trains on; validation and test rows stand in for the future.",
    )


def _normalize(features_train, features):
    return (features - features_train.mean(axis=0)) / features_train.std(axis=0)


def _normalize_inputs(rng: np.random.Generator) -> tuple:
    columns = int(rng.integers(2, 5))
    centre, spread = rng.uniform(-50, 50, size=columns), rng.uniform(0.5, 20, size=columns)
    train = rng.normal(centre, spread, size=(int(rng.integers(5, 10)), columns))
    other = rng.normal(centre + spread, 2 * spread, size=(int(rng.integers(3, 7)), columns))  # another split
    return train, other


def check_normalize(student_fn: Any) -> bool | None:
    """What Normalization adapted on the training split does to any split, in NumPy."""
    return check_function(
        "normalize", student_fn, _normalize, _normalize_inputs, arg_names=("features_train", "features"),
        hint="one mean and one standard deviation per column (per feature), both computed on features_train only "
             "(whichever split you transform), the variance with 1/n as Keras does; subtract the mean, then "
             "divide by the standard deviation.",
    )
