"""Reference answers for notebook 09's exercises (and typical wrong answers the checks must reject)."""

REFERENCE = {
    "check_padded_shape": (3, 6),
    "check_embedding_params": 1_280_000,          # 20000 · 64
    "check_bilstm_params": 16_640,                # 2 · 4 · 32 · (32 + 32 + 1)
}

WRONG = {
    "check_padded_shape": [(3, 7), (6, 3), (3, 5), (3,), (1, 6)],
    "check_embedding_params": [1_280_064, 20_064, 64, 20_000],
    "check_bilstm_params": [8_320, 16_576, 33_280, 2_080],
}
