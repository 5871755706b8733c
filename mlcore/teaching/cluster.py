"""k-means clustering in NumPy: structure found in data without labels.

Lloyd's algorithm alternates two steps until nothing changes:

1. assign each sample to its nearest centroid (squared Euclidean distance);
2. move each centroid to the mean of the samples assigned to it.

Each step can only lower the inertia ``sum_i ||x_i - c_{label_i}||^2``, so it
stops, but possibly in a local minimum; ``n_init`` restarts from different
starting centroids (k-means++ seeding) and keeps the run with the lowest
inertia.
"""
from collections import namedtuple

import numpy as np

from .. import backend
from ..arguments import check_int

KMeansResult = namedtuple("KMeansResult", "centroids labels inertia n_iter path")
KMeansResult.__doc__ = """Result of ``kmeans``.

centroids : array (k, d); labels : int array (N,); inertia : float;
n_iter : int, update steps until convergence; path : array (n_iter + 1, k, d),
the centroids after each step (path[0] = the starting centroids)."""


def assign(x, centroids):
    """Index of the nearest centroid for every sample, and the squared distances.

    Parameters
    ----------
    x : array, shape (N, d)
    centroids : array, shape (k, d)

    Returns
    -------
    labels : int array, shape (N,)
    sq_dist : array, shape (N, k)
    """
    sq_dist = ((x[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=-1)
    return sq_dist.argmin(axis=1), sq_dist


def _kmeans_plus_plus(x, k, rng):
    """Pick k starting centroids among the samples, far ones more likely."""
    centroids = [x[rng.integers(len(x))]]
    for _ in range(1, k):
        _, sq_dist = assign(x, np.array(centroids))
        nearest = sq_dist.min(axis=1)
        total = nearest.sum()
        p = nearest / total if total > 0 else None  # all points equal: any will do
        centroids.append(x[rng.choice(len(x), p=p)])
    return np.array(centroids)


def _lloyd(x, centroids, max_iter):
    path = [centroids.copy()]
    for _ in range(max_iter):
        labels, sq_dist = assign(x, centroids)
        new = centroids.copy()
        for j in range(len(centroids)):
            members = x[labels == j]
            if len(members):
                new[j] = members.mean(axis=0)
            else:  # an empty cluster restarts at the sample farthest from its centroid
                new[j] = x[sq_dist.min(axis=1).argmax()]
        if np.array_equal(new, centroids):
            break
        centroids = new
        path.append(centroids.copy())
    labels, sq_dist = assign(x, centroids)
    inertia = float(sq_dist[np.arange(len(x)), labels].sum())
    return KMeansResult(centroids, labels, inertia, len(path) - 1, np.array(path))


def kmeans(x, k, n_init=10, seed=None, init=None, max_iter=100):
    """Cluster the rows of ``x`` into ``k`` groups.

    Parameters
    ----------
    x : array, shape (N, d)
        Unlabelled samples (scale the features first if their units differ).
    k : int
        Number of clusters, 1 <= k <= N.
    n_init : int, default 10
        Restarts from k-means++ seeds; the lowest inertia wins.
    seed : int, optional
        Seed for the starting centroids; None uses ``mlcore.backend.rng()``.
    init : array, shape (k, d), optional
        Fixed starting centroids (then a single run; ``n_init`` is ignored).
    max_iter : int, default 100

    Returns
    -------
    KMeansResult
        ``centroids`` (k, d), ``labels`` (N,), ``inertia``, ``n_iter``, ``path``.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or len(x) == 0:
        raise ValueError(f"kmeans: x must have shape (N, d) with N >= 1, got {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError("kmeans: x contains NaN or infinite values")
    check_int("kmeans", "k", k, 1, len(x), note=" (number of samples)")
    if init is not None:
        init = np.array(init, dtype=np.float64)
        if init.shape != (k, x.shape[1]):
            raise ValueError(f"kmeans: init must have shape {(k, x.shape[1])}, got {init.shape}")
        return _lloyd(x, init, max_iter)
    check_int("kmeans", "n_init", n_init, 1)
    rng = backend.rng() if seed is None else np.random.default_rng(seed)
    runs = [_lloyd(x, _kmeans_plus_plus(x, k, rng), max_iter) for _ in range(n_init)]
    return min(runs, key=lambda run: run.inertia)
