"""Reference answers for notebook 04's exercises (and typical wrong ones, for the tests)."""

REFERENCE = {
    "check_triangular_lr": 0.0035,      # cycle 2, x = |5000/2000 - 4 + 1| = 0.5, 0.001 + 0.005 * 0.5
    "check_finder_reading": 0.01,       # steepest fall around 1e-2 (and a tenth of the minimum at 1e-1)
    "check_least_squares_max_lr": 0.25,  # 2 / λ_max = 2 / 8
}

WRONG = {
    "check_triangular_lr": [0.006, 0.001, 0.00475, 0.0025],
    "check_finder_reading": [0.1, 1.0, 0.3, 1e-4, 0.003],   # the minimum, the blow-up, the flat start
    "check_least_squares_max_lr": [4.0, 0.125, 1.0, 0.0625, 2.0],
}
