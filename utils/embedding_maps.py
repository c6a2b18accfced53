"""2-D maps of high-dimensional points: t-SNE (non-linear) and PCA (linear baseline).

Both return an ``(n, 2)`` array for ``n`` inputs, so a notebook can draw them the same way.
Inputs of any shape ``(n, ...)`` are flattened to ``(n, d)`` first (images are fine).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np


def _as_matrix(x: np.ndarray) -> np.ndarray:
    matrix = np.asarray(x, dtype=np.float32)
    if matrix.ndim < 2:
        raise ValueError(f"Expected an array of shape (n, ...) with one row per point, got shape {matrix.shape}.")
    return matrix.reshape(len(matrix), -1)


def pca_map(x: np.ndarray, seed: int = 0) -> np.ndarray:
    """Project onto the two directions of largest variance (linear, fast, deterministic)."""
    from sklearn.decomposition import PCA

    return PCA(n_components=2, random_state=seed).fit_transform(_as_matrix(x)).astype(np.float32)


def tsne_map(
    x: np.ndarray, seed: int = 0, perplexity: float = 30.0, pca_dims: int | None = 50, n_threads: int | None = 1,
) -> np.ndarray:
    """A t-SNE map: neighbours in the input stay neighbours in 2-D.

    Inputs wider than ``pca_dims`` columns are first reduced with PCA (the usual speed-up that
    also removes pixel noise); the perplexity is capped below ``n`` so small inputs work too.
    ``n_threads`` caps scikit-learn's OpenMP threads: on a small or busy machine one thread is
    much faster than many threads competing for the cores (measured 10x on a loaded 2-core box);
    ``None`` leaves the library's default.
    """
    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE
    from threadpoolctl import threadpool_limits

    if n_threads is not None:
        with threadpool_limits(limits=n_threads):
            return tsne_map(x, seed=seed, perplexity=perplexity, pca_dims=pca_dims, n_threads=None)

    matrix = _as_matrix(x)
    n = len(matrix)
    if n < 3:
        raise ValueError(f"t-SNE needs at least 3 points, got {n}.")
    if pca_dims is not None and matrix.shape[1] > pca_dims and n > pca_dims:
        matrix = PCA(n_components=pca_dims, random_state=seed).fit_transform(matrix)
    perplexity = min(perplexity, (n - 1) / 3)
    tsne = TSNE(n_components=2, perplexity=perplexity, init="pca", learning_rate="auto",
                random_state=seed, n_jobs=1)
    return tsne.fit_transform(matrix).astype(np.float32)


def neighbour_agreement(points: np.ndarray, labels: np.ndarray, k: int = 5) -> np.ndarray:
    """For each point: the share of its ``k`` nearest neighbours in the map (itself excluded) with its class.

    Averaged over points it says how well a map keeps classes together (1 = perfectly separated
    clusters, about 1/number-of-classes = classes thoroughly mixed).
    """
    from sklearn.neighbors import NearestNeighbors

    points = _as_matrix(points)
    labels = np.asarray(labels).ravel()
    if len(points) != len(labels):
        raise ValueError(f"{len(points)} points but {len(labels)} labels.")
    if not 0 < k < len(points):
        raise ValueError(f"k must be between 1 and n - 1 = {len(points) - 1}, got {k}.")
    _, index = NearestNeighbors(n_neighbors=k + 1).fit(points).kneighbors(points)
    neighbours = index[:, 1:]  # column 0 is the point itself
    return (labels[neighbours] == labels[:, None]).mean(axis=1)


def plot_maps(
    maps: dict[str, np.ndarray], labels: np.ndarray, class_names: Sequence[str], title: str | None = None,
    ncols: int = 2,
):
    """Scatter plots of 2-D maps in a grid, one colour per class, one shared legend of class names."""
    import matplotlib.pyplot as plt

    labels = np.asarray(labels).ravel()
    ncols = min(ncols, len(maps))
    nrows = int(np.ceil(len(maps) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.4 * ncols, 5.6 * nrows + 1.2), squeeze=False)
    colours = plt.get_cmap("tab10")
    for ax in axes.ravel()[len(maps):]:
        ax.axis("off")
    for ax, (name, points) in zip(axes.ravel(), maps.items()):
        for k, class_name in enumerate(class_names):
            chosen = labels == k
            ax.scatter(points[chosen, 0], points[chosen, 1], s=6, alpha=0.7, color=colours(k % 10), label=class_name)
        ax.set_title(name)
        ax.set_xlabel("map axis 1 (arbitrary units)")
        ax.set_ylabel("map axis 2 (arbitrary units)")
        ax.set_xticks([])
        ax.set_yticks([])
    handles, names = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=min(5, len(names)), markerscale=4, frameon=False,
               fontsize=13)
    if title:
        fig.suptitle(title, fontsize=16)
    bottom = 1.1 / fig.get_size_inches()[1]
    fig.tight_layout(rect=(0, bottom, 1, 0.96 if title else 1))
    return fig
