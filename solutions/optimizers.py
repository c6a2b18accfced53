"""Reference answers for notebook 04's exercises (and typical wrong ones, for the tests).

The coding exercise's reference is a function; each WRONG entry is a mistake students make.
"""


def nesterov_lookahead_step(w, velocity, grad_fn, learning_rate, momentum):
    """Nesterov's accelerated gradient in the notebook's momentum convention, gradient at the look-ahead point."""
    velocity = momentum * velocity - learning_rate * grad_fn(w + momentum * velocity)
    return w + velocity, velocity


def _plain_momentum(w, velocity, grad_fn, learning_rate, momentum):
    velocity = momentum * velocity - learning_rate * grad_fn(w)
    return w + velocity, velocity


def _look_ahead_without_momentum_factor(w, velocity, grad_fn, learning_rate, momentum):
    velocity = momentum * velocity - learning_rate * grad_fn(w + velocity)
    return w + velocity, velocity


def _gradient_ascent(w, velocity, grad_fn, learning_rate, momentum):
    velocity = momentum * velocity + learning_rate * grad_fn(w + momentum * velocity)
    return w + velocity, velocity


def _keras_form_copied(w, velocity, grad_fn, learning_rate, momentum):
    # Section 2.1's code: right for Keras's shifted variable, not for this form.
    grad = grad_fn(w)
    velocity = momentum * velocity - learning_rate * grad
    return w + momentum * velocity - learning_rate * grad, velocity


REFERENCE = {
    "check_adam_first_step": 2.05,           # the first Adam step has length η, against the gradient
    "check_max_stable_lr": 0.067,            # 2 / λ_max = 2 / 30 on ½(4x² + 30y²), to three decimals
    "check_momentum_two_steps": -0.29,       # v1 = -0.1, θ1 = -0.1; v2 = -0.19, θ2 = -0.29
    "check_nesterov_lookahead_step": nesterov_lookahead_step,
}

WRONG = {
    "check_adam_first_step": [22.0, 1.95, 2.0, -18.0, 2.5],   # SGD step, wrong sign, no step, ...
    # the notebook's 2/100, 2/λ_min, 1/λ_max, 2/(λ_x + λ_y)
    "check_max_stable_lr": [0.02, 0.5, 1 / 30, 2 / 34, 0.2],
    "check_momentum_two_steps": [-0.2, -0.19, 0.29, -0.28],   # no momentum, v2 only, wrong sign, ...
    "check_nesterov_lookahead_step": [_plain_momentum, _look_ahead_without_momentum_factor, _gradient_ascent,
                                      _keras_form_copied],
}
