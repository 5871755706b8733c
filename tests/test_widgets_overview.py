"""NetworkOverview: state against hand values and the engine; the view driven by its controls."""
import numpy as np
import pytest

import mlcore
from mlcore import Dense, Flatten, Sequential
from mlcore.layers import (Activation, AveragePooling2D, BatchNormalization, Conv2D, Dropout,
                           MaxPooling2D)
from mlcore.ops import conv2d_forward, max_pool2d_forward
from helpers import assert_same_stored_values, stored_values
from mlcore.widgets.overview.state import (map_limits, map_layers, overview_state,
                                           pixel_explanation, saliency_map, transform_image)


@pytest.fixture(autouse=True)
def float64():
    """predict casts inputs to floatx: float64 makes the comparisons exact."""
    with mlcore.float_precision("float64"):
        mlcore.set_seed(0)
        yield


@pytest.fixture
def tiny():
    """5x5x1 -> Conv2D(2, 3, stride 2, 'same', relu) with known weights -> Flatten -> Dense(2)."""
    net = Sequential([Conv2D(2, 3, strides=2, padding="same", activation="relu",
                             input_shape=(5, 5, 1), name="conv"),
                      Flatten(), Dense(2, activation="softmax", name="out")])
    kernel = np.zeros((3, 3, 1, 2))
    kernel[..., 0], kernel[..., 1] = 1.0, -1.0
    net.get_layer("conv").set_weights([kernel, np.array([0.5, 0.25])])
    return net


@pytest.fixture
def image():
    return np.arange(25, dtype=float).reshape(5, 5) / 10


@pytest.fixture
def deep():
    """Two input channels, strides, 'same' borders, overlapping max windows, average pooling,
    batch norm, dropout and a separate activation: every kind of layer the overview shows."""
    return Sequential([
        Conv2D(3, 3, strides=2, padding="same", activation="relu", input_shape=(9, 12, 2),
               name="conv_a"),
        MaxPooling2D(3, strides=1, padding="same", name="max_same"),
        Conv2D(4, (2, 3), strides=(1, 2), activation="tanh", name="conv_b"),
        BatchNormalization(name="norm"), Activation("relu", name="act"),
        AveragePooling2D(2, padding="same", name="avg_same"),
        Flatten(name="flat"), Dropout(0.5, name="drop"), Dense(6, activation="relu", name="hidden"),
        Dense(3, activation="softmax", name="out")])


@pytest.fixture
def rgbish():
    return np.random.default_rng(3).normal(size=(9, 12, 2))


# -- the state ---------------------------------------------------------------------------
def test_state_by_hand(tiny, image):
    state = overview_state(tiny, image)  # (H, W) works for a one-channel model
    conv = state["layers"][0]
    assert [e["kind"] for e in state["layers"]] == ["conv", "flatten", "dense"]
    assert conv["output"].shape == (3, 3, 2) and state["input"].shape == (5, 5, 1)
    # 'same', stride 2 on 5: ceil(5/2) = 3 outputs, pad 1 each side; output (0, 0) sees
    # input rows/cols -1..1, i.e. image[0:2, 0:2] = 0, 0.1, 0.5, 0.6 (sum 1.2).
    assert conv["z"][0, 0, 0] == pytest.approx(1.2 + 0.5)
    assert conv["z"][0, 0, 1] == pytest.approx(-1.2 + 0.25) and conv["output"][0, 0, 1] == 0
    # output (1, 1) sees image[1:4, 1:4]: 9 values around 1.2, sum 10.8
    assert conv["z"][1, 1, 0] == pytest.approx(10.8 + 0.5)
    np.testing.assert_allclose(state["probabilities"], tiny.predict(image[None, :, :, None])[0])
    assert state["predicted"] == int(np.argmax(state["probabilities"]))


