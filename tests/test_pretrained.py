"""The shipped CNNs: checksum-verified loading, accuracy on held-out digits, a fine-tuning head."""
import shutil

import numpy as np
import pytest

import mlcore
from mlcore import Dense, Sequential
from mlcore.data import load_mnist
from mlcore.teaching.pretrained import (DIGITS_CLASSES, DIGITS_FILE, MNIST_CNN_FILE, digits_cnn,
                               load_digits_0to4, load_mnist_cnn, mnist_cnn)


def _held_out_0to4():
    _, (x, y) = load_mnist(test_split=0.2, normalize=True, channel_axis=True, seed=0)
    keep = np.isin(y, DIGITS_CLASSES)
    return x[keep], y[keep]


def test_architecture():
    model = digits_cnn()
    assert [layer.output_shape for layer in model.layers] == [
        (26, 26, 8), (13, 13, 8), (11, 11, 16), (5, 5, 16), (400,), (32,), (5,)]
    assert model.count_params() == 14245


def test_loads_and_recognises_held_out_digits():
    model = load_digits_0to4()
    x, y = _held_out_0to4()
    accuracy = np.mean(model.predict(x).argmax(axis=1) == y)
    assert accuracy >= 0.98, accuracy  # 0.990 when the weights were made (data/README.md)


@pytest.mark.parametrize("name, load", [(DIGITS_FILE, load_digits_0to4),
                                        (MNIST_CNN_FILE, load_mnist_cnn)])
def test_a_changed_file_is_refused(tmp_path, monkeypatch, name, load):
    shutil.copy(mlcore.data.data_path(name), tmp_path / name)
    with open(tmp_path / name, "r+b") as f:
        f.seek(-10, 2)
        f.write(b"0123456789")
    monkeypatch.setenv("MLCORE_DATA_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="corrupted or was changed"):
        load()


def test_new_head_on_frozen_base():
    base = load_digits_0to4()
    for layer in base.layers[:-1]:
        layer.trainable = False
    model = Sequential(base.layers[:-1] + [Dense(5, activation="softmax")])
    assert model.count_params() == 14245
    assert model.count_trainable_params() == 32 * 5 + 5


def test_mnist_cnn_architecture():
    model = mnist_cnn()
    assert [layer.name for layer in model.layers] == [
        "conv1", "pool1", "conv2", "pool2", "flatten", "hidden", "digits"]
    assert [layer.output_shape for layer in model.layers] == [
        (24, 24, 8), (12, 12, 8), (10, 10, 32), (5, 5, 32), (800,), (64,), (10,)]
    assert model.count_params() == 5 * 5 * 8 + 8 + 3 * 3 * 8 * 32 + 32 + 800 * 64 + 64 + 64 * 10 + 10 == 54458


def test_mnist_cnn_recognises_the_test_digits_it_never_trained_on():
    # scripts/pretrain_mnist_cnn.py trains on the 4,000 training digits of this split only
    _, (x, y) = load_mnist(test_split=0.2, normalize=True, channel_axis=True, seed=0)
    assert len(y) == 1000
    accuracy = np.mean(load_mnist_cnn().predict(x).argmax(axis=1) == y)
    assert accuracy >= 0.97, accuracy  # 0.986 when the weights were made (data/README.md)
