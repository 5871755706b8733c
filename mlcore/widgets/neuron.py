"""Neuron explorer: one node, its weighted sum z and its activation a = g(z).

The numbers come from the engine: a ``Dense(1)`` layer holding the slider
weights computes z and a, and ``mlcore.activations`` gives the slope g'(z).
"""
import ipywidgets as widgets
import numpy as np

from .. import activations
from ..backend import float_precision
from ..layers.core import Dense
from .base.diagram import draw_network
from .base.toolkit import format_number
from .base.view import Explorer

ACTIVATIONS = [name for name in activations.names() if name != "softmax"]  # element-wise ones
SATURATED = 0.05  # slope below 5 % of the activation's steepest slope counts as saturated
STEEPEST = {"sigmoid": 0.25, "tanh": 1.0}


def neuron_state(inputs, weights, bias, activation):
    """The weighted sum, output and slope of one neuron.

    ``z = sum_k w_k x_k + b`` and ``a = g(z)``, computed by a ``Dense(1)``
    layer in float64, and the slope ``g'(z)`` from ``mlcore.activations``.

    Parameters
    ----------
    inputs : sequence of float, shape (n,)
        The inputs x_k.
    weights : sequence of float, shape (n,)
        The weights w_k.
    bias : float
    activation : str
        An element-wise activation name (``'relu'``, ``'sigmoid'``, ...).

    Returns
    -------
    dict
        ``z``, ``a``, ``slope`` (floats) and ``note``: '' or a short label
        such as 'relu off' or 'saturated'.
    """
    x = np.asarray(inputs, dtype=np.float64).ravel()
    w = np.asarray(weights, dtype=np.float64).ravel()
    if x.size == 0 or x.shape != w.shape:
        raise ValueError(f"neuron_state: need as many weights as inputs (at least one), got "
                         f"{x.size} inputs and {w.size} weights")
    if activation not in ACTIVATIONS:
        raise ValueError(f"neuron_state: activation must be one of {ACTIVATIONS}, "
                         f"got {activation!r}")
    with float_precision("float64"):
        # An explicit name: a default one would shift the notebook's layer numbering.
        layer = Dense(1, activation=activation, name="neuron_explorer")
        layer.build((x.size,))
        layer.set_weights([w[:, None], np.array([bias], dtype=np.float64)])
        a = float(layer.forward(x[None, :])[0, 0])
    z = float(layer.z[0, 0])
    slope = float(layer.activation.derivative(np.array([z]))[0])
    return {"z": z, "a": a, "slope": slope, "note": _note(activation, z, slope)}


def _note(activation, z, slope):
    if activation == "relu" and z <= 0:
        # "Off", not "dead": dead means off for every input in the data, and one neuron
        # with one input cannot tell which.
        return "relu off: z <= 0, so the output is 0 and a small nudge leaves it at 0"
    if activation == "leaky_relu" and z <= 0:
        return f"leaky side: small slope {slope:g} keeps a gradient"
    if activation in STEEPEST and slope < SATURATED * STEEPEST[activation]:
        return f"saturated: slope {slope:.4f}, learning nearly stops"
    return ""


