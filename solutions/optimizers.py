"""Reference answers for notebook 03's exercises (and typical wrong ones, for the tests)."""

REFERENCE = {
    "check_adam_first_step": 2.05,           # the first Adam step has length η, against the gradient
    "check_max_stable_lr": 0.02,             # 2 / λ_max = 2 / 100
    "check_momentum_two_steps": -0.29,       # v1 = -0.1, θ1 = -0.1; v2 = -0.19, θ2 = -0.29
}

WRONG = {
    "check_adam_first_step": [22.0, 1.95, 2.0, -18.0, 2.5],   # SGD step, wrong sign, no step, ...
    "check_max_stable_lr": [2.0, 0.01, 0.04, 1.0, 0.2],       # 2/λ_min, 1/λ_max, ...
    "check_momentum_two_steps": [-0.2, -0.19, 0.29, -0.28],   # no momentum, v2 only, wrong sign, ...
}
