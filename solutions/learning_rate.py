"""Reference answers for notebook 05's exercises (and typical wrong ones, for the tests).

The coding exercise's reference is a function; each WRONG entry for it is a mistake students make.
"""

import math


def warmup_cosine_lr(step, peak_lr, warmup_steps, total_steps):
    """Linear warm-up from 0, then a cosine decay to 0 at total_steps.

    The same rates as keras.optimizers.schedules.CosineDecay(0.0, total_steps - warmup_steps,
    warmup_target=peak_lr, warmup_steps=warmup_steps) (tests/test_learning_rate.py compares them).
    """
    if step < warmup_steps:
        return peak_lr * step / warmup_steps                     # 0 at step 0, peak_lr at step warmup_steps
    p = (step - warmup_steps) / (total_steps - warmup_steps)     # fraction of the decay done
    return 0.5 * peak_lr * (1 + math.cos(math.pi * p))


def _warmup_off_by_one(step, peak_lr, warmup_steps, total_steps):
    if step < warmup_steps:
        return peak_lr * (step + 1) / warmup_steps               # the first step already has a nonzero rate
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return 0.5 * peak_lr * (1 + math.cos(math.pi * p))


def _decay_counted_from_step_0(step, peak_lr, warmup_steps, total_steps):
    if step < warmup_steps:
        return peak_lr * step / warmup_steps
    p = step / (total_steps - warmup_steps)                      # reaches 0 warmup_steps too early, then rises
    return 0.5 * peak_lr * (1 + math.cos(math.pi * p))


def _cosine_in_degrees(step, peak_lr, warmup_steps, total_steps):
    if step < warmup_steps:
        return peak_lr * step / warmup_steps
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return 0.5 * peak_lr * (1 + math.cos(180 * p))               # 180 is π only in degrees


def _forgot_half_one_plus(step, peak_lr, warmup_steps, total_steps):
    if step < warmup_steps:
        return peak_lr * step / warmup_steps
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return peak_lr * math.cos(math.pi * p)                       # ends at -peak_lr, not 0


REFERENCE = {
    "check_triangular_lr": 0.0035,      # cycle 2, x = |5000/2000 - 4 + 1| = 0.5, 0.001 + 0.005 * 0.5
    "check_finder_reading": 0.01,       # steepest fall around 1e-2 (and a tenth of the minimum at 1e-1)
    "check_least_squares_max_lr": 0.25,  # 2 / λ_max = 2 / 8
    "check_warmup_cosine_lr": warmup_cosine_lr,
}

WRONG = {
    "check_triangular_lr": [0.006, 0.001, 0.00475, 0.0025],
    "check_finder_reading": [0.1, 1.0, 0.3, 1e-4, 0.003],   # the minimum, the blow-up, the flat start
    "check_least_squares_max_lr": [4.0, 0.125, 1.0, 0.0625, 2.0],
    "check_warmup_cosine_lr": [_warmup_off_by_one, _decay_counted_from_step_0, _cosine_in_degrees,
                               _forgot_half_one_plus],
}
