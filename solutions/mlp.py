"""Reference answers for notebook 02's exercises, and typical wrong answers."""

REFERENCE = {
    "check_param_count": 266_610,               # 784·300+300 + 300·100+100 + 100·10+10
    "check_softmax": [0.665, 0.245, 0.090],     # e^2, e^1, e^0 over their sum 11.107
    "check_lowest_recall_class": "Shirt",
}

WRONG = {
    "check_param_count": [266_200, 235_500, 535_818, 266_610.5],   # no biases; first layer only; the 512-256 model
    "check_softmax": [[2 / 3, 1 / 3, 0.0], [0.5, 0.3, 0.2], [0.881, 0.731, 0.5], [0.665, 0.245]],  # ratios; guess; sigmoid
    "check_lowest_recall_class": ["T-shirt/top", "Pullover", "Coat", "shirts"],
}
