"""Preparing data: train/validation/test splits, one-hot labels, scaling.

Splits use their own ``seed`` (independent of ``mlcore.set_seed``), so a
chapter's train/validation/test sets never change when an earlier cell draws
more random numbers.
"""
from collections import namedtuple

import numpy as np

from .. import backend
from ..arguments import check_int, check_number
from ..losses import check_class_labels


def _check_fraction(where, name, value):
    check_number(where, name, value, 0, 1, include_high=False)


def train_val_test_split(x, y, val=0.0, test=0.0, *, seed=0, shuffle=True, stratify=False):
    """Split samples into train, validation and test parts.

    Parameters
    ----------
    x : array of shape (N, ...)
    y : array of shape (N, ...)
        Targets, split with the same rows as ``x``.
    val, test : float in [0, 1), default 0
        Fractions of the N samples for validation and test (rounded to whole
        samples; ``val + test < 1``).
    seed : int, default 0
        Seed of the split's own generator (``mlcore.set_seed`` does not affect it).
    shuffle : bool, default True
        If False, keep the order: train first, then validation, then test (the
        last rows), like Keras' ``validation_split``, which takes the last rows.
    stratify : bool, default False
        If True, ``y`` holds class labels and every class is split in the same
        proportions (per class, ``round(n_class * test)`` go to test, etc.).
        Needs ``shuffle=True``.

    Returns
    -------
    tuple of (x_part, y_part) pairs: train, then validation if ``val > 0``, then
    test if ``test > 0``. Rows within each part are shuffled (unless ``shuffle=False``).
    """
    where = "train_val_test_split"
    x, y = np.asarray(x), np.asarray(y)
    _check_fraction(where, "val", val)
    _check_fraction(where, "test", test)
    if val + test >= 1:
        raise ValueError(f"{where}: val + test must leave samples for training, got "
                         f"val={val} + test={test} = {val + test}")
    if x.ndim == 0 or y.ndim == 0 or len(x) != len(y):
        raise ValueError(f"{where}: x and y need the same number of samples (first axis), "
                         f"got shapes {x.shape} and {y.shape}")
    if stratify and not shuffle:
        raise ValueError(f"{where}: stratify=True needs shuffle=True")
    rng = np.random.default_rng(seed)
    if stratify:
        groups = [rng.permutation(np.flatnonzero(y == label)) for label in np.unique(y)]
    else:
        groups = [rng.permutation(len(x)) if shuffle else np.arange(len(x))]
    parts = {"train": [], "val": [], "test": []}
    for rows in groups:
        n_test, n_val = round(len(rows) * test), round(len(rows) * val)
        n_train = len(rows) - n_test - n_val
        parts["train"].append(rows[:n_train])
        parts["val"].append(rows[n_train:n_train + n_val])
        parts["test"].append(rows[n_train + n_val:])
    wanted = ["train"] + (["val"] if val else []) + (["test"] if test else [])
    result = []
    for name in wanted:
        rows = np.concatenate(parts[name])
        if stratify:  # mix the classes again, so batches are not sorted by label
            rows = rng.permutation(rows)
        result.append((x[rows], y[rows]))
    return tuple(result)


def split_labelled(x, y, labelled, *, seed=0, stratify=True):
    """Keep the labels of a fraction ``labelled`` of the samples; the rest play unlabelled.

    For semi-supervised experiments: the "unlabelled" part still returns its
    labels, to measure afterwards how good a method's guesses were, never to
    train on.

    Parameters
    ----------
    x : array of shape (N, ...)
    y : array of shape (N,)
        Class labels.
    labelled : float in (0, 1)
        Fraction of the samples that keep their label (per class if ``stratify``).
    seed : int, default 0
        Seed of the split's own generator.
    stratify : bool, default True
        Every class keeps the same share of labels.

    Returns
    -------
    ((x_labelled, y_labelled), (x_unlabelled, y_hidden))

    Examples
    --------
    >>> (x_l, y_l), (x_u, _) = split_labelled(np.zeros((100, 2)), np.repeat([0, 1], 50), labelled=0.1)
    >>> len(x_l), len(x_u), np.bincount(y_l).tolist()
    (10, 90, [5, 5])
    """
    check_number("split_labelled", "labelled", labelled, 0, 1, include_low=False, include_high=False)
    return train_val_test_split(x, y, test=1 - labelled, seed=seed, stratify=stratify)


