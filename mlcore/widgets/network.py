"""Network diagrams: nodes and weighted edges, and one training step animated.

``draw_network`` draws a fully-connected network on a matplotlib axis (edge
colour = sign of the weight, edge width = its size, on a diverging map) and
returns the artists so a view can recolour them in place.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib import colormaps
from matplotlib.collections import LineCollection

from ..layers.core import Dense
from .toolkit import EDGE_CMAP, NEUTRAL, NODE_CMAP, format_number
from .view import WidgetView, play_controls



def layer_sizes_of(model_or_sizes):
    """Node counts per layer, input first.

    Parameters
    ----------
    model_or_sizes : Sequential or sequence of int
        A model whose weighted layers are all ``Dense`` (other layers such as
        ``Activation`` or ``Dropout`` add no nodes), or sizes like ``[2, 3, 2]``.

    Returns
    -------
    list of int
    """
    if hasattr(model_or_sizes, "layers"):
        model = model_or_sizes
        if not model.built:
            raise ValueError(f"draw_network: model '{model.name}' is not built; give its first "
                             f"layer an input_shape")
        dense = [layer for layer in model.layers if isinstance(layer, Dense)]
        if len(dense) != len([layer for layer in model.layers if layer.params]):
            raise ValueError("draw_network: only models whose weighted layers are Dense can be "
                             f"drawn; got {[type(layer).__name__ for layer in model.layers]}")
        return [int(model.layers[0].input_shape[-1])] + [layer.units for layer in dense]
    sizes = [int(n) for n in model_or_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"draw_network: need at least two layers of >= 1 node, got {sizes}")
    return sizes


def dense_kernels(model):
    """The kernels ``W`` (shape (n_in, n_out)) of a model's Dense layers, in order."""
    return [layer.params["kernel"] for layer in model.layers if isinstance(layer, Dense)]


class NetworkDrawing:
    """The artists of a drawn network, recoloured in place.

    Attributes
    ----------
    sizes : list of int
        Nodes per layer, input first.
    positions : list of array, shape (n_l, 2)
        (x, y) of every node of layer l.
    edges : list of LineCollection
        ``edges[l]`` joins layer l to layer l + 1; segment ``k * n_out + j``
        is the weight ``W[k, j]`` (input node k to node j).
    nodes : list of PathCollection
        One scatter per layer.
    labels : list of list of Text
        Text under each node (empty strings until ``set_node_values``).
    """

    def __init__(self, ax, sizes, positions, edges, nodes, labels):
        self.ax, self.sizes, self.positions = ax, sizes, positions
        self.edges, self.nodes, self.labels = edges, nodes, labels
        self.edge_cmap, self.node_cmap = colormaps[EDGE_CMAP], colormaps[NODE_CMAP]

    def artists(self):
        """Every artist that changes when values change (for ``WidgetView.animate``)."""
        return [*self.edges, *self.nodes, *(t for row in self.labels for t in row)]

    def set_edge_values(self, values, vmax=None, max_width=4.0):
        """Colour and size each layer's edges by an array of shape (n_in, n_out).

        Parameters
        ----------
        values : list of (array of shape (n_l, n_{l+1}) or None)
            One per edge layer; None draws thin grey edges (nothing to show).
        vmax : float, optional
            The magnitude drawn at full colour and width; default the largest
            finite |value| shown. Larger values are clipped, non-finite ones grey.
        """
        vmax = _magnitude(values) if vmax is None else float(vmax)
        for collection, value in zip(self.edges, values):
            if value is None:
                collection.set_color(NEUTRAL)
                collection.set_linewidth(0.6)
                continue
            flat = np.asarray(value, dtype=np.float64).ravel()
            finite = np.isfinite(flat)
            scaled = np.clip(np.where(finite, flat, 0) / vmax, -1, 1)
            # Sign picks the hue; even a small weight gets a visible shade of it.
            colors = self.edge_cmap(0.5 + np.sign(scaled) * (0.22 + 0.28 * np.abs(scaled)))
            colors[~finite | (scaled == 0)] = (0.6, 0.6, 0.6, 1)
            collection.set_color(colors)
            collection.set_linewidth(0.4 + max_width * np.abs(scaled))

    def set_node_values(self, values, vmax=None, fmt="{:.2f}"):
        """Colour each node by its value and print the value under it.

        Parameters
        ----------
        values : list of (array of shape (n_l,) or None)
            One per layer; None leaves that layer's nodes white and unlabeled.
        """
        vmax = _magnitude(values) if vmax is None else float(vmax)
        for scatter, texts, value in zip(self.nodes, self.labels, values):
            if value is None:
                scatter.set_facecolor("white")
                for text in texts:
                    text.set_text("")
                continue
            flat = np.asarray(value, dtype=np.float64).ravel()
            finite = np.isfinite(flat)
            scaled = np.clip(np.where(finite, flat, 0) / vmax, -1, 1)
            scatter.set_facecolor(self.node_cmap(0.5 + 0.5 * scaled))
            for text, v in zip(texts, flat):
                text.set_text(format_number(v, fmt) if len(texts) <= 12 else "")