class NeuronExplorer(Explorer):
    """Sliders for the inputs, weights and bias of one neuron and its activation.

    Left: the neuron as a diagram (edge colour = sign of the weight, width =
    size) with the weighted sum written out. Right: the activation curve
    g(z) with the current (z, a) marked and its tangent (slope g'(z)).

    Parameters
    ----------
    n_inputs : int, default 2
    activation : str, default 'relu'
        Any ``mlcore.activations`` name except 'softmax'.
    inputs, weights : sequence of float, shape (n_inputs,), optional
        Starting values; default inputs 1.0 and weights 0.5.
    bias : float, default 0.0

    Examples
    --------
    The course's bias example: ``NeuronExplorer(inputs=[1, 2],
    weights=[-0.55, 0.10], bias=0.0)`` shows z = -0.35 and relu(z) = 0;
    set the bias slider to 1 and the output becomes 0.65.
    """

    title = "Neuron explorer"

    def __init__(self, n_inputs=2, activation="relu", inputs=None, weights=None, bias=0.0):
        inputs = np.ones(n_inputs) if inputs is None else np.asarray(inputs, dtype=float)
        weights = np.full(n_inputs, 0.5) if weights is None else np.asarray(weights, dtype=float)
        neuron_state(inputs, weights, bias, activation)  # validate before building anything
        if inputs.size != n_inputs:
            raise ValueError(f"NeuronExplorer: n_inputs={n_inputs} but {inputs.size} inputs given")
        super().__init__(figsize=(9, 3.4))
        self.input_sliders = [_slider(f"x{k + 1}", v, 5.0) for k, v in enumerate(inputs)]
        self.weight_sliders = [_slider(f"w{k + 1}", v, 3.0) for k, v in enumerate(weights)]
        self.bias_slider = _slider("bias b", bias, 5.0)
        self.activation_picker = widgets.Dropdown(options=ACTIVATIONS, value=activation,
                                                  description="activation g")
        rows = [widgets.HBox([xs, ws]) for xs, ws in zip(self.input_sliders, self.weight_sliders)]
        self.controls = rows + [widgets.HBox([self.bias_slider, self.activation_picker])]

        self.ax_net, self.ax_curve = self.figure.subplots(1, 2, width_ratios=[1, 1.3])
        self.drawing = draw_network(self.ax_net, [n_inputs, 1], layer_names=["inputs x", "neuron"])
        self.sum_text = self.ax_net.text(0.5, 1.0, "", transform=self.ax_net.transAxes,
                                         ha="center", va="top", fontsize=9, family="monospace")
        low, high = self.ax_net.get_ylim()
        self.ax_net.set_ylim(low, high + 0.5 * (1 + (n_inputs + 1) // 2))  # room for the sum
        neuron = self.drawing.positions[1][0]
        self.weight_texts = [self.ax_net.text(*(0.45 * p + 0.55 * neuron), "", fontsize=9,
                                              ha="center", va="center", color="#333333",
                                              bbox=dict(facecolor="white", alpha=0.85, lw=0,
                                                        pad=1))
                             for p in self.drawing.positions[0]] if n_inputs <= 3 else []
        self.bias_text = self.ax_net.text(neuron[0], neuron[1] + 0.3, "", ha="center",
                                          va="bottom", fontsize=9)
        self.zlim = 6.0
        self.curve, = self.ax_curve.plot([], [], color="#0072B2", lw=2)
        self.tangent, = self.ax_curve.plot([], [], color="#E69F00", lw=1.5, ls="--")
        self.point, = self.ax_curve.plot([], [], "o", color="#D55E00", ms=8, zorder=4)
        self.z_line = self.ax_curve.axvline(0, color="gray", ls=":", lw=1)
        self.readout = self.ax_curve.text(0.02, 0.97, "", transform=self.ax_curve.transAxes,
                                          va="top", fontsize=9, family="monospace")
        self.note_text = self.ax_curve.text(0.02, 0.70, "", transform=self.ax_curve.transAxes,
                                            va="top", fontsize=9, color="#D55E00")
        self.ax_curve.set_xlabel("weighted sum z")
        self.ax_curve.set_ylabel("output a = g(z)")
        self.ax_curve.grid(alpha=0.3)
        self.animate(*self.drawing.artists(), *self.weight_texts, self.bias_text, self.sum_text,
                     self.tangent, self.point, self.z_line, self.readout, self.note_text)
        self.add_controls(show=False, bias=self.bias_slider, activation=self.activation_picker,
                          **{slider.description: slider
                             for slider in self.input_sliders + self.weight_sliders})
        self.update()

    def compute(self, bias, activation, **terms):
        """``neuron_state`` for the sliders (``terms``: x1, w1, x2, w2, ...)."""
        return neuron_state(self._terms(terms, "x"), self._terms(terms, "w"), bias, activation)

    def _terms(self, values, letter):
        """The inputs (letter 'x') or weights ('w') among the named values, in order."""
        return [values[f"{letter}{k}"] for k in range(1, len(self.input_sliders) + 1)]

    def draw(self, state):
        """Redraw for the current sliders (the curve too if g changed or z left the axis)."""
        z, a, slope = state["z"], state["a"], state["slope"]
        curve = self.changed("activation")
        if abs(z) > self.zlim - 0.5:
            self.zlim, curve = float(np.ceil(abs(z) + 1)), True
        if curve:
            self._draw_curve()
        values = self.values
        inputs, weights = self._terms(values, "x"), np.array(self._terms(values, "w"))
        bias = values["bias"]
        self.drawing.set_edge_values([weights[:, None]], vmax=max(1.0, np.abs(weights).max()))
        for text, w in zip(self.weight_texts, weights):
            text.set_text(f"w = {format_number(w)}")
        self.bias_text.set_text(f"b = {format_number(bias)}")
        self.drawing.set_node_values([np.array(inputs), np.array([a])], vmax=5.0)
        terms = [f"({format_number(w)})({format_number(x)})" for w, x in zip(weights, inputs)]
        lines = [" + ".join(terms[i:i + 2]) for i in range(0, len(terms), 2)]
        self.sum_text.set_text("z = " + " +\n    ".join(lines) +
                               f"\n  + ({format_number(bias)}) = {format_number(z)}")
        self.point.set_data([z], [a])
        self.z_line.set_xdata([z, z])
        half = 0.12 * self.zlim  # a short tangent: slope made visible
        self.tangent.set_data([z - half, z + half], [a - slope * half, a + slope * half])
        name = self.activation_picker.value
        self.readout.set_text(f"z = {format_number(z)}\na = {name}(z) = {format_number(a)}\n"
                              f"slope g'(z) = {format_number(slope)}")
        self.note_text.set_text(state["note"].replace(", ", ",\n", 1))
        return curve

    def _draw_curve(self):
        name = self.activation_picker.value
        grid = np.linspace(-self.zlim, self.zlim, 401)
        values = activations.get(name)(grid)
        self.curve.set_data(grid, values)
        low, high = float(values.min()), float(values.max())
        pad = 0.08 * (high - low)
        self.ax_curve.set_xlim(-self.zlim, self.zlim)
        self.ax_curve.set_ylim(low - pad, high + pad)
        self.ax_curve.set_title(f"activation g = {name}", fontsize=10)

    def describe(self):
        state = self.state
        note = f" ({state['note'].split(':')[0]})" if state["note"] else ""
        return (f"NeuronExplorer: z = {format_number(state['z'])}, "
                f"a = {self.activation_picker.value}(z) = {format_number(state['a'])}{note}")


def _slider(description, value, limit):
    limit = max(limit, float(np.ceil(abs(value))))  # never clip a starting value
    return widgets.FloatSlider(value=float(value), min=-limit, max=limit, step=0.05,
                               description=description, readout_format=".2f",
                               layout=widgets.Layout(width="300px"))
