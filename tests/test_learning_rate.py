"""Notebook 05: its range-test arithmetic and schedule formulas (export cells) against the Keras
callback and schedules kept in utils (utils/lr_finder.py, utils/schedules.py, reused by notebook 11)."""

import importlib.util
from pathlib import Path

import keras
import numpy as np
import pytest

from utils.lr_finder import LRFinder, analyse, find_learning_rate, smooth_losses
from tests.nbtools import notebook_namespace
from utils.schedules import CyclicalLearningRate, OneCycle, schedule_values

REPO_ROOT = Path(__file__).resolve().parent.parent
NB = notebook_namespace("05_learning_rate")
cyclical_lr, one_cycle_lr = NB["cyclical_lr"], NB["one_cycle_lr"]
range_test_rates, smooth, steepest_point = NB["range_test_rates"], NB["smooth"], NB["steepest_point"]


def _solutions():
    spec = importlib.util.spec_from_file_location("solutions_learning_rate", REPO_ROOT / "solutions" / "learning_rate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- least squares: the border
def _least_squares(seed, n=64, d=5):
    rng = np.random.default_rng(seed)
    x = (rng.normal(size=(n, d)) * np.linspace(0.3, 2.0, d)).astype("float32")
    y = (x @ rng.normal(size=(d, 1)) + 0.1 * rng.normal(size=(n, 1))).astype("float32")
    lambda_max = np.linalg.eigvalsh(2.0 / n * x.T.astype(float) @ x.astype(float)).max()
    return x, y, lambda_max


def _gd_loss(x, y, lr, n_steps=200):
    w = np.zeros((x.shape[1], 1))
    for _ in range(n_steps):
        w -= lr * 2.0 / len(x) * x.T @ (x @ w - y)
    return float(np.mean((x @ w - y) ** 2))


def test_gradient_descent_border_is_two_over_lambda_max():
    x, y, lambda_max = _least_squares(0)
    border = 2.0 / lambda_max
    assert _gd_loss(x, y, 0.95 * border) < 0.1
    assert _gd_loss(x, y, 1.05 * border) > 1e3


def _linear_model(d, optimizer=None):
    model = keras.Sequential([keras.Input(shape=(d,)), keras.layers.Dense(1, use_bias=False)])
    model.compile(optimizer=optimizer or keras.optimizers.SGD(), loss="mse")
    return model


@pytest.mark.claims
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_finder_divergence_point_within_factor_two_of_the_analytic_border(seed):
    keras.utils.set_random_seed(seed)
    x, y, lambda_max = _least_squares(seed)
    steps = 600
    result = find_learning_rate(_linear_model(x.shape[1]), np.tile(x, (steps, 1)), np.tile(y, (steps, 1)),
                                min_lr=1e-4, max_lr=10.0, num_steps=steps, batch_size=len(x), shuffle=False)
    border = 2.0 / lambda_max
    assert result.diverged_lr is not None
    assert border / 2 <= result.diverged_lr <= 2 * border, (result.diverged_lr, border)
    assert result.diverged_lr > border  # below the border the loss cannot blow up
    assert result.lr_at_min_loss < result.diverged_lr
    assert len(result.learning_rates) < steps  # it stopped early


# --------------------------------------------------------------------------- the callback itself
def _tiny_classifier(optimizer):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(3)])
    model.compile(optimizer=optimizer, loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def _data(n=256):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 6)).astype("float32")
    return x, (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0).astype("int64")


@pytest.mark.parametrize("make", [lambda: keras.optimizers.SGD(0.01, momentum=0.9), lambda: keras.optimizers.Adam(3e-4)])
def test_callback_restores_weights_and_optimizer_state(make):
    x, y = _data()
    model = _tiny_classifier(make())
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)  # a trained model with non-trivial optimizer state
    weights = [w.copy() for w in model.get_weights()]
    state = [np.array(keras.ops.convert_to_numpy(v)).copy() for v in model.optimizer.variables]
    result = find_learning_rate(model, x, y, min_lr=1e-4, max_lr=100.0, num_steps=40, batch_size=32)
    assert len(result.learning_rates) > 3
    for before, after in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(before, after)
    for before, variable in zip(state, model.optimizer.variables):
        np.testing.assert_array_equal(before, np.array(keras.ops.convert_to_numpy(variable)))


