"""NeuronExplorer: the state against hand-computed values, the view driven by its sliders."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from mlcore.widgets.base.diagram import draw_network
from mlcore.widgets.base.toolkit import format_number
from mlcore.widgets.neuron import ACTIVATIONS, NeuronExplorer, neuron_state


def test_course_bias_example():
    # 1 * -0.55 + 2 * 0.10 = -0.35, relu(-0.35) = 0; with bias 1: 0.65.
    state = neuron_state([1, 2], [-0.55, 0.10], 0.0, "relu")
    assert state["z"] == pytest.approx(-0.35) and state["a"] == 0.0 and state["slope"] == 0.0
    assert state["note"].startswith("relu off")
    assert "dead" not in state["note"]                # dead = off for every input, not just this one
    assert "gradient" not in state["note"]           # chapter 00 shows it before gradients exist
    state = neuron_state([1, 2], [-0.55, 0.10], 1.0, "relu")
    assert state["z"] == pytest.approx(0.65) and state["a"] == pytest.approx(0.65)
    assert state["slope"] == 1.0 and state["note"] == ""


@pytest.mark.parametrize("activation, z, a, slope", [
    ("sigmoid", 0.0, 0.5, 0.25),
    ("sigmoid", 2.0, 1 / (1 + np.exp(-2.0)), np.exp(-2.0) / (1 + np.exp(-2.0)) ** 2),
    ("tanh", 0.5, np.tanh(0.5), 1 - np.tanh(0.5) ** 2),
    ("leaky_relu", -1.0, -0.2, 0.2),
    ("linear", -3.0, -3.0, 1.0),
])
def test_state_matches_hand_values(activation, z, a, slope):
    # inputs (1, 0.5), weights (z - 1, 2): z_total = (z - 1) + 1 + bias 0
    state = neuron_state([1.0, 0.5], [z - 1.0, 2.0], 0.0, activation)
    assert state["z"] == pytest.approx(z)
    assert state["a"] == pytest.approx(a)
    assert state["slope"] == pytest.approx(slope)


def test_saturation_label():
    assert neuron_state([1.0], [10.0], 0.0, "sigmoid")["note"].startswith("saturated")
    assert neuron_state([1.0], [-3.0], 0.0, "tanh")["note"].startswith("saturated")
    assert neuron_state([1.0], [1.0], 0.0, "sigmoid")["note"] == ""


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="neuron_state.*2 inputs and 3 weights"):
        neuron_state([1, 2], [1, 2, 3], 0.0, "relu")
    with pytest.raises(ValueError, match="softmax"):
        neuron_state([1], [1], 0.0, "softmax")
    assert "softmax" not in ACTIVATIONS and "relu" in ACTIVATIONS


def test_view_follows_the_bias_slider():
    view = NeuronExplorer(inputs=[1, 2], weights=[-0.55, 0.10])
    assert "relu off" in view.describe() and "z = -0.35" in view.describe()
    before = view.image.value
    view.bias_slider.value = 1.0
    assert view.image.value != before
    x, y = view.point.get_data()
    assert x[0] == pytest.approx(0.65) and y[0] == pytest.approx(0.65)
    assert view.describe() == "NeuronExplorer: z = 0.65, a = relu(z) = 0.65"
    assert view.note_text.get_text() == ""


def test_view_activation_switch_and_extremes_never_raise():
    view = NeuronExplorer(n_inputs=3, activation="sigmoid")
    curve_before = view.curve.get_ydata().copy()
    view.activation_picker.value = "tanh"
    assert not np.allclose(view.curve.get_ydata(), curve_before)
    for slider in view.input_sliders + view.weight_sliders + [view.bias_slider]:
        slider.value = slider.max
    assert "saturated" in view.note_text.get_text()
    assert view.ax_curve.get_xlim()[1] > abs(view.state["z"])  # the point stays on the axis
    view.activation_picker.value = "relu"
    for slider in view.weight_sliders:
        slider.value = slider.min
    assert "relu off" in view.note_text.get_text()


def test_draw_network_colors_by_sign_and_width_by_size():
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    kernel = np.array([[-2.0, 0.0, 1.0]])
    drawing = draw_network(ax, [1, 3], weights=[kernel])
    colors = drawing.edges[0].get_colors()
    widths = drawing.edges[0].get_linewidths()
    assert colors[0][0] > colors[0][2]      # negative: red
    assert colors[2][2] > colors[2][0]      # positive: blue
    assert widths[0] > widths[2] > widths[1]
    with pytest.raises(ValueError, match="shapes"):
        draw_network(ax, [2, 3], weights=[kernel])
    assert format_number(-0.001) == "0.00" and format_number(np.inf) == "overflow"


def test_draw_network_numbers_the_nodes_from_zero_on_request():
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    draw_network(ax, [2, 3], show_values=False)
    assert [t.get_text() for t in ax.texts if t.get_text().isdigit()] == []
    ax = Figure().subplots()
    drawing = draw_network(ax, [2, 3], show_values=False, node_numbers=True)
    numbers = [t for t in ax.texts if t.get_text().isdigit()]
    assert [t.get_text() for t in numbers] == ["0", "1", "0", "1", "2"]
    # each number sits inside its node, where no edge crosses it
    anchors = np.array([t.get_position() for t in numbers])
    np.testing.assert_allclose(anchors, np.vstack(drawing.positions))
    # animated with the edges, so a blitting widget draws them on top
    assert all(any(t is a for a in drawing.artists()) for t in numbers)
