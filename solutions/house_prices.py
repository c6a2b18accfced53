"""Reference answers for notebook 10's exercises (and typical wrong ones, for the tests)."""

REFERENCE = {
    "check_rmse_by_hand": 44159.26,        # sqrt((20000² + 30000² + 80001² + 10000²) / 4)
    "check_loss_for_outliers": "huber",    # quadratic below delta, linear (bounded gradient) above
    "check_huber_by_hand": 1.3125,         # (0.5 · 0.5² + 1 · (3 − 0.5)) / 2 = (0.125 + 2.5) / 2
    "check_normalizer_mean": 5.0,          # mean of the training rows 2, 4, 6, 8
}

WRONG = {
    "check_rmse_by_hand": [35000.25, 1950040000.25, 88318.5, 140001, 80001],   # MAE, MSE, no /n inside sqrt, ...
    "check_loss_for_outliers": ["mse", "mae", "mean_squared_error", "mean_absolute_error", "crossentropy"],
    "check_huber_by_hand": [4.625, 1.75, 2.625, 1.5625, 0.0625],   # MSE, MAE, sum, forgot −½δ, only the small row
    "check_normalizer_mean": [15.0, 20.0, 10.0, 30.0],             # all rows, validation, train + validation, test
}
