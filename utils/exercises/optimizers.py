"""Exercise checks for notebook 03 (optimizers)."""

from __future__ import annotations

from typing import Any

import numpy as np

from utils.exercises import close_to, report


def _adam_first_step() -> float:
    theta, grad, lr, beta_1, beta_2, eps = 2.0, -400.0, 0.05, 0.9, 0.999, 1e-7
    m, v = (1 - beta_1) * grad, (1 - beta_2) * grad**2
    step_size = lr * np.sqrt(1 - beta_2) / (1 - beta_1)
    return float(theta - step_size * m / (np.sqrt(v) + eps))


def check_adam_first_step(answer: Any) -> bool | None:
    """θ after one Keras Adam step from θ = 2 with g = -400, η = 0.05."""
    return report(
        "One Adam step", answer, close_to(_adam_first_step(), rel=1e-4),
        "on the first step the bias-corrected m and sqrt(v) are g and |g|, so the step has length about η, "
        "and it goes against the sign of the gradient. The size of g does not matter.",
    )


def check_max_stable_lr(answer: Any) -> bool | None:
    """Largest η for which gradient descent converges on ½(x² + 100 y²)."""
    return report(
        "Largest stable learning rate", answer, close_to(2.0 / 100.0, rel=1e-3),
        "the error along an axis with curvature λ is multiplied by (1 - ηλ) each step; it shrinks only if "
        "|1 - ηλ| < 1. Which axis is the binding one?",
    )


def check_momentum_two_steps(answer: Any) -> bool | None:
    """θ₂ for momentum with θ₀ = 0, g = 1 always, η = 0.1, μ = 0.9."""
    velocity, theta = 0.0, 0.0
    for _ in range(2):
        velocity = 0.9 * velocity - 0.1 * 1.0
        theta = theta + velocity
    return report(
        "Two momentum steps", answer, close_to(theta, rel=1e-6),
        "v₁ = μ·0 − η·g, θ₁ = θ₀ + v₁; then v₂ = μ·v₁ − η·g and θ₂ = θ₁ + v₂. Keep the signs: the step goes "
        "downhill, against the gradient.",
    )
