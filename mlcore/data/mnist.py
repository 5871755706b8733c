"""MNIST-5k: 5,000 real handwritten digits, 500 of each, shipped in ``data/``."""
import numpy as np

from .. import backend
from .files import data_path
from .preprocessing import train_val_test_split

MNIST_FILE = "mnist_5k.npz"
MNIST_SHA256 = "246e0c30eeea57c8d0037d3f38c8e00651ec204cc61b8022563e9aeeb9d756f4"


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
