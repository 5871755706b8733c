"""A small CNN pre-trained on MNIST digits 0-4, for the fine-tuning chapter.

``scripts/pretrain_digits.py`` trains :func:`digits_cnn` on the digits 0-4
of MNIST-5k's training split and writes the weights to
``data/digits_0to4_cnn.npz``; :func:`load_digits_0to4` rebuilds the model and
loads them after checking the file's SHA-256.
"""
from . import data
from .layers import Conv2D, Dense, Flatten, MaxPooling2D
from .model import Sequential

DIGITS_FILE = "digits_0to4_cnn.npz"
DIGITS_SHA256 = "483d1aa3a83017ef0372df532714592b7a0d1bdece0a36c2e63439e66acfa0d7"
DIGITS_CLASSES = (0, 1, 2, 3, 4)


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
