"""The learning-rate range test (Smith, 2017): raise the learning rate every batch, watch the loss.

Use it in one call::

    from utils.lr_finder import find_learning_rate, plot_lr_finder
    result = find_learning_rate(model, x_train, y_train, min_lr=1e-5, max_lr=10, batch_size=128)
    plot_lr_finder(result)
    print(result.suggestion)        # the rate where the smoothed loss falls fastest

or pass an :class:`LRFinder` callback to ``model.fit`` yourself. Either way the model's weights
and its optimizer's state (learning rate, moments, step counter) are put back afterwards, so the
same compiled model can then be trained for real.

It works on every Keras 3 backend: the learning rate is a Keras variable, set with
``model.optimizer.learning_rate.assign(value)``; on JAX, where ``fit`` keeps the variables in a
functional state, the callback first syncs that state back into the variables (``jax_state_sync``)
so the new value is read by the next step.

Reading the loss: in Keras 3 the ``loss`` that ``fit`` hands to ``on_train_batch_end`` is the
running mean since the start of the epoch, not the loss of that batch. With equal-sized batches the
batch loss is recovered exactly as ``k * mean_k - (k - 1) * mean_(k-1)``; :func:`find_learning_rate`
drops the last, smaller batch so every batch has the same size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import keras


# --------------------------------------------------------------------------- result
@dataclass
class LRFinderResult:
    """What a range test saw: one row per batch, plus the points worth marking.

    ``suggestion`` is the learning rate at the steepest descent of the smoothed loss (Smith's
    "loss falls fastest here"); ``lr_at_min_loss`` where the smoothed loss is lowest (too high to
    train at: take about a tenth of it); ``diverged_lr`` the rate at which the test stopped because
    the loss blew up (None if it reached ``max_lr`` first).
    """

    learning_rates: np.ndarray
    losses: np.ndarray
    smoothed_losses: np.ndarray
    steepest_index: int
    min_index: int
    diverged_lr: float | None
    min_lr: float
    max_lr: float
    beta: float
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def suggestion(self) -> float:
        """Learning rate at the steepest descent of the smoothed loss."""
        return float(self.learning_rates[self.steepest_index])

    @property
    def lr_at_min_loss(self) -> float:
        """Learning rate at the minimum of the smoothed loss."""
        return float(self.learning_rates[self.min_index])

    def __str__(self) -> str:
        div = f"{self.diverged_lr:.3g}" if self.diverged_lr is not None else "not reached"
        return (
            f"LR range test over {len(self.learning_rates)} batches: steepest descent at "
            f"{self.suggestion:.3g}, minimum loss at {self.lr_at_min_loss:.3g}, divergence at {div}"
        )


def smooth_losses(losses: np.ndarray, beta: float = 0.9) -> np.ndarray:
    """Exponential moving average with bias correction (as in Adam), so early values are not pulled to 0."""
    smoothed, average = np.empty(len(losses)), 0.0
    for i, loss in enumerate(np.asarray(losses, dtype=float)):
        average = beta * average + (1.0 - beta) * loss
        smoothed[i] = average / (1.0 - beta ** (i + 1))
    return smoothed


def analyse(
    learning_rates: np.ndarray, losses: np.ndarray, beta: float = 0.9, skip_start: int | None = None,
    diverged_lr: float | None = None, min_lr: float | None = None, max_lr: float | None = None,
) -> LRFinderResult:
    """Smooth the recorded losses and locate the steepest descent and the minimum.

    The steepest descent is the most negative slope of the smoothed loss against log(learning rate),
    searched between ``skip_start`` (the first batches, where the average is still settling; default
    5% of the run) and the minimum.
    """
    learning_rates = np.asarray(learning_rates, dtype=float)
    losses = np.asarray(losses, dtype=float)
    if len(learning_rates) < 3:
        raise ValueError(f"The range test recorded only {len(learning_rates)} batches; give it more steps.")
    finite = np.isfinite(losses)
    smoothed = smooth_losses(np.where(finite, losses, np.nanmax(np.where(finite, losses, np.nan)) * 10), beta)
    min_index = int(np.argmin(smoothed))
    if skip_start is None:
        skip_start = max(1, len(losses) // 20)
    skip_start = min(skip_start, max(0, min_index - 2))
    slopes = np.gradient(smoothed, np.log(learning_rates))
    window = slopes[skip_start : min_index + 1]
    steepest_index = skip_start + int(np.argmin(window)) if len(window) else min_index
    return LRFinderResult(
        learning_rates=learning_rates, losses=losses, smoothed_losses=smoothed,
        steepest_index=steepest_index, min_index=min_index, diverged_lr=diverged_lr,
        min_lr=float(min_lr if min_lr is not None else learning_rates[0]),
        max_lr=float(max_lr if max_lr is not None else learning_rates[-1]), beta=beta,
    )


# --------------------------------------------------------------------------- callback
class LRFinder(keras.callbacks.Callback):
    """Keras 3 callback: the learning rate rises exponentially per batch from ``min_lr`` to ``max_lr``.

    Batch ``i`` (from 0) of ``num_steps`` trains at ``min_lr * (max_lr / min_lr) ** (i / (num_steps - 1))``.
    Training stops when the smoothed loss exceeds ``diverge_factor`` times its best value, or when a
    loss is not finite. At the end the weights and the optimizer's variables are restored.
    Assumes batches of equal size (see the module docstring).

    ``beta`` sets the smoothing: the moving average lags the raw losses by about ``beta / (1 - beta)``
    batches (9 for the default 0.9), which shifts the curve to higher rates; 0.98 is smoother but lags
    by about 50 batches, a whole decade of learning rates in a 300-batch test over six decades.
    """

    def __init__(
        self, min_lr: float = 1e-6, max_lr: float = 1.0, num_steps: int = 100, beta: float = 0.9,
        diverge_factor: float = 4.0, restore: bool = True,
    ) -> None:
        super().__init__()
        if not 0 < min_lr < max_lr:
            raise ValueError(f"Need 0 < min_lr < max_lr, got min_lr={min_lr}, max_lr={max_lr}.")
        if num_steps < 3:
            raise ValueError(f"num_steps must be at least 3, got {num_steps}.")
        self.min_lr, self.max_lr, self.num_steps = float(min_lr), float(max_lr), int(num_steps)
        self.beta, self.diverge_factor, self.restore = beta, diverge_factor, restore

    def lr_at(self, step: int) -> float:
        """The learning rate used for batch ``step`` (0-based)."""
        return self.min_lr * (self.max_lr / self.min_lr) ** (step / (self.num_steps - 1))

    def _set_lr(self, value: float) -> None:
        if hasattr(self.model, "jax_state_sync"):  # JAX: pull fit's functional state into the variables first
            self.model.jax_state_sync()
        self.model.optimizer.learning_rate.assign(value)

    def on_train_begin(self, logs: dict | None = None) -> None:
        optimizer = self.model.optimizer
        if not optimizer.built:  # build now so that its moments can be saved and restored
            optimizer.build(self.model.trainable_variables)
        self._saved_weights = [np.array(w) for w in self.model.get_weights()]
        self._saved_optimizer = [np.array(keras.ops.convert_to_numpy(v)) for v in optimizer.variables]
        self.learning_rates, self.losses = [], []
        self._step, self._best, self._average = 0, math.inf, 0.0
        self.diverged_lr = None
        self._set_lr(self.lr_at(0))

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._batches_in_epoch, self._previous_mean = 0, 0.0

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        running_mean = float((logs or {})["loss"])
        k = self._batches_in_epoch = self._batches_in_epoch + 1
        loss = k * running_mean - (k - 1) * self._previous_mean  # this batch's loss
        self._previous_mean = running_mean
        lr = self.lr_at(self._step)
        self.learning_rates.append(lr)
        self.losses.append(loss)
        self._step += 1
        self._average = self.beta * self._average + (1 - self.beta) * loss
        smoothed = self._average / (1 - self.beta ** self._step)
        if not math.isfinite(loss) or (self._step > 1 and smoothed > self.diverge_factor * self._best):
            self.diverged_lr = lr
            self.model.stop_training = True
            return
        self._best = min(self._best, smoothed)
        if self._step >= self.num_steps:
            self.model.stop_training = True
            return
        self._set_lr(self.lr_at(self._step))

    def on_train_end(self, logs: dict | None = None) -> None:
        if not self.restore:
            return
        if hasattr(self.model, "jax_state_sync"):
            self.model.jax_state_sync()
        self.model.set_weights(self._saved_weights)
        for variable, value in zip(self.model.optimizer.variables, self._saved_optimizer):
            variable.assign(value)

    def result(self, skip_start: int | None = None) -> LRFinderResult:
        """The recorded curve, smoothed and analysed."""
        return analyse(
            np.array(self.learning_rates), np.array(self.losses), beta=self.beta, skip_start=skip_start,
            diverged_lr=self.diverged_lr, min_lr=self.min_lr, max_lr=self.max_lr,
        )


def find_learning_rate(
    model: keras.Model, x: Any, y: Any, min_lr: float = 1e-6, max_lr: float = 1.0,
    num_steps: int | None = None, batch_size: int = 128, beta: float = 0.9,
    diverge_factor: float = 4.0, seed: int = 0, skip_start: int | None = None, shuffle: bool = True,
) -> LRFinderResult:
    """Run the range test on a compiled ``model`` and return what it saw.

    ``num_steps`` batches (default: one epoch) rise from ``min_lr`` to ``max_lr``; more than one
    epoch is used if needed. The rows are shuffled once with ``seed`` (unless ``shuffle=False``) and
    cut to a whole number of batches. The model's weights and optimizer state are unchanged afterwards.
    """
    if getattr(model, "optimizer", None) is None:
        raise ValueError("Compile the model (with the optimizer you will train with) before the range test.")
    x, y = np.asarray(x), np.asarray(y)
    n = len(x) - len(x) % batch_size
    if n == 0:
        raise ValueError(f"Need at least one full batch: {len(x)} rows < batch_size={batch_size}.")
    order = np.random.default_rng(seed).permutation(len(x))[:n] if shuffle else np.arange(n)
    x, y = x[order], y[order]
    steps_per_epoch = n // batch_size
    num_steps = int(num_steps or steps_per_epoch)
    finder = LRFinder(min_lr, max_lr, num_steps, beta=beta, diverge_factor=diverge_factor)
    epochs = math.ceil(num_steps / steps_per_epoch)
    model.fit(x, y, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0, callbacks=[finder])
    return finder.result(skip_start=skip_start)


# --------------------------------------------------------------------------- plot
def plot_lr_finder(result: LRFinderResult, ax: Any = None, title: str | None = None, show_raw: bool = True) -> Any:
    """Smoothed loss against learning rate (log axis) with the steepest descent and the minimum marked."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 5))
    lrs, smoothed = result.learning_rates, result.smoothed_losses
    if show_raw:
        ax.plot(lrs, result.losses, color="0.7", lw=1, label="loss of each batch")
    ax.plot(lrs, smoothed, color="C0", label=f"smoothed loss (EMA, β={result.beta})")
    ax.plot(result.suggestion, smoothed[result.steepest_index], "o", color="C2", ms=11,
            label=f"steepest descent: {result.suggestion:.2g}")
    ax.plot(result.lr_at_min_loss, smoothed[result.min_index], "v", color="C3", ms=11,
            label=f"minimum: {result.lr_at_min_loss:.2g}")
    if result.diverged_lr is not None:
        ax.axvline(result.diverged_lr, color="C3", ls=":", lw=1.5, label=f"stopped (diverged): {result.diverged_lr:.2g}")
    ax.set_xscale("log")
    low = float(np.min(smoothed))
    start = float(smoothed[min(len(smoothed) - 1, max(1, len(smoothed) // 20))])
    top = max(start, low) + 0.5 * abs(start - low) + 1e-12
    ax.set_ylim(low - 0.1 * (top - low), top)
    ax.set_xlabel("learning rate (log scale)")
    ax.set_ylabel("training loss")
    ax.set_title(title or "LR range test: pick a rate where the loss still falls steeply")
    ax.legend(loc="upper left")
    return ax
