"""Reference answers for notebook 08's exercises and typical wrong answers.

The coding exercise's reference is a function; each WRONG entry for it is a mistake students make.
"""

import numpy as np


def max_pool2d(x, size):
    """Max over non-overlapping size x size windows of an (H, W) or (H, W, C) array, as keras MaxPooling2D(size).

    Rows and columns that do not fill a whole window are dropped (padding="valid");
    tests/test_cnn.py compares with Keras.
    """
    rows, cols = x.shape[0] // size, x.shape[1] // size
    out = np.empty((rows, cols) + x.shape[2:], dtype=x.dtype)
    for i in range(rows):
        for j in range(cols):
            window = x[i * size:(i + 1) * size, j * size:(j + 1) * size]
            out[i, j] = window.max(axis=(0, 1))          # per channel
    return out


def _average_pooling(x, size):
    rows, cols = x.shape[0] // size, x.shape[1] // size
    out = np.empty((rows, cols) + x.shape[2:])
    for i in range(rows):
        for j in range(cols):
            out[i, j] = x[i * size:(i + 1) * size, j * size:(j + 1) * size].mean(axis=(0, 1))
    return out


def _overlapping_windows(x, size):
    rows, cols = x.shape[0] - size + 1, x.shape[1] - size + 1   # stride 1 instead of stride = size
    out = np.empty((rows, cols) + x.shape[2:])
    for i in range(rows):
        for j in range(cols):
            out[i, j] = x[i:i + size, j:j + size].max(axis=(0, 1))
    return out


def _max_over_channels_too(x, size):
    rows, cols = x.shape[0] // size, x.shape[1] // size
    out = np.empty((rows, cols))
    for i in range(rows):
        for j in range(cols):
            out[i, j] = x[i * size:(i + 1) * size, j * size:(j + 1) * size].max()   # no axis: mixes the channels
    return out


def _keeps_partial_windows(x, size):
    rows, cols = -(-x.shape[0] // size), -(-x.shape[1] // size)   # ceil: the border's partial windows kept
    out = np.empty((rows, cols) + x.shape[2:])
    for i in range(rows):
        for j in range(cols):
            out[i, j] = x[i * size:(i + 1) * size, j * size:(j + 1) * size].max(axis=(0, 1))
    return out


REFERENCE = {
    "check_output_size": 32,           # (63 - 7 + 2*3) / 2 + 1
    "check_conv_params": 204_928,      # 5*5*64*128 + 128
    "check_receptive_field": 7,        # 3 + 2 + 2
    "check_max_pool2d": max_pool2d,
}

WRONG = {
    # 29: padding forgotten; 21: the course notes' (W - F + 2P)/(S + 1); 31: forgot the +1; 63: 'same' with stride 1
    "check_output_size": [29, 21, 31, 63, 32.5],
    # no bias; forgot D_in; one filter only
    "check_conv_params": [204_800, 3_328, 1_601, 409_728],
    # 9 = 3*3 (multiplied); 3 = one layer; 6; 27
    "check_receptive_field": [9, 3, 6, 27],
    "check_max_pool2d": [_average_pooling, _overlapping_windows, _max_over_channels_too, _keeps_partial_windows],
}
