"""Exercise checks for notebook 04 (optimizers)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from utils.exercises import close_to, report
from utils.exercises.coding import check_function

# Exercise 2's surface, f(x, y) = ½(4x² + 30y²): curvatures 4 along x and 30 along y. It is not the
# notebook's ½(x² + 100y²), whose limit 2/100 section 3.2 states.
EXERCISE_CURVATURES = (4.0, 30.0)


def _adam_first_step() -> float:
    theta, grad, lr, beta_1, beta_2, eps = 2.0, -400.0, 0.05, 0.9, 0.999, 1e-7
    m, v = (1 - beta_1) * grad, (1 - beta_2) * grad**2
    step_size = lr * np.sqrt(1 - beta_2) / (1 - beta_1)
    return float(theta - step_size * m / (np.sqrt(v) + eps))


def check_adam_first_step(answer: Any) -> bool | None:
    """θ after one Keras Adam step from θ = 2 with g = -400, η = 0.05, to three decimals."""
    return report(
        "One Adam step", answer, close_to(_adam_first_step(), rel=0, abs_tol=6e-4),
        "compute m₁ = (1 − β₁)g and v₁ = (1 − β₂)g², divide them by their bias corrections 1 − β₁ and "
        "1 − β₂, and write the update η·m̂/(√v̂ + ε) in terms of g: what is left of g's size? Mind the sign.",
    )


def check_max_stable_lr(answer: Any) -> bool | None:
    """Largest η for which gradient descent converges on ½(4x² + 30y²), to three decimals."""
    return report(
        "Largest stable learning rate", answer, close_to(2.0 / max(EXERCISE_CURVATURES), rel=0, abs_tol=6e-4),
        "the error along an axis with curvature λ is multiplied by (1 - ηλ) each step; it shrinks only if "
        "|1 - ηλ| < 1. Read each axis's λ off this f (not the notebook's): which axis is the binding one?",
    )


def check_momentum_two_steps(answer: Any) -> bool | None:
    """θ₂ for momentum with θ₀ = 0, g = 1 always, η = 0.1, μ = 0.9, to two decimals."""
    velocity, theta = 0.0, 0.0
    for _ in range(2):
        velocity = 0.9 * velocity - 0.1 * 1.0
        theta = theta + velocity
    return report(
        "Two momentum steps", answer, close_to(theta, rel=0, abs_tol=6e-3),
        "v₁ = μ·0 − η·g, θ₁ = θ₀ + v₁; then v₂ = μ·v₁ − η·g and θ₂ = θ₁ + v₂. Keep the signs: the step goes "
        "downhill, against the gradient.",
    )


# --------------------------------------------------------------------------- coding: Nesterov, look-ahead form
def _nesterov_lookahead_step(w, velocity, grad_fn, learning_rate, momentum):
    velocity = momentum * velocity - learning_rate * grad_fn(w + momentum * velocity)
    return w + velocity, velocity


def _nesterov_inputs(rng: np.random.Generator) -> tuple:
    d = int(rng.integers(2, 5))
    root = rng.normal(size=(d, d))
    hessian, shift = root @ root.T + np.eye(d), rng.normal(size=d)

    def grad_fn(p):
        return hessian @ p + shift

    grad_fn.__name__ = "the gradient of a random quadratic"
    return (rng.normal(size=d), rng.normal(scale=0.5, size=d), grad_fn,
            float(np.round(rng.uniform(0.01, 0.2), 3)), float(np.round(rng.uniform(0.5, 0.95), 2)))


def check_nesterov_lookahead_step(student_fn: Callable | None) -> bool | None:
    """student_fn(w, velocity, grad_fn, learning_rate, momentum) -> (new_w, new_velocity), look-ahead form."""
    return check_function(
        "Nesterov's step, look-ahead form", student_fn, _nesterov_lookahead_step, _nesterov_inputs,
        arg_names=("w", "velocity", "grad_fn", "learning_rate", "momentum"), output_names=("new_w", "new_velocity"),
        hint="Same two lines as momentum (v ← μv − η·g, then w ← w + v); the only change is where g is "
             "measured: at the point the old velocity is about to carry you to, not at w. Not Keras's "
             "shifted form of section 2.1.",
    )
