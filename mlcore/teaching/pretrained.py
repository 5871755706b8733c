"""Small CNNs pre-trained on MNIST-5k, shipped as weights in ``data/``.

- ``scripts/pretrain_digits.py`` trains :func:`digits_cnn` on the digits 0-4
  of MNIST-5k's training split and writes ``data/digits_0to4_cnn.npz``;
  :func:`load_digits_0to4` rebuilds it (the fine-tuning chapter).
- ``scripts/pretrain_mnist_cnn.py`` trains :func:`mnist_cnn` on all ten
  digits of the same training split and writes ``data/mnist_cnn.npz``;
  :func:`load_mnist_cnn` rebuilds it (the convolution chapter).

Both loaders check the file's SHA-256 before reading it.
"""
from .. import data, regularizers
from ..layers import Conv2D, Dense, Flatten, MaxPooling2D
from ..model import Sequential

DIGITS_FILE = "digits_0to4_cnn.npz"
DIGITS_SHA256 = "483d1aa3a83017ef0372df532714592b7a0d1bdece0a36c2e63439e66acfa0d7"
DIGITS_CLASSES = (0, 1, 2, 3, 4)
MNIST_CNN_FILE = "mnist_cnn.npz"
MNIST_CNN_SHA256 = "c0fa33b303e612b83b2c9b052c0707b283f9c1164a1d87daa191eb6acad99c46"
MNIST_CNN_L2 = 0.03      # on conv1's kernel: smooth 5x5 filters that read as strokes and edges


def digits_cnn(num_classes=5):
    """The architecture, untrained: ``(N, 28, 28, 1)`` images -> ``num_classes`` probabilities.

    ``Conv2D(8, 3, relu) -> MaxPooling2D(2) -> Conv2D(16, 3, relu) -> MaxPooling2D(2)
    -> Flatten -> Dense(32, relu) -> Dense(num_classes, softmax)``; output shapes
    26x26x8, 13x13x8, 11x11x16, 5x5x16, 400, 32, num_classes.
    """
    return Sequential([
        Conv2D(8, 3, activation="relu", input_shape=(28, 28, 1)),
        MaxPooling2D(2),
        Conv2D(16, 3, activation="relu"),
        MaxPooling2D(2),
        Flatten(),
        Dense(32, activation="relu"),
        Dense(num_classes, activation="softmax"),
    ], name="digits_cnn")


def load_digits_0to4():
    """:func:`digits_cnn` with the shipped weights trained on digits 0-4 (output j = digit j).

    The model is not compiled. Raises ``ValueError`` if the weights file's
    checksum differs from the one recorded here, ``FileNotFoundError`` if it is missing.
    """
    model = digits_cnn(len(DIGITS_CLASSES))
    model.load_weights(data.data_path(DIGITS_FILE, DIGITS_SHA256))
    return model


def mnist_cnn():
    """The convolution chapter's CNN, untrained: ``(N, 28, 28, 1)`` images -> 10 probabilities.

    ``conv1 = Conv2D(8, 5, relu, L2 0.03 on the kernel) -> pool1 = MaxPooling2D(2)
    -> conv2 = Conv2D(32, 3, relu) -> pool2 = MaxPooling2D(2) -> flatten
    -> hidden = Dense(64, relu) -> digits = Dense(10, softmax)``; output shapes
    24x24x8, 12x12x8, 10x10x32, 5x5x32, 800, 64, 10; layers named as shown.
    """
    return Sequential([
        Conv2D(8, 5, activation="relu", input_shape=(28, 28, 1), name="conv1",
               kernel_regularizer=regularizers.l2(MNIST_CNN_L2)),
        MaxPooling2D(2, name="pool1"),
        Conv2D(32, 3, activation="relu", name="conv2"),
        MaxPooling2D(2, name="pool2"),
        Flatten(name="flatten"),
        Dense(64, activation="relu", name="hidden"),
        Dense(10, activation="softmax", name="digits"),
    ], name="mnist_cnn")


def load_mnist_cnn():
    """:func:`mnist_cnn` with the shipped weights trained on MNIST-5k (output j = digit j).

    Trained on the 4,000 training digits of ``load_mnist(test_split=0.2, seed=0)``
    with pixels scaled to [0, 1] (``normalize=True``); the 1,000 test digits
    were never used for training. Not compiled. Raises ``ValueError`` if the
    weights file's checksum differs from the one recorded here,
    ``FileNotFoundError`` if it is missing.
    """
    model = mnist_cnn()
    model.load_weights(data.data_path(MNIST_CNN_FILE, MNIST_CNN_SHA256))
    return model
