"""save_weights / load_weights (mlcore/saving.py): .npz without pickle, architecture checked."""
import numpy as np
import pytest

from mlcore import BatchNormalization, Dense, Sequential
from mlcore.saving import layer_signature


def test_save_and_load_weights_round_trip(tmp_path, two_three_two):
    model = two_three_two()
    path = tmp_path / "w.npz"
    model.save_weights(path)
    other = two_three_two()
    other.load_weights(path)
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)
    with np.load(path, allow_pickle=False) as data:  # readable without pickle
        assert "__layers__" in data


def test_non_trainable_weights_are_saved_too(tmp_path):
    def model():
        return Sequential([Dense(2, input_shape=(3,), name="d"), BatchNormalization(name="bn")])
    trained = model()
    trained.layers[1].state["moving_mean"][...] = [0.5, -0.5]
    trained.save_weights(tmp_path / "w.npz")
    fresh = model()
    fresh.load_weights(tmp_path / "w.npz")
    np.testing.assert_array_equal(fresh.layers[1].state["moving_mean"], [0.5, -0.5])


def test_loading_into_another_architecture_fails_clearly(tmp_path, two_three_two):
    path = tmp_path / "w.npz"
    two_three_two().save_weights(path)
    other = Sequential([Dense(4, input_shape=(2,)), Dense(2)])
    with pytest.raises(ValueError, match=r"sequential.load_weights: the file holds a different "
                                         r"architecture.\n.*file:.*Dense\[kernel\(2, 3\)"):
        other.load_weights(path)


def test_a_file_not_written_by_save_weights(tmp_path, two_three_two):
    path = tmp_path / "other.npz"
    np.savez(path, kernel=np.zeros(3))
    with pytest.raises(ValueError, match=r"was not written by save_weights \(it has no "
                                         r"'__layers__' entry; it holds \['kernel'\]\)"):
        two_three_two().load_weights(path)


def test_layer_signature_names_type_and_weight_shapes():
    layer = Sequential([Dense(3, input_shape=(2,))]).layers[0]
    assert layer_signature(layer) == "Dense[kernel(2, 3),bias(3,)]"
