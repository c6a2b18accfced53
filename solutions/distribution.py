"""Reference answers for notebook 13's exercises and typical wrong answers."""

import numpy as np


def average_gradients(shard_gradients, shard_sizes):
    """Each shard's mean-loss gradient times its size is its sum; the sums' total over all examples is the mean."""
    total = sum(size * np.asarray(gradient, dtype=float) for gradient, size in zip(shard_gradients, shard_sizes))
    return total / sum(shard_sizes)


def _plain_mean(shard_gradients, shard_sizes):
    return np.mean(shard_gradients, axis=0)  # right only for equal shards


def _sum_of_sizes_times_gradients(shard_gradients, shard_sizes):
    return sum(size * np.asarray(g) for g, size in zip(shard_gradients, shard_sizes))  # forgot to divide


def _divides_by_shard_count(shard_gradients, shard_sizes):
    return sum(size * np.asarray(g) for g, size in zip(shard_gradients, shard_sizes)) / len(shard_sizes)


REFERENCE = {
    "check_global_batch": (512, 97),          # 8 * 64; 50,000 // 512
    "check_bottleneck": "input",              # 38 of 64 ms; a faster GPU would not shrink it
    "check_scaled_learning_rate": 0.4,        # 0.05 * 512 / 64
    "check_average_gradients": average_gradients,
}

WRONG = {
    # per-device batch; steps of one device; rounded up; the two swapped
    "check_global_batch": [(64, 781), (512, 98), (97, 512), (512, 781), 512],
    "check_bottleneck": ["backward", "forward", "update", "the model"],
    # unchanged; sqrt scaling (0.05 * sqrt(8)); divided instead of multiplied
    "check_scaled_learning_rate": [0.05, 0.1414, 0.00625, 3.2],
    "check_average_gradients": [_plain_mean, _sum_of_sizes_times_gradients, _divides_by_shard_count],
}
