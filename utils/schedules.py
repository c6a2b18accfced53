"""Cyclical learning rates (Smith, 2017) and the 1cycle policy (Smith, 2018) as Keras 3 schedules.

Each class is a ``keras.optimizers.schedules.LearningRateSchedule``: pass it as an optimizer's
``learning_rate`` and the optimizer asks it for the rate at every training step (counted from 0).
They use ``keras.ops`` only, so they run on every backend, and they serialize through
``get_config`` (registered under the package name ``course``), so a saved model reloads.

Notebook 05 writes the same formulas as plain functions of the step (its ``export`` cells);
tests/test_learning_rate.py checks that these classes give the same rates.
"""

from __future__ import annotations

import keras
from keras import ops

CYCLICAL_MODES = ("triangular", "triangular2", "exp_range")


# --------------------------------------------------------------------------- Keras schedules
@keras.saving.register_keras_serializable(package="course")
class CyclicalLearningRate(keras.optimizers.schedules.LearningRateSchedule):
    """Cyclical learning rate between ``base_lr`` and ``max_lr``; a full cycle is ``2 * step_size`` steps.

    ``mode``: ``"triangular"`` (same height every cycle), ``"triangular2"`` (height halves each
    cycle) or ``"exp_range"`` (height shrinks by ``gamma`` every step). Smith suggests a
    ``step_size`` of 2-10 epochs' worth of batches, and ``base_lr``/``max_lr`` read off a range test.
    """

    def __init__(self, base_lr: float, max_lr: float, step_size: int, mode: str = "triangular",
                 gamma: float = 1.0, name: str | None = None) -> None:
        super().__init__()
        if mode not in CYCLICAL_MODES:
            raise ValueError(f"mode must be one of {CYCLICAL_MODES}, got {mode!r}")
        if not 0 < base_lr <= max_lr:
            raise ValueError(f"Need 0 < base_lr <= max_lr, got {base_lr}, {max_lr}.")
        if step_size <= 0:
            raise ValueError(f"step_size must be positive, got {step_size}.")
        self.base_lr, self.max_lr, self.step_size = float(base_lr), float(max_lr), int(step_size)
        self.mode, self.gamma, self.name = mode, float(gamma), name

    def __call__(self, step):
        step = ops.cast(step, "float32")
        step_size = ops.cast(self.step_size, "float32")
        cycle = ops.floor(1.0 + step / (2.0 * step_size))
        x = ops.abs(step / step_size - 2.0 * cycle + 1.0)
        height = (self.max_lr - self.base_lr) * ops.maximum(0.0, 1.0 - x)
        if self.mode == "triangular2":
            height = height / ops.power(2.0, cycle - 1.0)
        elif self.mode == "exp_range":
            height = height * ops.power(ops.cast(self.gamma, "float32"), step)
        return self.base_lr + height

    def get_config(self) -> dict:
        return {"base_lr": self.base_lr, "max_lr": self.max_lr, "step_size": self.step_size,
                "mode": self.mode, "gamma": self.gamma, "name": self.name}


def triangular(base_lr: float, max_lr: float, step_size: int) -> CyclicalLearningRate:
    """CLR "triangular": the rate goes base → max → base, the same every cycle."""
    return CyclicalLearningRate(base_lr, max_lr, step_size, mode="triangular")


def triangular2(base_lr: float, max_lr: float, step_size: int) -> CyclicalLearningRate:
    """CLR "triangular2": like triangular, but the height above ``base_lr`` halves every cycle."""
    return CyclicalLearningRate(base_lr, max_lr, step_size, mode="triangular2")


def exp_range(base_lr: float, max_lr: float, step_size: int, gamma: float = 0.999) -> CyclicalLearningRate:
    """CLR "exp_range": the height above ``base_lr`` shrinks by ``gamma`` every step."""
    return CyclicalLearningRate(base_lr, max_lr, step_size, mode="exp_range", gamma=gamma)


@keras.saving.register_keras_serializable(package="course")
class OneCycle(keras.optimizers.schedules.LearningRateSchedule):
    """Smith's 1cycle policy: one long triangle over the whole run, then a short fall far below the start.

    Up linearly from ``max_lr / div_factor`` to ``max_lr`` over ``pct_start * total_steps`` steps,
    back down over as many, then to ``max_lr / (div_factor * final_div_factor)`` over the rest. ``total_steps`` = epochs x batches per epoch.
    (Smith also cycles the momentum the other way, high when the rate is low; Keras optimizers take
    a fixed momentum, so that half of the policy is not done here.)
    """

    def __init__(self, max_lr: float, total_steps: int, pct_start: float = 0.45, div_factor: float = 25.0,
                 final_div_factor: float = 100.0, name: str | None = None) -> None:
        super().__init__()
        if not 0 < pct_start <= 0.5:
            raise ValueError(f"pct_start must be in (0, 0.5], got {pct_start}.")
        if total_steps <= 0 or max_lr <= 0:
            raise ValueError("max_lr and total_steps must be positive.")
        self.max_lr, self.total_steps, self.pct_start = float(max_lr), int(total_steps), float(pct_start)
        self.div_factor, self.final_div_factor, self.name = float(div_factor), float(final_div_factor), name

    def __call__(self, step):
        step = ops.cast(step, "float32")
        initial = self.max_lr / self.div_factor
        final = initial / self.final_div_factor
        up = self.pct_start * self.total_steps
        rest = max(self.total_steps - 2 * up, 1e-12)
        rising = initial + (self.max_lr - initial) * step / up
        falling = self.max_lr - (self.max_lr - initial) * (step - up) / up
        annihilating = initial - (initial - final) * ops.minimum(1.0, (step - 2 * up) / rest)
        return ops.where(step <= up, rising, ops.where(step <= 2 * up, falling, annihilating))

    def get_config(self) -> dict:
        return {"max_lr": self.max_lr, "total_steps": self.total_steps, "pct_start": self.pct_start,
                "div_factor": self.div_factor, "final_div_factor": self.final_div_factor, "name": self.name}


def schedule_values(schedule: keras.optimizers.schedules.LearningRateSchedule, steps) -> "list[float]":
    """The schedule's learning rate at each step, as Python floats (for plots)."""
    import numpy as np

    values = schedule(ops.convert_to_tensor(np.asarray(steps), dtype="float32"))
    return [float(v) for v in np.ravel(ops.convert_to_numpy(values))]