def test_state_is_one_forward_pass_of_the_engine(deep, rgbish, monkeypatch):
    calls = []
    for cls in {type(layer) for layer in deep.layers}:
        def counted(self, x, training=False, forward=cls.forward):
            calls.append(self.name)
            return forward(self, x, training)
        monkeypatch.setattr(cls, "forward", counted)
    state = overview_state(deep, rgbish)
    assert calls == [layer.name for layer in deep.layers]  # each layer ran exactly once
    for layer, entry, a in zip(deep.layers, state["layers"], deep.activations(rgbish[None])):
        np.testing.assert_array_equal(entry["output"], a[0])
        assert entry["name"] == layer.name
    first = conv2d_forward(rgbish[None], deep.layers[0].params["kernel"],
                           deep.layers[0].params["bias"], stride=2, padding="same")[0]
    np.testing.assert_allclose(state["layers"][0]["output"], np.maximum(first, 0), atol=1e-12)
    pooled = max_pool2d_forward(state["layers"][0]["output"][None], 3, 1, "same")[0][0]
    np.testing.assert_allclose(state["layers"][1]["output"], pooled)
    assert map_layers(state) == [0, 1, 2, 3, 4, 5]


def test_conv_pixel_by_hand_at_a_same_border(tiny, image):
    e = pixel_explanation(tiny, image, "conv", 0, 0, 0)
    assert e["origin"] == (-1, -1)
    np.testing.assert_array_equal(e["padding"], [[1, 1, 1], [1, 0, 0], [1, 0, 0]])
    np.testing.assert_allclose(e["window"][..., 0], [[0, 0, 0], [0, 0, 0.1], [0, 0.5, 0.6]])
    np.testing.assert_array_equal(e["kernel"][..., 0], np.ones((3, 3)))
    assert (e["sum"], e["bias"], e["activation"]) == (pytest.approx(1.2), 0.5, "relu")
    assert e["value"] == pytest.approx(1.7) == e["z"] == e["a"]
    e = pixel_explanation(tiny, image, 0, 1, 2, 2)  # bottom-right: stride 2 -> rows 3..5
    assert e["origin"] == (3, 3) and e["padding"][2].all() and e["padding"][:, 2].all()
    assert e["value"] == pytest.approx(-(1.8 + 1.9 + 2.3 + 2.4) + 0.25) == e["z"]
    assert e["a"] == 0  # relu


def test_every_pixel_equals_the_engine(deep, rgbish):
    state = overview_state(deep, rgbish)
    for index in (0, 2):  # the two Conv2D layers: sum + bias is the stored z, g(z) the stored a
        out = state["layers"][index]["output"]
        for row, col, channel in np.ndindex(*out.shape):
            e = pixel_explanation(deep, None, index, channel, row, col, state=state)
            assert e["value"] == pytest.approx(e["z"], abs=1e-12)
            assert e["z"] == state["layers"][index]["z"][row, col, channel]
            assert deep.layers[index].activation(np.array(e["value"])) == pytest.approx(e["a"])
            np.testing.assert_allclose(e["channel_sums"].sum(), e["sum"])
    for index in (1, 5):  # max (overlapping windows, 'same') and average ('same') pooling
        out = state["layers"][index]["output"]
        for row, col, channel in np.ndindex(*out.shape):
            e = pixel_explanation(deep, None, index, channel, row, col, state=state)
            assert e["value"] == pytest.approx(e["a"], abs=1e-12)
            assert np.isnan(e["window"][e["padding"]]).all()


def test_pooling_window_and_winner(tiny, image):
    net = Sequential([Conv2D(1, 1, use_bias=False, input_shape=(4, 4, 1), name="copy"),
                      MaxPooling2D(2, name="pool"), Flatten(), Dense(2)])
    net.get_layer("copy").set_weights([np.ones((1, 1, 1, 1))])  # passes the image through
    picture = np.array([[1, 9, 3, 4], [5, 2, 8, 1], [6, 1, 2, 5], [3, 4, 4, 1]], dtype=float)
    e = pixel_explanation(net, picture, "pool", 0, 0, 1)
    np.testing.assert_array_equal(e["window"], [[3, 4], [8, 1]])
    assert e["winner"] == (1, 0) and e["value"] == 8 == e["a"] and e["origin"] == (0, 2)


