"""Reference answers for notebook 09's exercises (and typical wrong answers the checks must reject)."""

import numpy as np


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    # Keras's GRU with reset_after=False: columns z, r, h; one bias; r applied to h_prev before U_h.
    u = h_prev.shape[-1]
    W_z, W_r, W_h = kernel[:, :u], kernel[:, u:2 * u], kernel[:, 2 * u:]
    U_z, U_r, U_h = recurrent_kernel[:, :u], recurrent_kernel[:, u:2 * u], recurrent_kernel[:, 2 * u:]
    b_z, b_r, b_h = bias[:u], bias[u:2 * u], bias[2 * u:]
    z = _sigmoid(x_t @ W_z + h_prev @ U_z + b_z)
    r = _sigmoid(x_t @ W_r + h_prev @ U_r + b_r)
    h_tilde = np.tanh(x_t @ W_h + (r * h_prev) @ U_h + b_h)
    return z * h_prev + (1 - z) * h_tilde


def _gru_step_variant(swap_update=False, reset_after=False, swap_activations=False, swap_gates=False):
    # Typical mistakes, one at a time.
    gate, squash = (np.tanh, _sigmoid) if swap_activations else (_sigmoid, np.tanh)

    def step(x_t, h_prev, kernel, recurrent_kernel, bias):
        u = h_prev.shape[-1]
        a = x_t @ kernel + bias
        rec = h_prev @ recurrent_kernel
        first, second = gate(a[:, :u] + rec[:, :u]), gate(a[:, u:2 * u] + rec[:, u:2 * u])
        z, r = (second, first) if swap_gates else (first, second)
        if reset_after:
            h_tilde = squash(a[:, 2 * u:] + r * rec[:, 2 * u:])
        else:
            h_tilde = squash(a[:, 2 * u:] + (r * h_prev) @ recurrent_kernel[:, 2 * u:])
        return (1 - z) * h_prev + z * h_tilde if swap_update else z * h_prev + (1 - z) * h_tilde

    return step


REFERENCE = {
    "check_seed_rnn_params": 31,          # 3·(5 + 3 + 1) + (3 + 1)
    "check_lstm_params": 448,             # 4 · 8 · (5 + 8 + 1)
    "check_gradient_factor": 0.9 ** 20,   # ≈ 0.1216; 0.12 (two decimals) is accepted
    "check_gru_step": gru_step,
}

WRONG = {
    "check_seed_rnn_params": [27, 30, 43, 24, 28],       # RNN only; bias forgotten; steps counted; ...
    "check_lstm_params": [112, 440, 416, 336],           # SimpleRNN only; a bias missing; 3 blocks
    "check_gradient_factor": [18.0, 0.9, 0.9 ** 19, 0.9 ** 21, 1.0, 0.13, 0.11, 1 / 0.9 ** 20],
    "check_gru_step": [
        _gru_step_variant(swap_update=True),       # h = (1 - z)·h_prev + z·h̃
        _gru_step_variant(reset_after=True),       # r applied after the product (Keras's default variant)
        _gru_step_variant(swap_activations=True),  # tanh for the gates, sigmoid for the candidate
        _gru_step_variant(swap_gates=True),        # z and r column blocks swapped
    ],
}
