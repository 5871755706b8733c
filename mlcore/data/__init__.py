"""Data for the course: MNIST-5k, the course's toy sets, and preprocessing helpers.

The two-class sets in the plane live in ``mlcore.data.planar`` and are
re-exported here (``make_planar``, ``ring_data``, ``toy_data``).

Everything here is deterministic. Splits use their own ``seed`` (independent of
``mlcore.set_seed``), so a chapter's train/validation/test sets never change
when an earlier cell draws more random numbers. Toy generators take ``seed``;
without one they draw from the engine's generator, ``mlcore.backend.rng()``.

Files live in the repository's ``data/`` folder, next to the ``mlcore``
package (an editable install, ``pip install -e .``, as README says). Set the
environment variable ``MLCORE_DATA_DIR`` to use another folder.
"""
import hashlib
import os
import re
from collections import namedtuple
from pathlib import Path

import numpy as np

from .. import backend
from ..losses import check_class_labels
from .planar import PLANAR_SETS, make_planar, ring_data, toy_data  # the 2-D sets

MNIST_FILE = "mnist_5k.npz"
MNIST_SHA256 = "246e0c30eeea57c8d0037d3f38c8e00651ec204cc61b8022563e9aeeb9d756f4"


# -- files --------------------------------------------------------------------
def data_dir():
    """The folder holding the course's data files (``<repo>/data`` or ``$MLCORE_DATA_DIR``)."""
    override = os.environ.get("MLCORE_DATA_DIR")
    return Path(override) if override else Path(__file__).resolve().parents[2] / "data"


def data_path(name, sha256=None):
    """Path of a data file, checked to exist and, if ``sha256`` is given, to be intact.

    Parameters
    ----------
    name : str
        File name inside :func:`data_dir`, e.g. ``'mnist_5k.npz'``.
    sha256 : str, optional
        Expected SHA-256 hex digest of the file's bytes.

    Raises
    ------
    FileNotFoundError
        The file is missing (the message says where it was looked for).
    ValueError
        The file's checksum differs from ``sha256`` (corrupted or replaced).
    """
    path = data_dir() / name
    if not path.is_file():
        raise FileNotFoundError(
            f"mlcore.data: {name} not found in {path.parent}. It ships in the repository's "
            "data/ folder; install the course with `pip install -e .` from a clone, or set "
            "MLCORE_DATA_DIR to the folder that holds it (see data/README.md)."
        )
    if sha256 is not None:
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != sha256:
            raise ValueError(
                f"mlcore.data: {path} is corrupted or was changed: sha256 {actual}, "
                f"expected {sha256}. Restore it (`git checkout -- data/{name}`) or "
                "regenerate it as data/README.md describes."
            )
    return path


# -- MNIST --------------------------------------------------------------------
def load_mnist(validation_split=0.0, test_split=0.0, *, normalize=False, channel_axis=False,
               seed=0):
    """Load MNIST-5k: 5,000 real handwritten digits, 500 of each digit 0-9.

    The file's checksum is verified on every load.

    Parameters
    ----------
    validation_split, test_split : float in [0, 1), default 0
        Fractions held out for validation and test. The split is stratified
        (each digit keeps its share: ``test_split=0.1`` puts exactly 50 of each
        digit in the test set) and shuffled with ``seed``.
    normalize : bool, default False
        If True, images are floats in [0, 1] (pixel / 255) of ``mlcore.floatx()``;
        otherwise uint8 in 0..255.
    channel_axis : bool, default False
        If True, images get a trailing channel axis: ``(N, 28, 28, 1)``, as
        ``Conv2D`` expects (channels-last).
    seed : int, default 0
        Seed of the split's own generator (the engine's generator is untouched).

    Returns
    -------
    (images, labels) when both fractions are 0, else a tuple of ``(images, labels)``
    pairs: train, then validation if ``validation_split > 0``, then test if
    ``test_split > 0``. Images have shape ``(N, 28, 28)`` (or ``(N, 28, 28, 1)``);
    labels are int64 of shape ``(N,)``. Without a split, rows are sorted by label.

    Examples
    --------
    >>> (x_train, y_train), (x_val, y_val), (x_test, y_test) = load_mnist(
    ...     validation_split=0.1, test_split=0.1, normalize=True)
    >>> x_train.shape, x_val.shape, x_test.shape
    ((4000, 28, 28), (500, 28, 28), (500, 28, 28))
    """
    with np.load(data_path(MNIST_FILE, MNIST_SHA256), allow_pickle=False) as npz:
        images, labels = npz["images"], npz["labels"].astype(np.int64)
    if normalize:
        images = images.astype(backend.floatx()) / 255
    if channel_axis:
        images = images[..., np.newaxis]
    if not validation_split and not test_split:
        return images, labels
    return train_val_test_split(images, labels, val=validation_split, test=test_split,
                                seed=seed, stratify=True)


