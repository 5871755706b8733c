"""CapacityExplorer: the diagnosis rules, the training curves, the view responding."""
import numpy as np
import pytest

from mlcore.widgets.capacity import CapacityExplorer, capacity_curves, diagnose, downsample

from helpers import leaves_engine_rng_alone


def blobs(n, seed, d=20):
    """Ten noisy classes in d dimensions: learnable, but not by one hidden unit."""
    rng = np.random.default_rng(seed)
    centres = np.random.default_rng(99).normal(0, 1.0, (10, d))
    y = rng.integers(0, 10, n)
    return (centres[y] + rng.normal(0, 1.2, (n, d))).astype(np.float32), y


@pytest.fixture(scope="module")
def data():
    x_train, y_train = blobs(200, 0)
    x_val, y_val = blobs(200, 1)
    return x_train, y_train, x_val, y_val


def history(acc, val_acc, val_loss):
    return {"loss": [1.0], "accuracy": [acc], "val_accuracy": [val_acc], "val_loss": val_loss}


def test_diagnose_rules():
    assert diagnose(history(0.5, 0.48, [2.0, 1.9])) == "under-fitting"
    assert diagnose(history(1.0, 0.7, [1.0, 0.9])) == "over-fitting"          # accuracy gap
    assert diagnose(history(0.95, 0.92, [0.5, 0.3, 0.4])) == "over-fitting"   # val loss turned up
    assert diagnose(history(0.95, 0.92, [0.5, 0.3, 0.31])) == "good fit"


def test_curves_tell_a_tiny_model_from_a_big_one(data):
    tiny = capacity_curves(*data, units=1, n_train=200, epochs=15)
    big = capacity_curves(*data, units=128, n_train=50, epochs=15)
    assert all(len(tiny[k]) == 15 for k in ("loss", "accuracy", "val_loss", "val_accuracy"))
    assert tiny["params"] == 20 * 1 + 1 + 1 * 10 + 10
    assert tiny["verdict"] == "under-fitting"
    assert big["accuracy"][-1] == 1.0 and big["verdict"] == "over-fitting"


def test_same_settings_same_curves(data):
    a = capacity_curves(*data, units=8, n_train=100, epochs=3)
    b = capacity_curves(*data, units=8, n_train=100, epochs=3)
    assert np.array_equal(a["val_loss"], b["val_loss"])


def test_the_engine_generator_is_left_where_it_was(data):
    leaves_engine_rng_alone(lambda: capacity_curves(*data, units=2, n_train=50, epochs=1))


def test_bad_n_train_is_named(data):
    with pytest.raises(ValueError, match=r"capacity_curves: n_train must be in \[1, 200\]"):
        capacity_curves(*data, units=4, n_train=500)


def test_downsample_averages_2x2_blocks():
    images = np.arange(16.0).reshape(1, 4, 4)
    assert np.array_equal(downsample(images), [[2.5, 4.5, 10.5, 12.5]])


def test_view_responds_to_both_sliders_and_caches(data):
    view = CapacityExplorer(units=2, n_train=50, data=data, epochs=5)
    first_png = view.image.value
    first_val = view.lines["val_accuracy"].get_ydata().copy()
    view.units_slider.value = 64
    assert not np.array_equal(view.lines["val_accuracy"].get_ydata(), first_val)
    assert view.image.value != first_png
    view.samples_slider.value = 200
    assert "200 training samples" in view.verdict.get_text()
    trained = {(dict(key)["units"], dict(key)["n_train"]) for key in view.cache}
    assert trained == {(2, 50), (64, 50), (64, 200)}
    view.samples_slider.value = 50
    view.units_slider.value = 2   # back to the start: served from the cache
    assert np.array_equal(view.lines["val_accuracy"].get_ydata(), first_val)
    assert len(view.cache) == 3
    assert view.units_slider.continuous_update is False


def test_dropout_adds_a_dropout_layer_without_parameters(data):
    plain = capacity_curves(*data, units=128, n_train=50, epochs=10)
    dropped = capacity_curves(*data, units=128, n_train=50, epochs=10, dropout=0.5)
    assert dropped["params"] == plain["params"]
    # masks silence half the hidden nodes in every training step: the training loss stays higher
    assert dropped["loss"][-1] > 1.5 * plain["loss"][-1]


def test_seed_changes_the_run(data):
    a = capacity_curves(*data, units=8, n_train=100, epochs=2, seed=0)
    b = capacity_curves(*data, units=8, n_train=100, epochs=2, seed=1)
    assert not np.array_equal(a["val_loss"], b["val_loss"])
