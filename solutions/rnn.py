"""Reference answers for notebook 08's exercises (and typical wrong answers the checks must reject)."""

REFERENCE = {
    "check_seed_rnn_params": 31,          # 3·(5 + 3 + 1) + (3 + 1)
    "check_lstm_params": 448,             # 4 · 8 · (5 + 8 + 1)
    "check_gradient_factor": 0.9 ** 20,   # ≈ 0.1216
}

WRONG = {
    "check_seed_rnn_params": [27, 30, 43, 24, 28],       # RNN only; bias forgotten; steps counted; ...
    "check_lstm_params": [112, 440, 416, 336],           # SimpleRNN only; a bias missing; 3 blocks
    "check_gradient_factor": [18.0, 0.9, 0.9 ** 19, 0.9 ** 21, 1.0],
}