# -- splits -------------------------------------------------------------------
def _check_fraction(where, name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not 0 <= value < 1:
        raise ValueError(f"{where}: {name} must be a fraction in [0, 1), got {value!r}")


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
    if isinstance(labelled, bool) or not isinstance(labelled, (int, float, np.integer, np.floating)) \
            or not 0 < labelled < 1:
        raise ValueError(f"split_labelled: labelled must be a fraction in (0, 1), got {labelled!r}")
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
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) \
            or num_classes < 1:
        raise ValueError(f"to_categorical: num_classes must be a positive int, got {num_classes!r}")
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


# -- the course's toy data sets ----------------------------------------------------
def _generator(seed):
    """A fresh generator for an explicit seed, else the engine's shared one."""
    return backend.rng() if seed is None else np.random.default_rng(seed)


def side_effects_data(n=2100, *, outlier_fraction=0.05, seed=None):
    """The drug-trial data: did a patient (aged 13-100) have side effects?

    Half the patients are under 65 (ages 13-64), half 65 or older (65-100),
    ages drawn uniformly as whole years. Within each half, ``outlier_fraction``
    (rounded to whole patients) goes against the trend: 95 % of the younger
    patients had no side effects (label 0) and 95 % of the older ones had side
    effects (label 1). Rows come in random order.

    Parameters
    ----------
    n : int, default 2100
        Number of patients, even (half per age group).
    outlier_fraction : float in [0, 0.5), default 0.05
    seed : int, optional
        Own seed; default draws from the engine's generator (``mlcore.set_seed``).

    Returns
    -------
    ages : int64 array of shape (n,)
        Ages in years, 13..100. Scale them to [0, 1] before training
        (e.g. ``minmax_scale(ages)`` or ``(ages - 13) / 87``).
    labels : int64 array of shape (n,)
        1 = side effects, 0 = none.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2 or n % 2:
        raise ValueError(f"side_effects_data: n must be an even int >= 2, got {n!r}")
    if not 0 <= outlier_fraction < 0.5:
        raise ValueError(f"side_effects_data: outlier_fraction must be in [0, 0.5), "
                         f"got {outlier_fraction!r}")
    rng = _generator(seed)
    half = n // 2
    outliers = round(half * outlier_fraction)
    young = rng.integers(13, 65, size=half)   # 13..64
    old = rng.integers(65, 101, size=half)    # 65..100
    young_labels = np.r_[np.ones(outliers), np.zeros(half - outliers)]
    old_labels = np.r_[np.zeros(outliers), np.ones(half - outliers)]
    ages = np.concatenate([young, old]).astype(np.int64)
    labels = np.concatenate([young_labels, old_labels]).astype(np.int64)
    order = rng.permutation(n)
    return ages[order], labels[order]


def weight_height_data():
    """The course's six labelled people for supervised learning.

    Returns
    -------
    samples : int64 array of shape (6, 2)
        Column 0: weight in pounds, column 1: height in inches.
    labels : int64 array of shape (6,)
        0 = male, 1 = female (the course's encoding).
    """
    samples = np.array([[150, 67], [130, 60], [200, 65], [125, 52], [230, 72], [181, 70]],
                       dtype=np.int64)
    labels = np.array([1, 1, 0, 1, 0, 0], dtype=np.int64)
    return samples, labels


# The hand-written rule's vocabulary (a programmer's guess, as in the course's
# traditional-programming example); a learned classifier finds its own words.
POSITIVE_WORDS = ("happy", "thankful", "amazing", "great", "success", "wins")
NEGATIVE_WORDS = ("can't", "won't", "sorry", "unfortunately", "fails", "worst")

# Tiny labelled news snippets for chapter 00 (1 = positive, 0 = negative),
# written for this course. Some defeat the word-count rule on purpose:
# negation ("not happy"), words the lists lack ("thrilled", "layoffs"), or
# list words used the other way round ("can't wait").
_ARTICLES = (
    ("Local bakery wins national award and hires ten new staff", 1),
    ("Volunteers thankful as record crowd cleans up the river", 1),
    ("Amazing comeback: underdogs take the title in overtime", 1),
    ("Residents happy with the new park and longer library hours", 1),
    ("Scientists thrilled by early results of the malaria vaccine", 1),
    ("Fans can't wait for the festival after ticket prices drop", 1),
    ("Startup's solar roof a great success in its first winter", 1),
    ("Hospital waiting times fall for the third month in a row", 1),
    ("Town celebrates as the old bridge reopens ahead of schedule", 1),
    ("Students delighted with free lunches and a new science lab", 1),
    ("Rescued puppies find homes within a week of the appeal", 1),
    ("Exports grow faster than forecast, lifting wages", 1),
    ("Unfortunately, the museum will close for good next month", 0),
    ("Factory layoffs leave hundreds without work before winter", 0),
    ("Mayor sorry after the water supply fails for a second week", 0),
    ("Storm damage: the worst flooding the valley has seen", 0),
    ("Residents not happy as bus routes are cut again", 0),
    ("Company won't refund customers after the data breach", 0),
    ("Drought ruins harvest and pushes food prices up", 0),
    ("Negotiations collapse; the strike enters its sixth week", 0),
    ("Thankful for nothing: rent rises for the fourth year running", 0),
    ("Hospital can't keep up with the surge in flu cases", 0),
    ("Investors lose savings as the fund goes bankrupt", 0),
    ("Not an amazing season: the team finishes last again", 0),
)


def sentiment_articles():
    """Tiny labelled set of news snippets for the sentiment example.

    Returns
    -------
    texts : list of str
        24 one-line snippets, 12 positive then 12 negative.
    labels : int64 array of shape (24,)
        1 = positive, 0 = negative.

    See Also
    --------
    POSITIVE_WORDS, NEGATIVE_WORDS : the hand-written rule's word lists.
    bag_of_words : turn the texts into count features a model can learn from.
    """
    texts = [text for text, _ in _ARTICLES]
    labels = np.array([label for _, label in _ARTICLES], dtype=np.int64)
    return texts, labels


def tokenize(text):
    """Lower-case words of ``text`` (letters and apostrophes): ``"Can't wait!"`` -> ``["can't", "wait"]``."""
    return re.findall(r"[a-z']+", text.lower().replace("\u2019", "'"))


def bag_of_words(texts, vocabulary=None):
    """Count how often each vocabulary word occurs in each text.

    Parameters
    ----------
    texts : list of str
    vocabulary : sequence of str, optional
        Columns of the result; default every word in ``texts``, sorted.

    Returns
    -------
    counts : array of shape (len(texts), len(vocabulary)), dtype ``mlcore.floatx()``
    vocabulary : tuple of str
    """
    tokens = [tokenize(text) for text in texts]
    if vocabulary is None:
        vocabulary = sorted({word for words in tokens for word in words})
    vocabulary = tuple(vocabulary)
    column = {word: j for j, word in enumerate(vocabulary)}
    counts = np.zeros((len(texts), len(vocabulary)), dtype=backend.floatx())
    for i, words in enumerate(tokens):
        for word in words:
            if word in column:
                counts[i, column[word]] += 1
    return counts, vocabulary

