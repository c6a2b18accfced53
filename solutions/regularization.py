"""Reference answers for notebook 06's exercises (and typical wrong answers)."""

REFERENCE = {
    "check_dropout_kept_value": 3.75,
    "check_l2_penalty": 0.0525,
    "check_which_is_l1": "B",
    "check_early_stopping": (8, 5),
}

WRONG = {
    "check_dropout_kept_value": [3.0, 2.4, 15.0],  # unscaled, multiplied by 1 - rate, divided by rate
    "check_l2_penalty": [0.02625, 0.035, 0.0229],  # with 1/2, sum of |w| (L1), sqrt of the sum
    "check_which_is_l1": ["A"],
    "check_early_stopping": [(9, 5), (8, 8), (10, 10), (5, 8), (9, 9)],
}
