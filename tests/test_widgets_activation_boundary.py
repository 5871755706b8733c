"""ActivationBoundaryExplorer: linear hidden layers cannot separate the ring, relu can."""
import matplotlib

matplotlib.use("Agg")

import numpy as np

from mlcore.widgets.activation_boundary import (ActivationBoundaryExplorer, ring_data,
                                                train_boundary)

from helpers import leaves_engine_rng_alone


def test_ring_data_radii_and_labels():
    x, y = ring_data(100, seed=1)
    radius = np.hypot(x[:, 0], x[:, 1])
    assert x.shape == (100, 2) and (y == 0).sum() == (y == 1).sum() == 50
    assert radius[y == 0].max() <= 0.5 and radius[y == 1].min() >= 0.8


def test_linear_fails_relu_succeeds():
    linear = train_boundary("linear")
    relu = train_boundary("relu")
    assert linear["accuracy"] < 0.75
    assert relu["accuracy"] >= 0.95
    # a linear net's P(class 1) is a logistic function of one linear map of the input:
    # its 0.5 level set is a straight line, so the decision regions are two half-planes
    logit = np.log(linear["probability"] / (1 - linear["probability"]))
    g = linear["grid"]
    gx, gy = np.meshgrid(g, g)
    design = np.stack([gx.ravel(), gy.ravel(), np.ones(gx.size)], axis=1)
    coef, *_ = np.linalg.lstsq(design, logit.ravel(), rcond=None)
    np.testing.assert_allclose(design @ coef, logit.ravel(), atol=1e-3)


def test_probability_map_matches_the_model_and_global_rng_is_restored():
    state = leaves_engine_rng_alone(lambda: train_boundary("tanh", grid_size=11))
    g = state["grid"]
    point = np.array([[g[3], g[7]]])  # column 3 = first coordinate, row 7 = second
    assert np.isclose(state["model"].predict(point)[0, 1], state["probability"][7, 3], atol=1e-6)


def test_view_retrains_when_the_activation_changes():
    view = ActivationBoundaryExplorer("linear")
    before = view._image.get_array().copy()
    png = view.image.value
    view.picker.value = "relu"
    assert not np.allclose(view._image.get_array(), before)
    assert view.image.value != png
    assert "relu" in view.ax.get_title() and "100%" in view.describe()


def test_units_slider_retrains_with_narrower_layers():
    view = ActivationBoundaryExplorer("relu", units=8)
    assert view.state["accuracy"] >= 0.95
    png = view.image.value
    view.units_slider.value = 1
    state = view.state
    assert [layer.units for layer in state["model"].layers] == [1, 1, 2]
    assert state["accuracy"] < 0.75  # one relu node per layer cannot enclose the disc
    assert view.image.value != png and "2 x 1 hidden units" in view.describe()


def test_draw_boundary_uses_the_playground_colours_and_names_the_classes():
    # One colour convention per chapter: class 0 orange and class 1 blue, as the Playground draws them.
    from matplotlib.colors import to_hex
    from matplotlib.figure import Figure

    from mlcore.widgets.activation_boundary import draw_boundary
    from mlcore.widgets.base.toolkit import BLUE, CLASS_CMAP, ORANGE

    grid = np.linspace(-1, 1, 4)
    state = {"grid": grid, "probability": np.tile(np.linspace(0, 1, 4), (4, 1)),
             "x": np.array([[0.0, 0.0], [1.0, 1.0]]), "y": np.array([0, 1])}
    ax = Figure().subplots()
    image, _ = draw_boundary(ax, state, names=("ring", "disc"))
    class_0, class_1 = ax.collections[-2:]
    assert to_hex(class_0.get_facecolor()[0]) == ORANGE.lower()
    assert to_hex(class_1.get_facecolor()[0]) == BLUE.lower()
    assert image.get_cmap().name == CLASS_CMAP.name
    assert [h.get_label() for h in ax.get_legend_handles_labels()[0]] == ["class 0 (ring)", "class 1 (disc)"]