# -- labels and scaling ---------------------------------------------------------
def to_categorical(y, num_classes=None, dtype=None):
    """One-hot encode class labels, as Keras' ``to_categorical``.

    Parameters
    ----------
    y : array-like of whole numbers >= 0, shape S
        Class indices (a trailing axis of size 1 is dropped, as in Keras).
    num_classes : int, optional
        Number of classes; default ``max(y) + 1``.
    dtype : str, optional
        Default ``mlcore.floatx()``.

    Returns
    -------
    array of shape S + (num_classes,): row i has a 1 at column ``y[i]``, 0 elsewhere.

    Examples
    --------
    >>> to_categorical([0, 2, 1])
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]], dtype=float32)
    """
    labels = np.asarray(y)
    if labels.ndim > 1 and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if not (np.issubdtype(labels.dtype, np.integer) or np.issubdtype(labels.dtype, np.floating)):
        raise ValueError(f"to_categorical: labels must be whole numbers, got dtype {labels.dtype}")
    if not np.isfinite(labels).all():
        raise ValueError("to_categorical: labels contain nan or inf")
    if labels.size and labels.min() < 0:
        raise ValueError(f"to_categorical: labels must be >= 0 (class indices), got {labels.min():g}")
    if num_classes is None:
        if labels.size == 0:
            raise ValueError("to_categorical: cannot infer num_classes from empty labels; pass it")
        num_classes = int(labels.max()) + 1
    check_int("to_categorical", "num_classes", num_classes, 1)
    check_class_labels("to_categorical", labels, num_classes)  # whole numbers < num_classes
    one_hot = np.zeros(labels.shape + (num_classes,), dtype=dtype or backend.floatx())
    np.put_along_axis(one_hot, labels.astype(np.intp)[..., np.newaxis], 1, axis=-1)
    return one_hot


def _as_finite_floats(where, x):
    x = np.asarray(x)
    if not (np.issubdtype(x.dtype, np.integer) or np.issubdtype(x.dtype, np.floating)):
        raise ValueError(f"{where}: expected numbers, got dtype {x.dtype}")
    x = x.astype(np.result_type(x.dtype, np.float32))  # ints -> float64, floats keep their type
    if not np.isfinite(x).all():
        raise ValueError(f"{where}: input contains nan or inf at index "
                         f"{tuple(int(i) for i in np.argwhere(~np.isfinite(x))[0])}")
    return x


MinMaxScaled = namedtuple("MinMaxScaled", "values data_min data_max")
Standardized = namedtuple("Standardized", "values mean std")


def minmax_scale(x, feature_range=(0, 1), data_min=None, data_max=None, axis=0):
    """Rescale each feature linearly so its [min, max] maps to ``feature_range``.

    ``x' = lo + (x - data_min) / (data_max - data_min) * (hi - lo)``. A constant
    feature (``data_max == data_min``) maps to ``lo``.

    Parameters
    ----------
    x : array of shape (N, ...)
    feature_range : (lo, hi), default (0, 1)
    data_min, data_max : array, optional
        Statistics to use instead of ``x``'s own: pass the training set's to
        scale validation and test data the same way.
    axis : int, tuple or None, default 0
        Axes the statistics are taken over (0: per feature; None: one global min/max).

    Returns
    -------
    MinMaxScaled(values, data_min, data_max)
        A named tuple: the scaled array and the statistics used.

    Examples
    --------
    >>> train = minmax_scale(ages_train)
    >>> test = minmax_scale(ages_test, data_min=train.data_min, data_max=train.data_max)
    """
    x = _as_finite_floats("minmax_scale", x)
    lo, hi = feature_range
    if not lo < hi:
        raise ValueError(f"minmax_scale: feature_range must be (lo, hi) with lo < hi, got {feature_range!r}")
    if (data_min is None) != (data_max is None):
        raise ValueError("minmax_scale: pass both data_min and data_max, or neither")
    if data_min is None:
        data_min, data_max = x.min(axis=axis, keepdims=True), x.max(axis=axis, keepdims=True)
    span = np.asarray(data_max, dtype=x.dtype) - data_min
    span = np.where(span == 0, 1, span)  # constant feature: avoid 0/0, map it to lo
    values = lo + (x - data_min) / span * (hi - lo)
    return MinMaxScaled(values.astype(x.dtype, copy=False), data_min, data_max)


def standardize(x, mean=None, std=None, axis=0):
    """Shift and scale each feature to mean 0 and standard deviation 1: ``z = (x - mean) / std``.

    A constant feature (``std == 0``) is only centred (divided by 1).

    Parameters
    ----------
    x : array of shape (N, ...)
    mean, std : array, optional
        Statistics to use instead of ``x``'s own: pass the training set's to
        standardize validation and test data the same way.
    axis : int, tuple or None, default 0
        Axes the statistics are taken over (0: per feature; None: one global mean/std).

    Returns
    -------
    Standardized(values, mean, std)
        A named tuple: the standardized array and the statistics used.

    Examples
    --------
    >>> train = standardize(x_train)
    >>> x_test_std = standardize(x_test, train.mean, train.std).values
    """
    x = _as_finite_floats("standardize", x)
    if (mean is None) != (std is None):
        raise ValueError("standardize: pass both mean and std, or neither")
    if mean is None:
        mean, std = x.mean(axis=axis, keepdims=True), x.std(axis=axis, keepdims=True)
    scale = np.where(np.asarray(std) == 0, 1, std)
    values = (x - mean) / scale
    return Standardized(values.astype(x.dtype, copy=False), mean, std)
