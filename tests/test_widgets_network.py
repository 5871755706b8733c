"""training_step_frames against hand values and the engine; WeightUpdateAnimator driven."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import mlcore
from mlcore import SGD, Dense, Sequential
from mlcore.teaching.gradcheck import numerical_gradient
from mlcore.widgets.network import WeightUpdateAnimator, training_step_frames


def chain():
    """x -> w1 -> w2 -> output, linear, no biases: every number by hand."""
    model = Sequential([Dense(1, input_shape=(1,), use_bias=False, name="first"),
                        Dense(1, use_bias=False, name="second")])
    model.set_weights([np.array([[0.5]]), np.array([[3.0]])])
    model.compile(SGD(0.01), "mean_squared_error")
    return model


def test_chain_by_hand():
    # a1 = 0.5 * 2 = 1, out = 3 * 1 = 3, C = (3 - 1)^2 = 4, dC/dout = 2 (3 - 1) = 4,
    # dC/dw2 = 4 * a1 = 4, dC/dz1 = 4 * w2 = 12, dC/dw1 = 12 * x = 24
    frames = training_step_frames(chain(), np.array([[2.0]]), np.array([[1.0]]), 0.01)
    assert [f["phase"] for f in frames] == ["forward"] * 3 + ["backward"] * 2 + ["update"]
    assert [f["layer"] for f in frames] == [0, 1, 2, 2, 1, 2]
    forward = frames[2]["node_values"]
    np.testing.assert_allclose(np.concatenate(forward), [2.0, 1.0, 3.0])
    assert frames[1]["node_values"][2] is None and frames[1]["edge_values"][1].item() == 3.0
    assert frames[0]["loss"] == pytest.approx(4.0)
    back = frames[4]
    np.testing.assert_allclose(np.concatenate(back["node_values"][1:]), [12.0, 4.0])
    np.testing.assert_allclose(np.concatenate([e.ravel() for e in back["edge_values"]]), [24, 4])
    assert frames[3]["edge_values"][0] is None  # right to left: layer 1 not reached yet
    np.testing.assert_allclose([e.item() for e in frames[5]["edge_values"]],
                               [0.5 - 0.01 * 24, 3.0 - 0.01 * 4])
    assert "0.500 -> 0.260" in frames[5]["caption"]


def test_update_caption_counts_nodes_from_zero_like_the_course():
    # the largest first-layer gradient sits at kernel[k=1, j=0], which the course calls w_01^(1)
    model = Sequential([Dense(1, input_shape=(2,), use_bias=False), Dense(1, use_bias=False)])
    model.set_weights([np.array([[0.1], [0.5]]), np.array([[1.0]])])
    model.compile(SGD(0.1), "mean_squared_error")
    frames = training_step_frames(model, np.array([[1.0, 3.0]]), np.array([[0.0]]), 0.1)
    assert "w_01^(1)" in frames[-1]["caption"]


def test_frames_are_the_engines_numbers_and_leave_weights_alone():
    mlcore.set_seed(3)
    with mlcore.float_precision("float64"):
        model = Sequential([Dense(3, input_shape=(2,), activation="tanh", name="h"),
                            Dense(2, activation="softmax", name="o")])
        model.compile(SGD(0.1), "sparse_categorical_crossentropy")
        x = np.array([[1.0, 2.0], [0.5, -1.0], [-0.3, 0.8]])
        y = np.array([0, 1, 1])
        before = model.get_weights()
        frames = training_step_frames(model, x, y, 0.5, sample=1)
        for w_before, w_after in zip(before, model.get_weights()):
            np.testing.assert_array_equal(w_before, w_after)
        np.testing.assert_allclose(frames[2]["node_values"][2], model.predict(x)[1])
        kernel = model.layers[0].params["kernel"]
        numeric = numerical_gradient(lambda: model.loss(y, model.predict(x)), kernel)
        np.testing.assert_allclose(frames[-2]["edge_values"][0], numeric, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(frames[-1]["edge_values"][0], kernel - 0.5 * numeric,
                                   rtol=1e-6, atol=1e-9)


def test_bad_arguments():
    model = Sequential([Dense(2, input_shape=(2,), name="only")])
    with pytest.raises(ValueError, match="compile model 'sequential' first"):
        training_step_frames(model, np.ones((1, 2)), np.ones((1, 2)), 0.1)
    model.compile(SGD(0.1), "mean_squared_error")
    with pytest.raises(ValueError, match="learning_rate"):
        training_step_frames(model, np.ones((1, 2)), np.ones((1, 2)), -1)
    with pytest.raises(ValueError, match="sample must be in"):
        training_step_frames(model, np.ones((1, 2)), np.ones((1, 2)), 0.1, sample=3)


def small_classifier():
    mlcore.set_seed(0)
    model = Sequential([Dense(3, input_shape=(2,), activation="relu", name="hidden"),
                        Dense(2, activation="softmax", name="output")])
    model.compile(SGD(0.1), "sparse_categorical_crossentropy")
    x = np.array([[1.0, 2.0], [0.5, -1.0], [-1.0, 0.3], [2.0, 0.1]])
    return model, x, np.array([0, 1, 1, 0])


def test_view_steps_forward_then_backward():
    model, x, y = small_classifier()
    view = WeightUpdateAnimator(model, x, y, batch_size=2)
    assert view.step_slider.max == 5
    colors = view.drawing.edges[1].get_colors().copy()
    image = view.image.value
    view.step_slider.value = 3                      # backward, layer 2: edges show dC/dw
    assert view.image.value != image
    assert not np.allclose(view.drawing.edges[1].get_colors(), colors)
    assert "backward" in view.caption.get_text() and "dC/dw" in view.legend.get_text()
    view.step_slider.value = 5
    assert view.describe().startswith("WeightUpdateAnimator: update: w <- w - 0.1")


def test_view_apply_update_is_one_sgd_step_and_extremes_never_raise():
    model, x, y = small_classifier()
    view = WeightUpdateAnimator(model, x, y, learning_rate=0.5, batch_size=2)
    expected = view.state[-1]["edge_values"]
    view.apply_update()
    for layer, kernel in zip(model.layers, expected):
        np.testing.assert_allclose(layer.params["kernel"], kernel, rtol=1e-6)
    assert view.batch == 1 and "batch 2" in view.caption.get_text()
    view.init_picker.value = "zeros"
    assert not np.any(model.layers[0].params["kernel"])
    view.lr_slider.value = 10.0
    for _ in range(5):
        view.apply_update()
    view.init_picker.value = "random_normal"
    before = bytes(view.image.value)
    view.step_slider.value = 4
    assert view.caption.get_text().startswith("step 5/6 - backward: dC/dz at layer 1")
    assert bytes(view.image.value) != before  # the picture shows the new step



def test_frames_and_the_view_leave_the_learner_s_stored_values_alone():
    from helpers import assert_same_stored_values, stored_values

    model, x, y = small_classifier()
    model.forward(x[:3], training=True)
    model.backward(np.ones((3, 2)))
    before = stored_values(model)
    training_step_frames(model, x, y, 0.1)
    view = WeightUpdateAnimator(model, x, y, batch_size=2)
    view.step_slider.value = 3
    view.lr_slider.value = 0.5
    assert_same_stored_values(before, model)


def test_training_elsewhere_shows_new_frames_even_on_the_step_slider():
    model, x, y = small_classifier()
    view = WeightUpdateAnimator(model, x, y)
    view.step_slider.value = 1
    view.step_slider.value = 0
    old = view.state[0]["edge_values"][0].copy()
    model.fit(x, y, epochs=5, batch_size=4, verbose=0)
    view.step_slider.value = 1   # a draw-only control: the frames must still be the new ones
    view.step_slider.value = 0
    np.testing.assert_array_equal(view.frame()["edge_values"][0], model.layers[0].params["kernel"])
    assert not np.array_equal(view.frame()["edge_values"][0], old)


def test_node_indices_sit_inside_their_nodes_readable_and_the_colour_bar_spans_the_values():
    # Chapter 06's picture: an index beside its node was crossed by the incoming edges.
    import matplotlib.pyplot as plt
    from mlcore.widgets import draw_network
    fig, ax = plt.subplots()
    drawing = draw_network(ax, [3, 2], node_values=[np.array([0.5, -1.0, 2.0]), np.array([0.0, 1.0])],
                           node_numbers=True)
    nodes = np.concatenate(drawing.positions)
    assert [t.get_text() for t in drawing.numbers] == ["0", "1", "2", "0", "1"]
    np.testing.assert_allclose([t.get_position() for t in drawing.numbers], nodes)
    assert all(t.get_zorder() > drawing.edges[0].get_zorder() for t in drawing.numbers)
    # the input 2.0 is the darkest node (full colour): its index is white; the 0.0 node is pale: black
    assert drawing.numbers[2].get_color() == "white" and drawing.numbers[3].get_color() == "black"
    bar = drawing.node_colorbar("a")
    assert bar.mappable.norm.vmin == -2.0 and bar.mappable.norm.vmax == 2.0
    plt.close(fig)