def test_map_limits(tiny, image):
    state = overview_state(tiny, image)
    maps = state["layers"][0]["output"]
    low, high = map_limits(state, "unit")[0]
    np.testing.assert_allclose(high, maps.max(axis=(0, 1)).clip(1e-12))
    np.testing.assert_array_equal(low, 0)  # relu maps: 0 .. max
    low, high = map_limits(state, "layer")[0]
    np.testing.assert_allclose(high, [maps.max()] * 2)
    with pytest.raises(ValueError, match="scale must be one of"):
        map_limits(state, "module")


def test_map_limits_signed_and_global(deep, rgbish):
    state = overview_state(deep, rgbish)
    limits = map_limits(state, "global")
    top = max(np.abs(state["layers"][i]["output"]).max() for i in map_layers(state))
    for i, (low, high) in limits.items():
        np.testing.assert_allclose(high, top)
        signed = state["layers"][i]["output"].min() < 0
        np.testing.assert_allclose(low, -high if signed else 0)
    assert limits[3][0][0] < 0  # batch norm output has negative values


def test_transform_image():
    image = np.zeros((6, 6, 1))
    image[1, 2] = 1.0
    moved = transform_image(image, shift=(2, -1))
    assert moved[3, 1, 0] == 1.0 and moved.sum() == 1.0
    np.testing.assert_allclose(transform_image(image, rotation=90)[..., 0], np.rot90(image[..., 0]),
                               atol=1e-12)
    mlcore.set_seed(5)
    expected_next = mlcore.backend.rng().random()
    mlcore.set_seed(5)
    noisy = transform_image(image, noise=0.3, seed=7)
    assert mlcore.backend.rng().random() == expected_next  # the engine's generator is untouched
    np.testing.assert_array_equal(noisy, transform_image(image, noise=0.3, seed=7))
    assert not np.array_equal(noisy, transform_image(image, noise=0.3, seed=8))
    assert noisy.min() >= 0 and noisy.max() <= 1  # clipped to the image's range
    assert transform_image(image) is not image


def test_saliency_equals_finite_differences(deep, rgbish):
    """d p_k / d x by central differences (float64) for every pixel of every channel."""
    predicted = int(np.argmax(deep.predict(rgbish[None])[0]))
    for output in (predicted, (predicted + 1) % 3):
        grad = saliency_map(deep, rgbish, output)
        if output == predicted:
            np.testing.assert_array_equal(grad, saliency_map(deep, rgbish))
        numeric = np.zeros_like(rgbish)
        h = 1e-6
        for index in np.ndindex(*rgbish.shape):
            up, down = rgbish.copy(), rgbish.copy()
            up[index] += h
            down[index] -= h
            numeric[index] = (deep.predict(up[None])[0, output]
                              - deep.predict(down[None])[0, output]) / (2 * h)
        assert np.abs(numeric).max() > 1e-3  # the test sees a real gradient
        np.testing.assert_allclose(grad, numeric, atol=1e-7)
    with pytest.raises(ValueError, match=r"output_index must be an int in \[0, 2\], got 3"):
        saliency_map(deep, rgbish, 3)


# -- errors --------------------------------------------------------------------------------
def test_errors_name_what_was_expected(tiny, image):
    dense = Sequential([Dense(3, input_shape=(4,), name="only_dense")])
    with pytest.raises(ValueError, match=r"has no Conv2D layer .*only_dense \(Dense\)"):
        overview_state(dense, np.zeros(4))
    with pytest.raises(ValueError, match=r"expects one image of shape \(5, 5, 1\) or \(5, 5\), "
                                         r"got an array of shape \(2, 5, 5\)"):
        overview_state(tiny, np.zeros((2, 5, 5)))
    with pytest.raises(ValueError, match="'flatten.*' is a flatten layer; only Conv2D and pooling"):
        pixel_explanation(tiny, image, 1, 0, 0, 0)
    with pytest.raises(ValueError, match=r"row must be an int in \[0, 2\] .*got 3"):
        pixel_explanation(tiny, image, "conv", 0, 3, 0)
    with pytest.raises(ValueError, match=r"channel must be an int in \[0, 1\]"):
        pixel_explanation(tiny, image, "conv", 2, 0, 0)
    with pytest.raises(ValueError, match="no layer 'nope'"):
        pixel_explanation(tiny, image, "nope", 0, 0, 0)