def test_callback_restores_a_fresh_model_exactly():
    x, y = _data()
    model = _tiny_classifier(keras.optimizers.SGD(0.05, momentum=0.9))
    weights = [w.copy() for w in model.get_weights()]
    find_learning_rate(model, x, y, min_lr=1e-3, max_lr=10.0, num_steps=20, batch_size=32)
    for before, after in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(before, after)
    assert int(keras.ops.convert_to_numpy(model.optimizer.iterations)) == 0
    assert np.isclose(float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)), 0.05)


class _RecordLearningRate(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.used = []

    def on_train_batch_begin(self, batch, logs=None):
        self.used.append(float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)))


def test_the_rate_really_rises_exponentially_during_fit():
    x, y = _data()
    model = _tiny_classifier(keras.optimizers.SGD())
    finder = LRFinder(min_lr=1e-4, max_lr=1.0, num_steps=20, diverge_factor=1e9)
    recorder = _RecordLearningRate()
    model.fit(x[:160], y[:160], batch_size=32, epochs=4, shuffle=False, verbose=0, callbacks=[finder, recorder])
    expected = [1e-4 * (1e4) ** (k / 19) for k in range(20)]
    np.testing.assert_allclose(recorder.used, expected, rtol=1e-5)   # what the optimizer actually used
    np.testing.assert_allclose(finder.learning_rates, expected, rtol=1e-12)
    ratios = np.array(finder.learning_rates[1:]) / np.array(finder.learning_rates[:-1])
    np.testing.assert_allclose(ratios, ratios[0])


def test_recorded_losses_are_per_batch_not_running_means():
    # With rates too small to move the weights, batch k's loss is that of the initial weights on batch k.
    x, y = _data(96)
    model = _tiny_classifier(keras.optimizers.SGD())
    finder = LRFinder(min_lr=1e-12, max_lr=2e-12, num_steps=9, diverge_factor=1e9)
    model.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0, callbacks=[finder])
    logits = model.predict(x, verbose=0)
    per_row = keras.ops.convert_to_numpy(keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True))
    expected = np.tile(per_row.reshape(3, 32).mean(axis=1), 3)   # 3 epochs of the same 3 batches
    np.testing.assert_allclose(finder.losses, expected, rtol=1e-4)


def test_smoothing_is_a_bias_corrected_moving_average():
    losses = np.array([3.0, 2.0, 2.5, 1.0, 0.5])
    # By hand, beta = 0.5: s = 1.5, 1.75, 2.125, ... and 1 - beta^(k+1) = 0.5, 0.75, 0.875, ...
    np.testing.assert_allclose(smooth(losses, 0.5)[:3], [3.0, 1.75 / 0.75, 2.125 / 0.875])
    for beta in (0.0, 0.5, 0.9, 0.98):
        np.testing.assert_allclose(smooth(losses, beta), smooth_losses(losses, beta))   # the notebook = utils
    assert smooth(losses, 0.9)[0] == losses[0]   # bias correction: the first value is not pulled to 0
    assert smooth(np.full(50, 2.0), 0.9) == pytest.approx(np.full(50, 2.0))   # a constant loss stays put


def test_notebook_rates_are_the_ones_the_callback_uses():
    finder = LRFinder(min_lr=1e-5, max_lr=3.0, num_steps=57)
    ours = range_test_rates(1e-5, 3.0, 57)
    np.testing.assert_allclose(ours, [finder.lr_at(k) for k in range(57)], rtol=1e-12)
    assert ours[0] == pytest.approx(1e-5) and ours[-1] == pytest.approx(3.0)
    np.testing.assert_allclose(np.diff(np.log(ours)), np.log(3.0 / 1e-5) / 56)   # equal steps per decade


