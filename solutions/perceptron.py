"""Reference answers for notebook 01's exercises (and typical wrong ones)."""

REFERENCE = {
    # NAND: fires unless both inputs are on. −1·x1 − 1·x2 ≥ −1.5 holds except for (1, 1).
    "check_nand_neuron": (-1, -1, -1.5),
    # ŷ = step(0.5 − 0.4 + 0.1 = 0.2) = 1, y = 0, error = −1: w − 0.1·x, b − 0.1.
    "check_perceptron_update": ([0.4, -0.4], 0.0),
    "check_novikoff_bound": 36,
    "check_sigmoid_slope": 0.25,
}

WRONG = {
    "check_nand_neuron": [(1, 1, 2), (1, 1, 1), (-1, -1, 0)],  # AND, OR, NOR
    "check_perceptron_update": [([0.4, -0.4], 0.09), ([0.6, 0.0], 0.2), ([0.5, -0.2], 0.1)],
    "check_novikoff_bound": [6, 12, 1 / 36],
    "check_sigmoid_slope": [0.5, 1, 0],
}