# -- the view ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def digits_overview():
    """The shipped digits CNN on MNIST-5k (float32, as a learner runs it)."""
    from mlcore.teaching.pretrained import load_digits_0to4
    from mlcore.widgets import NetworkOverview

    return NetworkOverview(load_digits_0to4(), class_names=["zero", "one", "two", "three", "four"])


CONTROL_MOVES = [("digit", 1), ("sample", 7), ("shift_y", 3), ("shift_x", -2), ("rotation", 30),
                 ("noise", 0.3), ("seed", 5), ("scale", "unit"), ("scale", "global"),
                 ("open_map", (2, 5)), ("row", 2), ("col", 9), ("in_channel", 3),
                 ("open_map", (1, 4)), ("row", 0)]


def test_every_control_changes_the_picture(digits_overview):
    view = digits_overview
    for name, value in CONTROL_MOVES:
        control = getattr(view, name)
        before = bytes(view.image.value)
        assert control.value != value, name
        control.value = value
        assert view.state is not None, f"{name}: {view._error_text.get_text()}"
        assert bytes(view.image.value) != before, f"moving {name} to {value!r} changed nothing"


def test_choosing_another_layer_opens_its_centre_pixel_with_one_compute(digits_overview,
                                                                         monkeypatch):
    view = digits_overview
    current = view.model.layers[view.open_map.value[0]].output_shape
    target = next(value for _, value in view.open_map.options
                  if view.model.layers[value[0]].output_shape[:2] != current[:2])
    calls = []
    compute = view.compute
    monkeypatch.setattr(view, "compute", lambda **values: calls.append(values) or compute(**values))
    view.cache.clear()
    view.open_map.value = target
    h, w = view.model.layers[target[0]].output_shape[:2]
    assert (view.row.max, view.col.max) == (h - 1, w - 1)
    assert (view.row.value, view.col.value) == (h // 2, w // 2)
    assert view.explanation["pixel"] == (h // 2, w // 2)
    assert len(calls) == 1, [c["open_map"] for c in calls]


def test_view_shows_the_engine_state(digits_overview):
    view = digits_overview
    view.open_map.value, view.row.value, view.col.value = (2, 3), 4, 6
    model, state = view.model, view.state
    image = view.state["image"]
    expected = overview_state(model, image)
    np.testing.assert_allclose(view.selected_map, expected["layers"][2]["output"][:, :, 3])
    np.testing.assert_allclose(view.selected_map, model.activations(image[None])[2][0, :, :, 3])
    e = view.explanation
    assert (e["layer"], e["channel"], e["pixel"]) == (model.layers[2].name, 3, (4, 6))
    assert e["value"] == pytest.approx(e["z"], abs=1e-5)
    heights = [bar.get_width() for bar in view.bars]
    np.testing.assert_allclose(heights, state["overview"]["probabilities"])
    label = view.class_names[state["overview"]["predicted"]]
    assert view.prediction.get_text().startswith(f"predicted: {label}")
    assert view.readout.value.startswith(f"open: {model.layers[2].name} · map 3, pixel (4, 6)")
    assert view.readout.value in view.describe()
    assert view.zoom.ax_map.get_title().startswith(f"{model.layers[2].name} · map 3")


def test_choosing_a_map_fits_the_pixel_sliders(digits_overview):
    view = digits_overview
    view.open_map.value = (0, 1)      # 26x26 conv output, one input channel
    view.row.value = 25
    assert (view.row.max, view.col.max, view.in_channel.disabled) == (25, 25, True)
    view.open_map.value = (3, 0)      # another layer, 5x5: its centre pixel, no error shown
    assert (view.row.max, view.row.value, view.col.value) == (4, 2, 2) and view.state is not None
    assert view.explanation["kind"] == "max pool" and view.explanation["pixel"] == (2, 2)
    view.row.value = 4
    view.open_map.value = (3, 7)      # same layer, another map: the pixel stays
    assert view.explanation["pixel"] == (4, 2) and view.explanation["channel"] == 7
    view.open_map.value = (2, 0)      # conv on 8 channels: one can be picked
    assert [v for _, v in view.in_channel.options] == [-1] + list(range(8))
    assert not view.in_channel.disabled


def test_view_on_passed_images_and_any_cnn(deep, rgbish):
    from mlcore.widgets import NetworkOverview

    batch = np.stack([rgbish, -rgbish])
    view = NetworkOverview(deep, batch)
    assert view.sample.max == 1 and not hasattr(view, "digit")
    before = bytes(view.image.value)
    view.sample.value = 1
    assert bytes(view.image.value) != before
    np.testing.assert_allclose(view.state["image"], -rgbish)
    view.open_map.value = (5, 2)  # average pooling with a 'same' border
    assert view.explanation["value"] == pytest.approx(view.explanation["a"])
    one = NetworkOverview(deep, rgbish)
    assert one.sample.disabled


def test_redraws_while_training(tiny, image):
    from mlcore import SGD
    from mlcore.widgets import NetworkOverview

    view = NetworkOverview(tiny, image)
    before, kernel_before = bytes(view.image.value), view.explanation["kernel"].copy()
    tiny.compile(SGD(0.5), "sparse_categorical_crossentropy")
    tiny.fit(np.stack([image, image.T])[..., None], np.array([0, 1]), epochs=2, verbose=0,
             callbacks=[view.training_callback()])
    assert not np.array_equal(view.explanation["kernel"], kernel_before)
    np.testing.assert_array_equal(view.explanation["kernel"],
                                  tiny.layers[0].params["kernel"][:, :, :, 0])
    np.testing.assert_allclose(view.selected_map,
                               overview_state(tiny, image)["layers"][0]["output"][:, :, 0])
    assert bytes(view.image.value) != before


def test_the_overview_leaves_the_learner_s_stored_values_alone(deep, rgbish):
    """The issue's reproducer: after model.forward(x[:2]) an overview changed layer.a's
    shape from (2, ...) to (1, ...) and put saliency gradients into grads."""
    from mlcore.widgets import NetworkOverview

    x = np.stack([rgbish, -rgbish, 2 * rgbish])
    deep.forward(x[:2], training=True)
    deep.backward(np.ones((2, 3)))
    before = stored_values(deep)
    view = NetworkOverview(deep, x)
    for name, value in (("sample", 1), ("open_map", (2, 1)), ("row", 1), ("noise", 0.3),
                        ("sample", 2), ("in_channel", 0)):
        getattr(view, name).value = value
    overview_state(deep, rgbish)
    saliency_map(deep, rgbish)
    pixel_explanation(deep, rgbish, "conv_b", 0, 0, 0)
    assert_same_stored_values(before, deep)
    assert deep.layers[0].a.shape == (2, 5, 6, 3)


def test_training_between_two_identical_looks_shows_the_new_maps(tiny, image):
    """The issue's reproducer: image 1 -> 0, fit, 1 -> 0 again showed the old maps."""
    from mlcore import SGD
    from mlcore.widgets import NetworkOverview

    batch = np.stack([image, image.T])
    view = NetworkOverview(tiny, batch)
    view.sample.value = 1
    view.sample.value = 0
    old_picture, old_state = bytes(view.image.value), view.state
    tiny.compile(SGD(0.5), "sparse_categorical_crossentropy")
    tiny.fit(batch[..., None], np.array([1, 0]), epochs=3, verbose=0)
    view.sample.value = 1
    view.sample.value = 0
    engine = tiny.activations(batch[:1, ..., None])
    for shown, expected in zip(view.state["overview"]["layers"], engine):
        np.testing.assert_array_equal(shown["output"], expected[0])
    assert not np.allclose(view.state["overview"]["layers"][0]["output"],
                           old_state["overview"]["layers"][0]["output"])
    np.testing.assert_array_equal(view.explanation["kernel"],
                                  tiny.layers[0].params["kernel"][:, :, :, 0])
    np.testing.assert_array_equal(view.state["saliency"],
                                  tiny.input_gradient(batch[:1, ..., None],
                                                      view.state["overview"]["predicted"])[0])
    assert bytes(view.image.value) != old_picture


def test_view_errors(tiny):
    from mlcore.widgets import NetworkOverview

    with pytest.raises(ValueError, match="has no Conv2D layer"):
        NetworkOverview(Sequential([Dense(3, input_shape=(4,))]), np.zeros(4))
    with pytest.raises(ValueError, match=r"expects one image of shape \(5, 5, 1\).*got an array "
                                         r"of shape \(3, 4, 4\)"):
        NetworkOverview(tiny, np.zeros((3, 4, 4)))
    with pytest.raises(ValueError, match="MNIST-5k digits are 28x28x1: pass image="):
        NetworkOverview(tiny)
    with pytest.raises(ValueError, match="no Conv2D layer before its output layer 'last'"):
        NetworkOverview(Sequential([Conv2D(2, 3, input_shape=(5, 5, 1), name="last")]), image=None)
    with pytest.raises(ValueError, match="2 outputs, got 3 class_names"):
        NetworkOverview(tiny, np.zeros((5, 5)), class_names="abc")


def test_zoom_text_names_the_window_in_the_layer_input_not_the_image(tiny, image):
    from mlcore.widgets.overview.zoom import _window_lines
    net = Sequential([Conv2D(2, 3, padding="same", input_shape=(5, 5, 1)), MaxPooling2D(2),
                      Flatten(), Dense(2)])
    e = pixel_explanation(net, image, 1, 0, 0, 0)             # a pooling pixel: its input is a map
    text = " ".join(_window_lines(e, e["window"].shape))
    assert "of the layer's input" in text and "of the input" not in text


def test_view_options_for_one_colour_convention(deep, rgbish):
    """cividis throughout, no saliency panel (and no saliency computed), numbered maps,
    a labelled probability axis and whole-pixel ticks on the opened map."""
    from mlcore.widgets import NetworkOverview
    plain = NetworkOverview(deep, rgbish)
    view = NetworkOverview(deep, rgbish, cmap="cividis", saliency=False, map_numbers=True)
    assert view.saliency is None and view.state["saliency"] is None
    assert len(view.figure.axes) == len(plain.figure.axes) - 1          # the saliency panel is gone
    maps = [c for c in view.columns if hasattr(c, "k") and c.index >= 0]
    assert maps[0].image.cmap.name.startswith("cividis")                # relu maps: unsigned
    assert all(c.cmap == "cividis" for c in view.columns if c.index >= 0)
    assert view.zoom.window_cells is not None and view.zoom.zoom_map.cmap == "cividis"
    first = maps[0]
    numbers = [t.get_text() for t in first.image.axes.texts if t is not first.legend]
    assert numbers == [str(k) for k in range(first.k)]
    assert not [t for t in plain.columns[1].image.axes.texts if t is not plain.columns[1].legend]
    # drawn over the blitted maps, so the picture shows them: it differs from one without numbers
    assert all(t.get_animated() for t in first.numbers)
    unnumbered = NetworkOverview(deep, rgbish, cmap="cividis", saliency=False)
    assert bytes(unnumbered.image.value) != bytes(view.image.value)
    assert view.ax_bars.get_xlabel() == "probability"
    ticks = view.zoom.ax_map.get_xticks()
    assert len(ticks) >= 2 and np.allclose(ticks, np.round(ticks))
    assert plain.state["saliency"] is not None and plain.columns[1].cmap == "viridis"