@pytest.mark.parametrize("seed", range(5))
def test_notebook_steepest_point_is_the_finder_suggestion(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 200))
    rates = np.geomspace(1e-4, 10.0, n)
    # A range-test-like curve: flat, falling, then exploding, with noise.
    x = np.log10(rates)
    losses = 2.3 - 1.5 / (1 + np.exp(-3 * (x + 2 + rng.normal(0, 0.3)))) + np.exp(2 * (x - 0.5)) + rng.normal(0, 0.05, n)
    result = analyse(rates, losses)
    assert steepest_point(rates, smooth(losses)) == result.steepest_index
    for skip in (0, 3, n // 2):
        assert steepest_point(rates, smooth(losses), skip) == analyse(rates, losses, skip_start=skip).steepest_index
    # The rule reads the slope against log(rate), not the loss itself: never the minimum on a falling curve.
    assert result.steepest_index < result.min_index


def test_analysis_marks_steepest_descent_and_minimum_of_the_exercise_table():
    from utils.exercises.learning_rate import FINDER_LOSSES, FINDER_LRS

    result = analyse(FINDER_LRS, FINDER_LOSSES, beta=0.0, skip_start=1)  # beta 0: the table is already smoothed
    assert result.suggestion == pytest.approx(1e-2)
    assert result.lr_at_min_loss == pytest.approx(1e-1)
    assert result.lr_at_min_loss / 10 == pytest.approx(_solutions().REFERENCE["check_finder_reading"])


# --------------------------------------------------------------------------- schedules
def test_triangular_exact_values_at_known_steps():
    schedule = CyclicalLearningRate(0.001, 0.006, 2000, mode="triangular")
    steps = [0, 1000, 2000, 3000, 4000, 5000, 6000, 8000, 500]
    expected = [0.001, 0.0035, 0.006, 0.0035, 0.001, 0.0035, 0.006, 0.001, 0.00225]
    np.testing.assert_allclose(schedule_values(schedule, steps), expected, rtol=1e-6)
    np.testing.assert_allclose([cyclical_lr(t, 0.001, 0.006, 2000) for t in steps], expected, rtol=1e-12)
    assert cyclical_lr(5000, 0.001, 0.006, 2000) == pytest.approx(_solutions().REFERENCE["check_triangular_lr"])


def test_triangular2_halves_and_exp_range_decays():
    t2 = CyclicalLearningRate(0.01, 0.09, 100, mode="triangular2")
    np.testing.assert_allclose(schedule_values(t2, [100, 300, 500, 200, 400]), [0.09, 0.05, 0.03, 0.01, 0.01], rtol=1e-6)
    exp = CyclicalLearningRate(0.01, 0.09, 100, mode="exp_range", gamma=0.99)
    np.testing.assert_allclose(schedule_values(exp, [0, 100, 300]), [0.01, 0.01 + 0.08 * 0.99**100,
                                                                     0.01 + 0.08 * 0.99**300], rtol=1e-5)


@pytest.mark.parametrize("mode", ["triangular", "triangular2", "exp_range"])
def test_keras_cyclical_schedule_matches_plain_formula(mode):
    schedule = CyclicalLearningRate(0.002, 0.02, 37, mode=mode, gamma=0.995)
    steps = np.arange(0, 400, 7)
    np.testing.assert_allclose(schedule_values(schedule, steps),
                               [cyclical_lr(t, 0.002, 0.02, 37, mode, 0.995) for t in steps], rtol=1e-5)


def test_one_cycle_exact_values_and_shape():
    schedule = OneCycle(0.5, total_steps=1000, pct_start=0.45, div_factor=25, final_div_factor=100)
    steps = [0, 225, 450, 675, 900, 950, 1000, 1200]
    expected = [0.02, 0.26, 0.5, 0.26, 0.02, 0.0101, 0.0002, 0.0002]
    np.testing.assert_allclose(schedule_values(schedule, steps), expected, rtol=1e-5)
    np.testing.assert_allclose([one_cycle_lr(t, 0.5, 1000) for t in steps], expected, rtol=1e-9)
    values = np.array(schedule_values(schedule, np.arange(1001)))
    assert np.all(np.diff(values[:451]) > 0) and np.all(np.diff(values[450:]) < 0)


@pytest.mark.parametrize("schedule", [CyclicalLearningRate(0.001, 0.01, 50, mode="exp_range", gamma=0.99),
                                      OneCycle(0.1, 300, pct_start=0.3)], ids=["clr", "1cycle"])
def test_schedules_serialize_with_the_optimizer(schedule):
    clone = type(schedule).from_config(schedule.get_config())
    np.testing.assert_allclose(schedule_values(clone, range(0, 300, 11)), schedule_values(schedule, range(0, 300, 11)))
    optimizer = keras.optimizers.SGD(learning_rate=schedule, momentum=0.9)
    restored = keras.optimizers.deserialize(keras.optimizers.serialize(optimizer))
    assert type(restored._learning_rate) is type(schedule)
    assert restored._learning_rate.get_config() == schedule.get_config()


def test_optimizer_follows_the_schedule_during_training():
    schedule = CyclicalLearningRate(0.001, 0.006, 4, mode="triangular")
    x, y = _data(64)
    model = _tiny_classifier(keras.optimizers.SGD(learning_rate=schedule))
    recorder = _RecordLearningRate()
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0, callbacks=[recorder])
    np.testing.assert_allclose(recorder.used, [cyclical_lr(t, 0.001, 0.006, 4) for t in range(16)], rtol=1e-5)


