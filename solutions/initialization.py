"""Reference answers for notebook 05's exercises (and typical wrong answers)."""

import math

REFERENCE = {
    "check_glorot_limit": math.sqrt(6 / (784 + 256)),  # 0.0760
    "check_he_std": math.sqrt(2 / 512),  # 0.0625
    "check_sparse_nonzeros": 15 * 256,  # 3840
    "check_constant_init_units": 1,
}

WRONG = {
    "check_glorot_limit": [
        math.sqrt(2 / (784 + 256)),  # the Glorot standard deviation of the normal version
        math.sqrt(6 / 784),  # fan_in only (He uniform with scale 2)
        6 / (784 + 256),  # forgot the square root
    ],
    "check_he_std": [
        2 / 512,  # the variance, not the standard deviation
        math.sqrt(1 / 512),  # LeCun
        math.sqrt(2 / 512) / 0.87962566103423978,  # Keras's pre-truncation parameter
    ],
    "check_sparse_nonzeros": [15, 15 * 784, 784 * 256],
    "check_constant_init_units": [64, 0, 32],
}
