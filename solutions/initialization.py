"""Reference answers for notebook 06's exercises (and typical wrong answers).

The coding exercise's reference is a function; each WRONG entry for it is a mistake students make.
"""

import math


def fans(shape):
    """(fan_in, fan_out) of a kernel as Keras computes them: Dense (n_in, n_out), Conv2D (kh, kw, c_in, c_out).

    The axes before the last two form the receptive field, which multiplies both fans
    (keras.src.initializers.random_initializers.compute_fans; tests/test_initialization.py compares).
    """
    receptive_field = math.prod(shape[:-2])          # 1 for a Dense kernel
    return shape[-2] * receptive_field, shape[-1] * receptive_field


def _dense_rule_for_conv(shape):
    return shape[0], shape[1]                        # for a conv kernel these are kh and kw


def _ignores_receptive_field(shape):
    return shape[-2], shape[-1]                      # channels only


def _swapped(shape):
    receptive_field = math.prod(shape[:-2])
    return shape[-1] * receptive_field, shape[-2] * receptive_field


def _receptive_field_only_in_fan_in(shape):
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1]


REFERENCE = {
    "check_glorot_limit": math.sqrt(6 / (300 + 100)),  # 0.1225, "0.122" to three significant digits
    "check_he_std": math.sqrt(2 / 512),  # 0.0625
    "check_sparse_nonzeros": 15 * 256,  # 3840
    "check_constant_init_units": 64,  # the random v_jk give each unit its own δ_j: the symmetry breaks
    "check_fans": fans,
}

WRONG = {
    "check_glorot_limit": [
        math.sqrt(2 / (300 + 100)),  # the Glorot standard deviation of the normal version
        math.sqrt(6 / 300),  # fan_in only (He uniform with scale 2)
        6 / (300 + 100),  # forgot the square root
        math.sqrt(6 / (784 + 256)),  # the 784→256 value printed in section 3
    ],
    "check_he_std": [
        2 / 512,  # the variance, not the standard deviation
        math.sqrt(1 / 512),  # LeCun
        math.sqrt(2 / 512) / 0.87962566103423978,  # Keras's pre-truncation parameter
    ],
    "check_sparse_nonzeros": [15, 15 * 784, 784 * 256],
    "check_constant_init_units": [1, 0, 32],  # 1: section 1's answer, which needs the next layer constant too
    "check_fans": [_dense_rule_for_conv, _ignores_receptive_field, _swapped, _receptive_field_only_in_fan_in],
}
