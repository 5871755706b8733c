"""The shipped digits 0-4 CNN: checksum-verified loading, accuracy, and a fine-tuning head."""
import shutil

import numpy as np
import pytest

import mlcore
from mlcore import Dense, Sequential
from mlcore.data import load_mnist
from mlcore.pretrained import DIGITS_CLASSES, DIGITS_FILE, digits_cnn, load_digits_0to4


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


def test_a_changed_file_is_refused(tmp_path, monkeypatch):
    shutil.copy(mlcore.data.data_path(DIGITS_FILE), tmp_path / DIGITS_FILE)
    with open(tmp_path / DIGITS_FILE, "r+b") as f:
        f.seek(-10, 2)
        f.write(b"0123456789")
    monkeypatch.setenv("MLCORE_DATA_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="corrupted or was changed"):
        load_digits_0to4()


def test_new_head_on_frozen_base():
    base = load_digits_0to4()
    for layer in base.layers[:-1]:
        layer.trainable = False
    model = Sequential(base.layers[:-1] + [Dense(5, activation="softmax")])
    assert model.count_params() == 14245
    assert model.count_trainable_params() == 32 * 5 + 5