def _magnitude(values):
    """Largest finite |value| over a list of arrays (None skipped); 1 if there is none."""
    largest = 0.0
    for value in values:
        if value is None:
            continue
        flat = np.abs(np.asarray(value, dtype=np.float64))
        flat = flat[np.isfinite(flat)]
        if flat.size:
            largest = max(largest, float(flat.max()))
    return largest if largest > 0 else 1.0


def draw_network(ax, model_or_layer_sizes, weights=None, node_values=None, layer_names=None,
                 node_size=None, show_values=True):
    """Draw a fully-connected network: nodes in columns, an edge per weight.

    Edge colour is the sign of the weight (diverging map ``RdBu``: red
    negative, blue positive) and edge width its magnitude, both relative to
    the largest |w| drawn.

    Parameters
    ----------
    ax : matplotlib Axes
    model_or_layer_sizes : Sequential or sequence of int
        e.g. ``[2, 3, 2]`` or a built model of Dense layers (its kernels are
        drawn unless ``weights`` is given).
    weights : list of array of shape (n_l, n_{l+1}), optional
        Kernels to draw (Keras layout ``W[k, j]``); default: the model's, or
        uniform grey edges for plain sizes.
    node_values : list of array of shape (n_l,), optional
        Values to colour and print on the nodes (e.g. activations a^(l)).
    layer_names : list of str, optional
        Captions under the columns; default 'input', 'hidden 1', ..., 'output'.
    show_values : bool
        Whether to print node values under the nodes.

    Returns
    -------
    NetworkDrawing
        The artists, to recolour in place.
    """
    sizes = layer_sizes_of(model_or_layer_sizes)
    if weights is None and hasattr(model_or_layer_sizes, "layers"):
        weights = dense_kernels(model_or_layer_sizes)
    if weights is not None:
        expected = [(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
        got = [tuple(np.shape(w)) for w in weights]
        if got != expected:
            raise ValueError(f"draw_network: weights for layer sizes {sizes} must have shapes "
                             f"{expected}, got {got}")
    tallest = max(sizes)
    positions = [np.column_stack([np.full(n, float(i)), (n - 1) / 2 - np.arange(n)])
                 for i, n in enumerate(sizes)]
    edges = []
    for left, right in zip(positions[:-1], positions[1:]):
        segments = [(p, q) for p in left for q in right]  # order k * n_out + j, as W.ravel()
        collection = LineCollection(segments, colors=NEUTRAL, linewidths=0.6, zorder=1)
        ax.add_collection(collection)
        edges.append(collection)
    area = node_size or max(60, min(500, 2400 / tallest))
    nodes, labels = [], []
    for pos in positions:
        nodes.append(ax.scatter(pos[:, 0], pos[:, 1], s=area, c="white", edgecolors="#333333",
                                linewidths=1.0, zorder=3))
        # Values sit just under each node, offset in points so they clear it at any size.
        labels.append([ax.annotate("", (x, y), xytext=(0, -np.sqrt(area) / 2 - 1),
                                   textcoords="offset points", ha="center", va="top",
                                   fontsize=8, zorder=4)
                       for x, y in pos] if show_values else [])
    if layer_names is None:
        layer_names = ["input"] + [f"hidden {i}" for i in range(1, len(sizes) - 1)] + ["output"]
    for i, name in enumerate(layer_names):
        ax.text(i, -(tallest - 1) / 2 - 0.6, f"{name} ({sizes[i]})", ha="center", va="top",
                fontsize=9)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-(tallest - 1) / 2 - 1.1, (tallest - 1) / 2 + 0.6)
    ax.set_axis_off()
    drawing = NetworkDrawing(ax, sizes, positions, edges, nodes, labels)
    drawing.set_edge_values(list(weights) if weights is not None else [None] * len(edges))
    if node_values is not None:
        drawing.set_node_values(node_values)
    return drawing


# -- one training step, frame by frame ---------------------------------------
def training_step_frames(model, x, y, learning_rate, sample=0):
    """The frames of one gradient-descent step of a Dense model, as the engine computes it.

    Runs the model's own forward pass, loss gradient and backward pass on
    the batch ``(x, y)`` and reads the teaching attributes the layers keep
    (``layer.a``, ``layer.grad_z``, ``layer.grads['kernel']``). The update is
    ``mlcore.SGD(learning_rate)`` applied to copies of the kernels, so the
    model's weights are left unchanged (its ``a``/``z``/``grads`` are refreshed).

    Parameters
    ----------
    model : Sequential
        Compiled (its loss defines the gradients); weighted layers all Dense.
    x : array, shape (N, n_0)
    y : array
        Targets in the form the model's loss takes.
    learning_rate : float, > 0
    sample : int, default 0
        Which sample of the batch the node values show.

    Returns
    -------
    list of dict
        ``L + 1`` forward frames (layer 0..L, left to right), ``L`` backward
        frames (layer L..1, right to left) and one update frame, for L Dense
        layers. Each frame has

        - ``phase``: 'forward', 'backward' or 'update';
        - ``layer``: the layer index the frame is about (0 = input);
        - ``node_values``: per layer, an array (n_l,) or None (not yet
          computed): activations a^(l) going forward, dC/dz^(l) going back,
          for the chosen sample;
        - ``edge_values``: per edge layer, an array (n_l, n_{l+1}) or None:
          all the weights W in every forward frame, dC/dW (for the whole
          batch) of the layers reached so far going back (None before), the
          new weights W - lr * dC/dW in the update frame;
        - ``loss``: the loss of the batch before the update;
        - ``caption``: one line saying what the frame shows.
    """
    from ..optimizers import SGD

    layer_sizes_of(model)  # raises unless the weighted layers are all Dense
    if model.loss is None:
        raise ValueError(f"training_step_frames: compile model '{model.name}' first; its loss "
                         f"defines the gradients")
    optimizer = SGD(learning_rate=learning_rate)  # validates the learning rate
    dense = [layer for layer in model.layers if isinstance(layer, Dense)]
    output = model.forward(x, training=True)
    y_ready, output = model.loss.prepare(y, output)
    loss = model.loss.value(y_ready, output) + model.regularization_loss()
    model.backward(model.loss.grad(y_ready, output))
    if not 0 <= sample < len(output):
        raise ValueError(f"training_step_frames: sample must be in [0, {len(output)}), "
                         f"got {sample!r}")

    n_layers = len(dense)
    activations = [np.asarray(x, dtype=np.float64)[sample]] + \
        [layer.a[sample].astype(np.float64) for layer in dense]
    grad_z = [None] + [layer.grad_z[sample].astype(np.float64) for layer in dense]
    kernels = [layer.params["kernel"].astype(np.float64) for layer in dense]
    kernel_grads = [layer.grads["kernel"].astype(np.float64) for layer in dense]
    new_kernels = [k.copy() for k in kernels]
    optimizer.apply_gradients(list(zip(new_kernels, kernel_grads)))

    frames = []
    for l in range(n_layers + 1):
        frames.append({
            "phase": "forward", "layer": l, "loss": loss,
            "node_values": activations[:l + 1] + [None] * (n_layers - l),
            "edge_values": kernels,
            "caption": ("forward: the input x" if l == 0 else
                        f"forward: layer {l} computes z = a W + b and a = g(z)"),
        })
    for l in range(n_layers, 0, -1):
        frames.append({
            "phase": "backward", "layer": l, "loss": loss,
            "node_values": [None] * l + grad_z[l:],
            "edge_values": [None] * (l - 1) + kernel_grads[l - 1:],
            "caption": f"backward: dC/dz at layer {l} and dC/dw of the weights into it",
        })
    k, j = np.unravel_index(np.argmax(np.abs(kernel_grads[0])), kernel_grads[0].shape)
    frames.append({
        "phase": "update", "layer": n_layers, "loss": loss,
        "node_values": [None] * (n_layers + 1), "edge_values": new_kernels,
        # the course's w_jk^(l) joins node k of layer l-1 to node j of layer l: kernel[k, j];
        # like the course, nodes are counted from 0 (chapter 06: w_12^(L) = kernel[2, 1])
        "caption": (f"update: w <- w - {learning_rate:g} * dC/dw, e.g. w_{j}{k}^(1): "
                    f"{format_number(kernels[0][k, j], '{:.3f}')} -> "
                    f"{format_number(new_kernels[0][k, j], '{:.3f}')}"),
    })
    return frames


class WeightUpdateAnimator(WidgetView):
    """Step through one training step of a small Dense model on its diagram.

    Forward: activations fill the nodes layer by layer, left to right.
    Backward: dC/dz fills the nodes and dC/dw colours the edges, right to
    left. Update: the edges show the new weights ``w - lr * dC/dw``. The
    button "apply update" makes that step for real and moves on to the next
    batch; the initializer picker redraws the weights from scratch.

    Parameters
    ----------
    model : Sequential
        Compiled, built, weighted layers all Dense (keep it small: <= ~10
        nodes per layer so the diagram stays readable).
    x, y : arrays
        Training samples (N, n_0) and targets in the form the loss takes.
    learning_rate : float, optional
        Default: the model optimizer's learning rate.
    batch_size : int, optional
        Samples per step; default all of ``x`` (one batch).
    """

    title = "Weight-update animator"
    INITIALIZERS = ("glorot_uniform", "glorot_normal", "he_normal", "random_normal", "zeros")

    def __init__(self, model, x, y, learning_rate=None, batch_size=None):
        super().__init__(figsize=(8, 4.2))
        self.model, self.x, self.y = model, np.asarray(x), np.asarray(y)
        self.batch_size = len(self.x) if batch_size is None else int(batch_size)
        self.batch = 0
        if learning_rate is None:
            learning_rate = getattr(model.optimizer, "learning_rate", 0.1)
        self.dense = [layer for layer in model.layers if isinstance(layer, Dense)]
        self.frames = training_step_frames(model, *self._batch(), learning_rate)
        self.play, self.step_slider, play_box = play_controls(len(self.frames), interval=700)
        self.lr_slider = widgets.FloatLogSlider(value=learning_rate, base=10, min=-3, max=1,
                                                step=0.1, description="learning rate",
                                                readout_format=".3g")
        self.init_picker = widgets.Dropdown(options=("(current weights)",) + self.INITIALIZERS,
                                            description="initializer")
        self.apply_button = widgets.Button(description="apply update, next batch",
                                           layout=widgets.Layout(width="200px"))
        self.controls = [play_box, widgets.HBox([self.lr_slider, self.init_picker,
                                                 self.apply_button])]
        ax = self.figure.subplots()
        self.drawing = draw_network(ax, model)
        low, high = ax.get_ylim()
        ax.set_ylim(low - 0.5, high + 0.7)  # room for the caption above and the key below
        self.caption = ax.text(0.5, 1.0, "", transform=ax.transAxes, ha="center", va="top",
                               fontsize=10)
        self.legend = ax.text(0.5, 0.0, "", transform=ax.transAxes, ha="center", va="bottom",
                              fontsize=8, color="#444444")
        self.animate(*self.drawing.artists(), self.caption, self.legend)
        self.step_slider.observe(lambda change: self.update(), names="value")
        self.lr_slider.observe(lambda change: self.recompute(), names="value")
        self.init_picker.observe(lambda change: self.reinitialize(), names="value")
        self.apply_button.on_click(lambda button: self.apply_update())
        self.update()

    def _batch(self):
        start = self.batch * self.batch_size % len(self.x)
        index = np.arange(start, start + self.batch_size) % len(self.x)
        return self.x[index], self.y[index]

    def recompute(self):
        """New frames for the current weights, batch and learning rate."""
        self.frames = training_step_frames(self.model, *self._batch(), self.lr_slider.value)
        self.update()

    def apply_update(self):
        """Take the step (SGD on every weight, the engine's rule) and go to the next batch."""
        from ..optimizers import SGD

        self.recompute()  # make sure the stored gradients belong to the current weights
        SGD(self.lr_slider.value).apply_gradients(
            [(layer.params[n], layer.grads[n]) for layer in self.dense for n in layer.params])
        self.batch += 1
        self.step_slider.value = 0
        self.recompute()

    def reinitialize(self):
        """Draw fresh weights with the picked initializer (biases back to zero)."""
        from .. import initializers

        name = self.init_picker.value
        if name in self.INITIALIZERS:
            init = initializers.get(name)
            for layer in self.dense:
                kernel = layer.params["kernel"]
                kernel[...] = init(kernel.shape)
                if "bias" in layer.params:
                    layer.params["bias"][...] = 0
        self.recompute()

    def update(self):
        """Draw the frame the step slider points at."""
        frame = self.frames[min(self.step_slider.value, len(self.frames) - 1)]
        self.drawing.set_edge_values(frame["edge_values"])
        self.drawing.set_node_values(frame["node_values"])
        self.caption.set_text(f"step {self.step_slider.value + 1}/{len(self.frames)} - "
                              f"{frame['caption']}\nbatch {self.batch + 1}, loss before the "
                              f"update {format_number(frame['loss'], '{:.4f}')}")
        shown = {"forward": "edges: weights w", "backward": "edges: gradients dC/dw",
                 "update": "edges: new weights"}[frame["phase"]]
        nodes = {"forward": "nodes: activations a (sample 1)",
                 "backward": "nodes: dC/dz (sample 1)", "update": ""}[frame["phase"]]
        self.legend.set_text(f"{shown} (blue +, red -, width = size)    {nodes}")
        self.refresh()

    def describe(self):
        frame = self.frames[min(self.step_slider.value, len(self.frames) - 1)]
        return f"WeightUpdateAnimator: {frame['caption']}"
