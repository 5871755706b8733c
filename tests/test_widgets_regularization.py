"""train_regularized: same seed, only the regularization differs; penalty by hand; the view."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import mlcore
from mlcore.backend import rng
from mlcore.widgets.regularization import (RegularizationExplorer, kernel_weights, toy_data,
                                           train_regularized)


def test_toy_data_is_fixed_and_balanced():
    x, y = toy_data("moons", 100, seed=1)
    x2, y2 = toy_data("moons", 100, seed=1)
    assert x.shape == (100, 2) and np.bincount(y).tolist() == [50, 50]
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    x, y = toy_data("circles", 200, noise=0.0)
    radius = np.hypot(x[:, 0], x[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0)   # the ring
    np.testing.assert_allclose(radius[y == 1], 0.45)  # the disk inside
    with pytest.raises(ValueError, match="moons' or 'circles'"):
        toy_data("spirals")


def test_same_seed_same_model_and_notebook_rng_untouched():
    mlcore.set_seed(11)
    expected = rng().random(2)
    mlcore.set_seed(11)
    model_a, history_a = train_regularized(0.001, 0.2, seed=3, epochs=20)
    np.testing.assert_array_equal(rng().random(2), expected)
    model_b, history_b = train_regularized(0.001, 0.2, seed=3, epochs=20)
    np.testing.assert_array_equal(kernel_weights(model_a), kernel_weights(model_b))
    assert history_a.history == history_b.history
    assert set(history_a.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history_a.history["val_accuracy"]) == 20


def test_penalty_is_lambda_sum_of_squares_and_shrinks_weights():
    model, _ = train_regularized(0.01, 0.0, epochs=30)
    kernels = [layer.params["kernel"] for layer in model.layers if layer.params]
    by_hand = 0.01 * sum(float(np.sum(k.astype(np.float64) ** 2)) for k in kernels)
    assert model.regularization_loss() == pytest.approx(by_hand, rel=1e-5)
    sizes = [np.abs(kernel_weights(train_regularized(l2, 0.0, epochs=60)[0])).mean()
             for l2 in (0.0, 0.001, 0.01)]
    assert sizes[0] > sizes[1] > sizes[2]
    assert train_regularized(0.0, 0.0, epochs=60)[0].regularization_loss() == 0.0


def test_dropout_only_while_training():
    model, _ = train_regularized(0.0, 0.5, epochs=10)
    x, _ = toy_data(n=20)
    np.testing.assert_array_equal(model.predict(x), model.predict(x))
    with pytest.raises(ValueError, match="l2 must be a number >= 0"):
        train_regularized(-1.0)


def test_view_retrains_on_release_and_redraws():
    view = RegularizationExplorer()
    assert not view.l2_slider.continuous_update and not view.dropout_slider.continuous_update
    image, contours = view.image.value, list(view.contours)
    heights = [bar.get_height() for bar in view.bars]
    view.l2_slider.value = 0.01
    assert view.image.value != image
    assert all(a is not b for a, b in zip(view.contours, contours))
    assert contours[0].figure is None                 # old contours removed, not piled up
    assert [bar.get_height() for bar in view.bars] != heights
    assert view.describe().startswith("RegularizationExplorer: lambda 0.01, dropout 0.0")


def test_view_extremes_never_raise():
    view = RegularizationExplorer(l2=0.1, dropout=0.0, data="circles")
    view.dropout_slider.value = 0.8
    assert "train accuracy" in view.readout.get_text()
    before, circles = bytes(view.image.value), view.train_points[0].get_offsets().copy()
    view.data_picker.value = "moons"
    assert not np.array_equal(view.train_points[0].get_offsets(), circles)  # new data drawn
    assert "dropout = 0.8" in view.ax_boundary.get_title()
    assert bytes(view.image.value) != before
