"""Figures that several notebooks draw: training curves, confusion matrices, image grids.

Sizes and fonts are chosen to stay readable on a classroom projector.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

CLASSROOM_STYLE = {
    "figure.figsize": (9, 5),
    "figure.dpi": 100,
    "font.size": 13,
    "axes.titlesize": 15,
    "axes.labelsize": 14,
    "legend.fontsize": 12,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 2.0,
}


def use_classroom_style() -> None:
    """Large fonts, light grids and thick lines for every figure that follows."""
    plt.rcParams.update(CLASSROOM_STYLE)


def _history_dict(history: Any) -> Mapping[str, Sequence[float]]:
    return history.history if hasattr(history, "history") else history


MARKED_EPOCHS = 12   # curves of at most this many epochs mark each epoch with a dot


def plot_history(
    histories: Mapping[str, Any], metrics: Sequence[str] = ("loss", "accuracy"),
    title: str | None = None, validation: bool = True,
) -> plt.Figure:
    """Curves of each metric by epoch, one panel per metric, one colour per run.

    ``histories`` maps a run's label to a Keras ``History`` (or its ``.history`` dict).
    Training is drawn solid, validation dashed.
    """
    fig, axes = plt.subplots(1, len(metrics), figsize=(6.5 * len(metrics), 4.8), squeeze=False)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, metric in zip(axes[0], metrics):
        for i, (label, history) in enumerate(histories.items()):
            values = _history_dict(history)
            colour = colours[i % len(colours)]
            for key, style, kind in ((metric, "-", "train"), (f"val_{metric}", "--", "validation")):
                if key not in values or (kind == "validation" and not validation):
                    continue
                epochs = np.arange(1, len(values[key]) + 1)
                marker = "o" if len(epochs) <= MARKED_EPOCHS else None   # a run of one epoch is a point, not a line
                ax.plot(epochs, values[key], style, color=colour, marker=marker, label=f"{label} ({kind})")
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole epochs only
        ax.set_ylabel(metric.replace("_", " "))
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Counts ``cm[i, j]`` of true class ``i`` predicted as ``j``."""
    cm = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(cm, (np.ravel(y_true).astype(int), np.ravel(y_pred).astype(int)), 1)
    return cm


def most_confused_pairs(cm: np.ndarray, class_names: Sequence[str], top: int = 5) -> list[tuple[str, str, int]]:
    """The ``top`` (true, predicted, count) off-diagonal cells, largest first."""
    off = cm.copy()
    np.fill_diagonal(off, 0)
    flat = np.argsort(off, axis=None)[::-1][:top]
    pairs = [np.unravel_index(i, off.shape) for i in flat]
    return [(class_names[i], class_names[j], int(off[i, j])) for i, j in pairs if off[i, j] > 0]


def plot_confusion_matrix(
    y_true: np.ndarray, y_pred: np.ndarray, class_names: Sequence[str], title: str = "Confusion matrix"
) -> plt.Figure:
    """A confusion matrix with counts in the cells and class names on both axes."""
    cm = confusion_matrix(y_true, y_pred, len(class_names))
    fig, ax = plt.subplots(figsize=(9, 8))
    image = ax.imshow(cm, cmap="Blues")
    ax.set_xticks(range(len(class_names)), class_names, rotation=45, ha="right")
    ax.set_yticks(range(len(class_names)), class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.grid(False)
    threshold = cm.max() / 2
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            ax.text(j, i, cm[i, j], ha="center", va="center", fontsize=10,
                    color="white" if cm[i, j] > threshold else "black")
    fig.colorbar(image, ax=ax, label="number of images")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_image_grid(
    images: np.ndarray, titles: Sequence[str] | None = None, ncols: int = 8,
    cmap: str | None = "gray_r", title: str | None = None, title_colors: Sequence[str] | None = None,
) -> plt.Figure:
    """Images in a grid, each with an optional caption (e.g. its class name)."""
    n = len(images)
    nrows = int(np.ceil(n / ncols))
    row_height = 2.2 if titles is None else 2.45  # room for a caption between rows
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.9 * ncols, row_height * nrows), squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if k >= n:
            continue
        image = images[k]
        ax.imshow(image, cmap=cmap if image.ndim == 2 else None)
        if titles is not None:
            colour = title_colors[k] if title_colors is not None else "black"
            ax.set_title(titles[k], fontsize=10, color=colour)
    if title:
        fig.suptitle(title, fontsize=15)
    fig.tight_layout()
    return fig
