"""Shared plot helpers: the numbers behind the figures, and labelled axes."""

import numpy as np

from utils import plots


def test_confusion_matrix_counts_and_most_confused():
    y_true = np.array([0, 0, 1, 1, 1, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 2, 2, 0])
    cm = plots.confusion_matrix(y_true, y_pred, 3)
    assert cm.tolist() == [[1, 1, 0], [0, 1, 2], [1, 0, 1]]
    assert plots.most_confused_pairs(cm, ["a", "b", "c"], top=1) == [("b", "c", 2)]


def test_figures_have_labels():
    history = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.8], "val_accuracy": [0.4, 0.7]}
    fig = plots.plot_history({"run": history})
    assert [ax.get_xlabel() for ax in fig.axes] == ["epoch", "epoch"]
    assert all(ax.get_legend() is not None for ax in fig.axes)
    fig.canvas.draw()
    ticks = [t for t in fig.axes[0].get_xticks() if 1 <= t <= 2]
    assert ticks and all(float(t).is_integer() for t in ticks), "epochs are whole numbers"
    fig = plots.plot_confusion_matrix(np.array([0, 1]), np.array([1, 1]), ["cat", "dog"])
    assert fig.axes[0].get_xlabel() == "predicted class"
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["cat", "dog"]


def test_short_histories_mark_each_epoch_and_long_ones_draw_lines():
    # A one-epoch run (the smoke profile) must still show up: a dot, not an invisible one-point line.
    short = {"loss": [0.7], "val_loss": [0.69]}
    long = {"loss": list(np.linspace(1, 0.1, plots.MARKED_EPOCHS + 1)), "val_loss": list(np.linspace(1, 0.2, plots.MARKED_EPOCHS + 1))}
    fig = plots.plot_history({"short": short, "long": long}, metrics=("loss",))
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    assert lines["short (train)"].get_marker() == "o" and lines["short (validation)"].get_linestyle() == "--"
    assert lines["long (train)"].get_marker() in ("None", "", None) and lines["long (validation)"].get_linestyle() == "--"
    fig = plots.plot_history({"short": short}, metrics=("loss",), validation=False)
    assert [line.get_label() for line in fig.axes[0].get_lines()] == ["short (train)"]
