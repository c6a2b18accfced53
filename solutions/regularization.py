"""Reference answers for notebook 07's exercises (and typical wrong answers).

The coding exercise's reference is a function; each WRONG entry for it is a mistake students make.
"""

import math


def early_stopping_epochs(val_losses, patience):
    """(stop_epoch, restored_epoch), epochs from 1, as EarlyStopping(patience=patience, restore_best_weights=True).

    tests/test_regularization.py runs Keras's callback on the same losses and compares.
    """
    best, best_epoch, wait = math.inf, 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:                       # strictly lower: an improvement resets the count
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait >= patience:              # the patience-th epoch in a row without improvement
                return epoch, best_epoch
    return len(val_losses), best_epoch        # never triggered: the whole budget ran


def _one_epoch_too_late(val_losses, patience):
    best, best_epoch, wait = math.inf, 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait > patience:               # waits one epoch more than the patience
                return epoch, best_epoch
    return len(val_losses), best_epoch


def _keeps_the_last_weights(val_losses, patience):
    stop, _ = early_stopping_epochs(val_losses, patience)
    return stop, stop                         # as with restore_best_weights=False


def _compares_with_the_previous_epoch(val_losses, patience):
    previous, best, best_epoch, wait = math.inf, math.inf, 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch = loss, epoch
        if loss < previous:                   # any fall from the last epoch resets the count
            wait = 0
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
        previous = loss
    return len(val_losses), best_epoch


def _restores_the_best_of_all_epochs(val_losses, patience):
    stop, _ = early_stopping_epochs(val_losses, patience)
    return stop, val_losses.index(min(val_losses)) + 1   # looks at epochs that never ran


REFERENCE = {
    "check_dropout_kept_value": 3.75,
    "check_l2_penalty": 0.0525,
    "check_which_is_l1": "B",            # for the default seed 42 of l1_or_l2_panels
    "check_early_stopping": (8, 5),
    "check_early_stopping_epochs": early_stopping_epochs,
}

WRONG = {
    "check_dropout_kept_value": [3.0, 2.4, 15.0],  # unscaled, multiplied by 1 - rate, divided by rate
    "check_l2_penalty": [0.02625, 0.035, 0.0229],  # with 1/2, sum of |w| (L1), sqrt of the sum
    "check_which_is_l1": ["A"],
    "check_early_stopping": [(9, 5), (8, 8), (10, 10), (5, 8), (9, 9)],
    "check_early_stopping_epochs": [_one_epoch_too_late, _keeps_the_last_weights, _compares_with_the_previous_epoch,
                                    _restores_the_best_of_all_epochs],
}
