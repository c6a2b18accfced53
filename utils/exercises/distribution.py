"""Exercise checks for notebook 13 (beyond one CPU: pipelines, precision, data parallelism)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from utils.exercises import close_to, report, same_text
from utils.exercises.coding import check_function

# Exercise 1 and 3: 8 devices with 64 images each, 50,000 training images, one-GPU rate 0.05 at batch 64.
DEVICES, PER_DEVICE, TRAINING_IMAGES, BASE_RATE = 8, 64, 50_000, 0.05


def check_global_batch(answer: Any) -> bool | None:
    """(global batch, steps per epoch) for DataParallel on 8 devices, 64 images each, 50,000 images."""
    expected = (DEVICES * PER_DEVICE, TRAINING_IMAGES // (DEVICES * PER_DEVICE))

    def correct(value: Any) -> bool:
        return (isinstance(value, (tuple, list)) and len(value) == 2
                and all(not isinstance(v, bool) and float(v) == e for v, e in zip(value, expected)))

    return report(
        "Global batch and steps per epoch", answer, correct,
        "every device takes its own 64 images in each step, so one step consumes the batches of all devices "
        "together; an epoch is as many whole steps as fit in the training set (round down). "
        "Answer with a tuple of two whole numbers.",
    )


def check_bottleneck(answer: Any) -> bool | None:
    """Which part of a 38 / 9 / 17 ms (input / forward / backward + update) step to optimize first."""
    return report(
        "Which part to optimize", answer, same_text("input"),
        "compare the parts' shares of the whole step, then ask which one a faster GPU would not shrink "
        "(answer with one of the four names).",
    )


def check_scaled_learning_rate(answer: Any) -> bool | None:
    """Linear scaling: batch 64 at 0.05 on one GPU, global batch of exercise 1."""
    return report(
        "Scaled learning rate", answer, close_to(BASE_RATE * DEVICES, rel=1e-3),
        "the rule multiplies the rate by k, the ratio of the new batch to the old one; the new batch is the "
        "global batch of exercise 1.",
    )


def _weighted_average(shard_gradients, shard_sizes):
    sizes = np.asarray(shard_sizes, dtype=float)
    return np.tensordot(sizes / sizes.sum(), np.asarray(shard_gradients, dtype=float), axes=1)


def _shards(rng: np.random.Generator) -> tuple:
    n_shards = int(rng.integers(2, 6))
    shape = tuple(int(d) for d in rng.integers(2, 5, size=int(rng.integers(1, 3))))
    sizes = [int(s) for s in rng.integers(1, 40, size=n_shards)]
    return [rng.normal(size=shape) for _ in range(n_shards)], sizes


def check_average_gradients(student_fn: Callable | None) -> bool | None:
    """student_fn(shard_gradients, shard_sizes) -> the whole batch's mean-loss gradient."""
    return check_function(
        "Averaging unequal shards", student_fn, _weighted_average, _shards, n_cases=6,
        arg_names=("shard_gradients", "shard_sizes"),
        hint="a shard's mean-loss gradient is the sum of its examples' gradients divided by its size: turn each "
             "back into a sum, add the sums, and divide by the number of examples in the whole batch. "
             "The result has the shape of one shard's gradient.",
    )