def test_invalid_settings_are_refused():
    with pytest.raises(ValueError):
        CyclicalLearningRate(0.01, 0.001, 10)
    with pytest.raises(ValueError):
        CyclicalLearningRate(0.001, 0.01, 10, mode="sine")
    with pytest.raises(ValueError):
        LRFinder(min_lr=1.0, max_lr=0.1)


# --------------------------------------------------------------------------- lesson claims of notebook 05
def test_best_fixed_rate_is_a_little_below_the_border():
    x, y, lambda_max = _least_squares(0)
    border = 2.0 / lambda_max
    rates = np.geomspace(border / 100, border * 1.5, 60)
    losses = [_gd_loss(x, y, lr, n_steps=100) for lr in rates]
    best = rates[int(np.argmin(losses))]
    assert 0.5 * border <= best < border
    assert all(loss > 1e3 for lr, loss in zip(rates, losses) if lr > 1.05 * border)


@pytest.mark.claims
def test_range_test_rate_beats_too_low_and_too_high_on_fashion_mnist(fashion_flat):
    from utils.data import stratified_subset

    x_all, y_all = fashion_flat
    x, y = stratified_subset(x_all[:20_000], y_all[:20_000], 3_000, seed=0)
    x_val, y_val = x_all[50_000:52_000], y_all[50_000:52_000]

    def make(lr):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(64, activation="relu"),
                                  keras.layers.Dense(10)])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr, momentum=0.9),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        return model

    finder = find_learning_rate(make(0.01), x, y, min_lr=1e-4, max_lr=10.0, num_steps=69, batch_size=128)
    assert 1e-3 < finder.suggestion < finder.lr_at_min_loss < 10.0

    def accuracy(lr):
        model = make(lr)
        model.fit(x, y, batch_size=128, epochs=3, verbose=0)
        logits = model.predict(x_val, verbose=0, batch_size=2000)
        return float((logits.argmax(axis=1) == y_val).mean())

    chosen, too_low, too_high = (accuracy(finder.suggestion), accuracy(finder.suggestion / 30),
                                 accuracy(finder.lr_at_min_loss * 3))
    print(f"finder {finder.suggestion:.3g}: chosen {chosen:.3f}, too low {too_low:.3f}, too high {too_high:.3f}")
    assert chosen > too_low + 0.05 and chosen > too_high + 0.05, (chosen, too_low, too_high)


