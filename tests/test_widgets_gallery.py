"""FilterGallery: feature maps against mlcore.ops and hand values, the view driven by its pickers."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import mlcore
from mlcore import Dense, Flatten, Sequential
from mlcore.layers import Conv2D, MaxPooling2D
from mlcore.ops import conv2d_forward, max_pool2d_forward
from mlcore.widgets.convolution import EDGE_FILTERS
from mlcore.widgets.gallery import (FilterGallery, conv_filters, conv_layers, feature_maps,
                                    mosaic)

EDGES = np.stack([np.array(EDGE_FILTERS[name], dtype=float) for name in
                  ("top edge", "left edge", "bottom edge", "right edge")], axis=-1)


@pytest.fixture(autouse=True)
def float64():
    """predict casts inputs to floatx: float64 makes the comparisons exact."""
    with mlcore.float_precision("float64"):
        yield


@pytest.fixture
def model():
    """conv(4 course edge filters, relu) -> pool -> conv(6, same) -> dense, on 10x10x1."""
    mlcore.set_seed(0)
    net = Sequential([Conv2D(4, 3, activation="relu", input_shape=(10, 10, 1), name="edges"),
                      MaxPooling2D(2), Conv2D(6, 3, padding="same", activation="relu", name="second"),
                      Flatten(), Dense(2, activation="softmax")])
    net.get_layer("edges").params["kernel"][...] = EDGES[:, :, None, :]
    net.get_layer("edges").params["bias"][...] = [0.0, 0.5, 0.0, -0.5]
    return net


@pytest.fixture
def images():
    return np.random.default_rng(1).uniform(0, 1, size=(5, 10, 10, 1))


def test_first_layer_maps_equal_relu_of_ops_conv(model, images):
    maps = feature_maps(model, images[2])
    assert maps.shape == (8, 8, 4)
    z = conv2d_forward(images[2:3], EDGES[:, :, None, :], np.array([0.0, 0.5, 0.0, -0.5]))[0]
    np.testing.assert_allclose(maps, np.maximum(z, 0), atol=1e-12)


def test_maps_of_a_line_by_hand(model):
    image = np.zeros((10, 10))
    image[4, :] = 1.0  # a horizontal line of ones
    maps = feature_maps(model, image, "edges")  # (H, W) works for a one-channel model
    # Output row i sees input rows i..i+2. Top-edge filter (-1, +1, 0 by row):
    # row 3 has the line in its middle row (+3), row 4 in its top row (relu(-3) = 0).
    np.testing.assert_array_equal(maps[[2, 3, 4], :, 0], [[0] * 8, [3] * 8, [0] * 8])
    # Bottom-edge filter (0, +1, -1): +3 at row 3, relu(-3) = 0 at row 2.
    np.testing.assert_array_equal(maps[[2, 3, 4], :, 2], [[0] * 8, [3] * 8, [0] * 8])
    # Left/right-edge filters see no vertical edge: 0 + bias -> 0.5 and relu(-0.5) = 0.
    assert np.all(maps[:, :, 1] == 0.5) and np.all(maps[:, :, 3] == 0)
    assert np.all(maps[[0, 1, 5, 6, 7]][:, :, [0, 2]] == 0)


def test_deeper_layer_and_batches(model, images):
    maps = feature_maps(model, images, "second")
    assert maps.shape == (5, 4, 4, 6)
    pooled, _ = max_pool2d_forward(np.maximum(conv2d_forward(
        images, EDGES[:, :, None, :], np.array([0.0, 0.5, 0.0, -0.5])), 0))
    layer = model.get_layer("second")
    z = conv2d_forward(pooled, layer.params["kernel"], layer.params["bias"], padding="same")
    np.testing.assert_allclose(maps, np.maximum(z, 0), atol=1e-12)
    np.testing.assert_allclose(feature_maps(model, images[3], "second"), maps[3], atol=1e-12)


def test_filters_and_mosaic(model):
    np.testing.assert_array_equal(conv_filters(model, "edges"), EDGES)
    assert conv_filters(model, "second", input_channel=3).shape == (3, 3, 6)
    assert [layer.name for layer in conv_layers(model)] == ["edges", "second"]
    tiles = mosaic(np.arange(2 * 3 * 5, dtype=float).reshape(2, 3, 5), columns=2)
    assert tiles.shape == (3 * 3 - 1, 2 * 4 - 1)
    np.testing.assert_array_equal(tiles[0:2, 4:7], np.arange(30.0).reshape(2, 3, 5)[:, :, 1])
    assert np.isnan(tiles[2]).all() and np.isnan(tiles[:, 3]).all()
    assert np.isnan(tiles[6:, 4:]).all()  # the sixth tile is unused


def test_bad_arguments_are_named(model):
    with pytest.raises(ValueError, match=r"feature_maps: model .* expects one image of shape "
                                         r"\(10, 10, 1\) or \(10, 10\) or a batch "
                                         r"\(N, 10, 10, 1\)"):
        feature_maps(model, np.ones((12, 12)))
    with pytest.raises(ValueError, match="feature_maps: no Conv2D layer named 'dense"):
        feature_maps(model, np.ones((10, 10)), model.layers[-1].name)
    with pytest.raises(ValueError, match="conv_filters: layer 'edges' has 1 input channels"):
        conv_filters(model, "edges", input_channel=1)
    dense_only = Sequential([Dense(2, input_shape=(3,))])
    with pytest.raises(ValueError, match="FilterGallery: the model has no Conv2D layer"):
        FilterGallery(dense_only, np.ones(3))


# -- the view ------------------------------------------------------------------
def test_view_shows_the_first_conv_layer(model, images):
    view = FilterGallery(model, images)
    assert view.layer.options == ("edges", "second") and view.layer.value == "edges"
    assert not view.sample.disabled and view.sample.max == 4 and view.input_channel.disabled
    filters = np.ma.filled(view.filter_image.get_array(), np.nan)
    np.testing.assert_array_equal(filters, mosaic(EDGES, 2))
    assert view.filter_image.get_clim() == (-1.0, 1.0)  # centred at 0
    assert view.image.value[:4] == b"\x89PNG"
    assert "4 maps of 8x8" in view.describe()


def test_sample_picker_redraws_the_maps(model, images):
    view = FilterGallery(model, images)
    before = view.image.value
    view.sample.value = 3
    assert view.image.value != before
    shown = np.ma.filled(view.map_image.get_array(), np.nan)
    np.testing.assert_allclose(shown, mosaic(feature_maps(model, images[3]), 2), atol=1e-12)
    np.testing.assert_array_equal(view.input_image.get_array(), images[3, :, :, 0])


def test_layer_and_channel_pickers(model, images):
    view = FilterGallery(model, images, layer="edges")
    view.layer.value = "second"
    assert view.state["maps"].shape == (5, 4, 4, 6) and view.input_channel.max == 3
    assert not view.input_channel.disabled
    before = view.image.value
    view.input_channel.value = 2
    assert view.image.value != before
    np.testing.assert_array_equal(np.ma.filled(view.filter_image.get_array(), np.nan),
                                  mosaic(conv_filters(model, "second", 2), 3))
    assert "input channel 2" in view.ax_filters.get_title()
    view.layer.value = "edges"  # back to one input channel
    assert view.input_channel.value == 0 and view.input_channel.disabled


def test_single_image_and_dead_layer_do_not_raise(model, images):
    view = FilterGallery(model, images[0, :, :, 0])
    assert view.sample.disabled and view.state["maps"].shape == (1, 8, 8, 4)
    model.get_layer("second").params["bias"][...] = -100.0  # every relu dead: all-zero maps
    view.layer.value = "second"
    assert np.all(view.state["maps"] == 0) and view.image.value[:4] == b"\x89PNG"


def test_training_between_two_identical_looks_shows_new_maps_beside_new_filters(model, images):
    """Sample 1 -> 0, fit, 1 -> 0 again: the maps and the filters both belong to the new weights
    (on de6d538 the maps came from the cache and the filters from the model)."""
    from mlcore import SGD

    view = FilterGallery(model, images)
    view.sample.value = 1
    view.sample.value = 0
    old_maps = np.ma.filled(view.map_image.get_array(), np.nan)
    model.compile(SGD(0.5), "sparse_categorical_crossentropy")
    model.fit(images, np.array([0, 1, 0, 1, 1]), epochs=3, verbose=0)
    view.sample.value = 1
    view.sample.value = 0
    shown_maps = np.ma.filled(view.map_image.get_array(), np.nan)
    new_maps = model.activations(images[:1])[0][0]
    np.testing.assert_array_equal(shown_maps, mosaic(new_maps, 2))
    assert not np.allclose(shown_maps, old_maps, equal_nan=True)
    np.testing.assert_array_equal(np.ma.filled(view.filter_image.get_array(), np.nan),
                                  mosaic(conv_filters(model, "edges"), 2))


def test_the_gallery_leaves_the_learner_s_stored_values_alone(model, images):
    from helpers import assert_same_stored_values, stored_values

    model.forward(images[:2], training=True)
    model.backward(np.ones((2, 2)))
    before = stored_values(model)
    view = FilterGallery(model, images)
    view.layer.value = "second"
    view.sample.value = 3
    feature_maps(model, images, "edges")
    assert_same_stored_values(before, model)
