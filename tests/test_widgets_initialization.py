"""layer_statistics against the course's variance numbers and the MSE gradient by hand;
InitializationExplorer driven by its controls."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after choosing the backend)

import warnings

import numpy as np
import pytest

import mlcore
from mlcore.backend import float_precision, rng, seeded
from mlcore.widgets.initialization import (InitializationExplorer, _histogram, build_network,
                                           histogram_image, layer_statistics)


def test_course_variance_of_z_grows_with_n():
    # 250 unit-normal inputs, N(0, 1) weights: var(z) = 250, std 15.81; LeCun (var 1/n): std 1
    stats = layer_statistics("random_normal", 1.0, depth=1, width=250, activation="linear",
                             n_samples=400)
    assert stats["activation_std"][0] == pytest.approx(np.sqrt(250), rel=0.03)
    stats = layer_statistics("lecun_normal", 1.0, depth=1, width=250, activation="linear",
                             n_samples=400)
    assert stats["activation_std"][0] == pytest.approx(1.0, rel=0.03)


def test_gradient_is_the_mse_gradient_by_hand():
    # one linear layer a = x W (bias 0); C = mean((a - y)^2) -> dC/dW = x^T 2 (a - y) / (N * width)
    n, width = 50, 8
    stats = layer_statistics("glorot_uniform", 1.0, depth=1, width=width, activation="linear",
                             seed=7, n_samples=n)
    with seeded(7) as generator, float_precision("float64"):
        kernel = build_network("glorot_uniform", 1.0, 1, width, "linear").layers[0].params["kernel"]
        x = generator.standard_normal((n, width))
        y = generator.standard_normal((n, width))
    grad = x.T @ (2 * (x @ kernel - y) / (n * width))
    assert stats["gradient_rms"][0] == pytest.approx(np.sqrt(np.mean(grad ** 2)), rel=1e-9)
    assert stats["activation_mean"][0] == pytest.approx(np.mean(x @ kernel), rel=1e-9)
    np.testing.assert_allclose(stats["activation_hist"].sum(axis=1), 1.0)
    np.testing.assert_allclose(stats["gradient_hist"].sum(axis=1), 1.0)


def test_own_seed_leaves_the_notebooks_random_numbers_alone():
    mlcore.set_seed(5)
    expected = rng().random(3)
    mlcore.set_seed(5)
    first = layer_statistics(depth=3, width=20)
    np.testing.assert_array_equal(rng().random(3), expected)
    second = layer_statistics(depth=3, width=20)
    np.testing.assert_array_equal(first["gradient_hist"], second["gradient_hist"])


@pytest.mark.parametrize("initializer, stddev, activation, label", [
    ("random_normal", 100.0, "sigmoid", "saturated"),
    ("random_normal", 100.0, "sigmoid", "vanishing gradients"),
    ("random_normal", 100.0, "relu", "exploded"),
    ("random_normal", 1.0, "relu", "exploded"),
    ("random_normal", 0.01, "tanh", "vanishing activations"),
    ("glorot_uniform", 1.0, "sigmoid", "vanishing gradients"),
    ("he_normal", 1.0, "relu", "healthy"),
    ("glorot_uniform", 1.0, "tanh", "healthy"),
    ("glorot_normal", 1.0, "relu", "shrinking activations"),   # variance 1/n halved per layer
    ("random_normal", 0.2, "relu", "growing activations"),     # 0.2 * sqrt(100/2) = 1.4 per layer
])
def test_labels(initializer, stddev, activation, label):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # overflow must be reported, not warned about
        stats = layer_statistics(initializer, stddev, 10, 100, activation)
    assert label in stats["labels"]


def test_histogram_image_rows_are_layers_on_one_shared_scale():
    stats = layer_statistics("he_normal", 1.0, 4, 30, "relu")
    fig, ax = plt.subplots()
    image = histogram_image(ax, stats["activation_hist"], stats["activation_bins"])
    assert image.get_extent() == pytest.approx((0.0, 4.0, 4.5, 0.5))  # layer 1 on top
    assert (image.norm.vmin, image.norm.vmax) == (0, 1)  # fractions: one colour bar for all
    np.testing.assert_array_equal(image.get_array(), stats["activation_hist"])
    plt.close(fig)


def test_histogram_edges_and_bad_arguments():
    bins = np.linspace(0, 1, 5)
    np.testing.assert_allclose(_histogram(np.array([-5, 0.1, 0.6, np.inf, np.nan, 2.0]), bins),
                               np.array([3, 0, 1, 2]) / 6)
    with pytest.raises(ValueError, match="initializer must be one of"):
        layer_statistics("uniform")
    with pytest.raises(ValueError, match="depth must be a positive int"):
        layer_statistics(depth=0)


def test_view_follows_its_controls():
    view = InitializationExplorer(depth=6, width=40)
    data = view.act_image.get_array().copy()
    image = view.image.value
    view.std_slider.value = 0.05
    assert view.image.value != image
    assert not np.allclose(view.act_image.get_array(), data)
    view.init_picker.value = "he_normal"
    assert view.std_slider.disabled
    view.depth_slider.value = 12
    assert view.grad_image.get_array().shape == (12, 40)
    assert view.act_image.get_extent()[2] == pytest.approx(12.5)
    view.activation_picker.value = "relu"
    assert "healthy" in view.describe()


def test_view_extremes_never_raise():
    view = InitializationExplorer(depth=20, width=200, activation="relu")
    view.std_slider.value = 100.0
    assert "exploded" in view.status.get_text()
    view.activation_picker.value = "sigmoid"
    assert "saturated" in view.status.get_text()
    before = bytes(view.image.value)
    view.std_slider.value = view.std_slider.min
    view.depth_slider.value = 1
    assert view.grad_image.get_array().shape == (1, 40)
    assert "1 x 200 sigmoid" in view.status.get_text()
    assert bytes(view.image.value) != before  # the picture shows the new settings