def test_smoothed_curve_lags_by_beta_over_one_minus_beta_batches():
    ramp = np.arange(400, dtype=float)           # a loss that changes steadily
    smoothed = smooth_losses(ramp, beta=0.9)
    assert abs((ramp[-1] - smoothed[-1]) - 0.9 / 0.1) < 1e-6   # "trails by about 9 batches"


# --------------------------------------------------------------------------- coding exercise: warm-up + cosine
def test_warmup_cosine_exercise_reference_is_keras_cosine_decay_with_warmup():
    from utils.exercises.learning_rate import _warmup_cosine_lr

    reference = _solutions().REFERENCE["check_warmup_cosine_lr"]
    peak_lr, warmup_steps, total_steps = 0.1, 100, 1000
    schedule = keras.optimizers.schedules.CosineDecay(0.0, total_steps - warmup_steps, alpha=0.0,
                                                      warmup_target=peak_lr, warmup_steps=warmup_steps)
    steps = [0, 1, 50, 99, 100, 101, 400, 550, 999, 1000]
    expected = [schedule_values(schedule, [t])[0] for t in steps]   # Keras's warm-up branch takes one step at a time
    np.testing.assert_allclose([reference(t, peak_lr, warmup_steps, total_steps) for t in steps], expected,
                               rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose([_warmup_cosine_lr(t, peak_lr, warmup_steps, total_steps) for t in steps], expected,
                               rtol=1e-5, atol=1e-7)


# --------------------------------------------------------------------------- section 2.3: the range test in NumPy
least_squares_range_test = NB["least_squares_range_test"]


@pytest.mark.claims
def test_numpy_range_test_stops_where_the_keras_callback_stops():
    keras.utils.set_random_seed(0)
    x, y, lambda_max = _least_squares(0)
    steps = 600
    by_keras = find_learning_rate(_linear_model(x.shape[1]), np.tile(x, (steps, 1)), np.tile(y, (steps, 1)),
                                  min_lr=1e-4, max_lr=10.0, num_steps=steps, batch_size=len(x), shuffle=False)
    rates, smoothed = least_squares_range_test(x, y, steps)
    assert abs(len(rates) - len(by_keras.learning_rates)) <= 5, (len(rates), len(by_keras.learning_rates))
    ours = rates[steepest_point(rates, smoothed)]
    assert by_keras.suggestion / 2 < ours < 2 * by_keras.suggestion, (ours, by_keras.suggestion)
    assert smoothed[-1] > 4 * smoothed[:-1].min()          # it stopped because the loss blew up


def test_a_longer_range_test_moves_the_steepest_point_to_smaller_rates_and_the_minimum_stays_past_the_border():
    x, y, lambda_max = _least_squares(1)
    border = 2.0 / lambda_max
    steepest, minimum = {}, {}
    with np.errstate(over="ignore", invalid="ignore"):
        for steps in (150, 600, 2400):
            rates, smoothed = least_squares_range_test(x, y, steps)
            steepest[steps] = rates[steepest_point(rates, smoothed)]
            minimum[steps] = rates[int(np.argmin(smoothed))]
    # four times the batches per decade: the steepest point drops by a factor of the same order
    assert 2.5 < steepest[150] / steepest[600] < 8 and 2.5 < steepest[600] / steepest[2400] < 8, steepest
    assert all(value > border for value in minimum.values()), (minimum, border)
    assert steepest[600] < border / 10, (steepest, border)   # the notebook's length: far below the border
