"""Reference answers for notebook 01's exercises (and typical wrong ones).

The coding exercise's reference is a function; each WRONG entry is a mistake students make.
"""

import numpy as np


def perceptron_step(w_aug, x, y, learning_rate):
    """One perceptron step with the bias folded in: w_aug = (w, b), x gets a constant input 1."""
    x_aug = np.append(x, 1.0)
    error = y - int(x_aug @ w_aug >= 0)          # +1, 0 or -1; step(0) = 1 as in the notebook
    return w_aug + learning_rate * error * x_aug


def _bias_rule_of_the_notes(w_aug, x, y, learning_rate):
    # The seed notes' bias rule b ← b + η·error·b: a bias that starts at 0 never moves.
    error = y - int(np.append(x, 1.0) @ w_aug >= 0)
    new = w_aug.copy()
    new[:-1] = w_aug[:-1] + learning_rate * error * x
    new[-1] = w_aug[-1] + learning_rate * error * w_aug[-1]
    return new


def _bias_never_updated(w_aug, x, y, learning_rate):
    error = y - int(np.append(x, 1.0) @ w_aug >= 0)
    return np.append(w_aug[:-1] + learning_rate * error * x, w_aug[-1])


def _updates_even_when_right(w_aug, x, y, learning_rate):
    # Moves towards the label every time, as if every example were a mistake.
    return w_aug + learning_rate * (2 * y - 1) * np.append(x, 1.0)


def _strict_step(w_aug, x, y, learning_rate):
    # Predicts 1 only for w·x + b > 0: from zero weights it never sees the first mistake.
    x_aug = np.append(x, 1.0)
    error = y - int(x_aug @ w_aug > 0)
    return w_aug + learning_rate * error * x_aug


def _constant_input_forgotten(w_aug, x, y, learning_rate):
    error = y - int(x @ w_aug >= 0)              # shapes (d,) and (d+1,): raises ValueError
    return w_aug + learning_rate * error * x


REFERENCE = {
    # NAND: fires unless both inputs are on. −1·x1 − 1·x2 ≥ −1.5 holds except for (1, 1).
    "check_nand_neuron": (-1, -1, -1.5),
    # ŷ = step(0.5 − 0.4 + 0.1 = 0.2) = 1, y = 0, error = −1: w − 0.1·x, b − 0.1.
    "check_perceptron_update": ([0.4, -0.4], 0.0),
    "check_novikoff_bound": 36,
    "check_sigmoid_slope": 0.25,
    "check_perceptron_step": perceptron_step,
}

WRONG = {
    "check_nand_neuron": [(1, 1, 2), (1, 1, 1), (-1, -1, 0)],  # AND, OR, NOR
    # the notes' bias rule, a false negative instead of a false positive, no update
    "check_perceptron_update": [([0.4, -0.4], 0.09), ([0.6, 0.0], 0.2), ([0.5, -0.2], 0.1)],
    "check_novikoff_bound": [6, 12, 1 / 36],
    "check_sigmoid_slope": [0.5, 1, 0],
    "check_perceptron_step": [_bias_rule_of_the_notes, _bias_never_updated, _updates_even_when_right,
                              _strict_step, _constant_input_forgotten],
}
