"""Network diagrams: nodes in columns and an edge per weight, recoloured in place.

``draw_network`` draws a fully-connected network on a matplotlib axis (edge
colour = sign of the weight, edge width = its size, on a diverging map) and
returns the artists so a view can recolour them in place. Shared by the
neuron explorer, the weight-update animator and the chapters' own figures.
"""
import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize

from ...layers.core import Dense
from .toolkit import EDGE_CMAP, NEUTRAL, NODE_CMAP, format_number


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
    numbers : list of Text
        The node indices, inside the nodes, layer after layer (empty unless
        drawn with ``node_numbers=True``).
    node_vmax : float
        The |value| drawn at full node colour by the last ``set_node_values``.
    """

    def __init__(self, ax, sizes, positions, edges, nodes, labels, numbers=()):
        self.ax, self.sizes, self.positions = ax, sizes, positions
        self.edges, self.nodes, self.labels = edges, nodes, labels
        self.numbers = list(numbers)  # node indices; animated too, so they follow the node colours
        self.edge_cmap, self.node_cmap = colormaps[EDGE_CMAP], colormaps[NODE_CMAP]
        self.node_vmax = 1.0

    def artists(self):
        """Every artist that changes when values change (for ``WidgetView.animate``)."""
        return [*self.edges, *self.nodes, *(t for row in self.labels for t in row), *self.numbers]

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
        self.node_vmax = vmax
        for layer, (scatter, texts, value) in enumerate(zip(self.nodes, self.labels, values)):
            numbers = self.numbers[sum(self.sizes[:layer]):sum(self.sizes[:layer + 1])]
            if value is None:
                scatter.set_facecolor("white")
                for text in texts:
                    text.set_text("")
                for number in numbers:
                    number.set_color("black")
                continue
            flat = np.asarray(value, dtype=np.float64).ravel()
            finite = np.isfinite(flat)
            scaled = np.clip(np.where(finite, flat, 0) / vmax, -1, 1)
            colors = self.node_cmap(0.5 + 0.5 * scaled)
            scatter.set_facecolor(colors)
            for text, v in zip(texts, flat):
                text.set_text(format_number(v, fmt) if len(texts) <= 12 else "")
            for number, (r, g, b, _) in zip(numbers, colors):
                # the index sits inside its node: white on a dark node, black on a light one
                number.set_color("white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black")

    def node_colorbar(self, label="node value", **kwargs):
        """A colour bar for the node colours, from -node_vmax to node_vmax, beside the axes."""
        mappable = ScalarMappable(Normalize(-self.node_vmax, self.node_vmax), self.node_cmap)
        return self.ax.figure.colorbar(mappable, ax=self.ax, label=label, **kwargs)


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
                 node_size=None, show_values=True, node_numbers=False):
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
    node_numbers : bool, default False
        Whether to print each node's index j (from 0, as the course counts)
        inside it, where no edge can cross it, so that "node 2 of layer L-1"
        can be found.

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
                                   fontsize=8, zorder=4,   # a backing, so edges never cross the digits
                                   bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=0.5))
                       for x, y in pos] if show_values else [])
    numbers = []
    if node_numbers:
        for pos in positions:
            for j, (x, y) in enumerate(pos):
                numbers.append(ax.text(x, y, str(j), ha="center", va="center", fontsize=9,
                                       fontweight="bold", zorder=5))
    if layer_names is None:
        layer_names = ["input"] + [f"hidden {i}" for i in range(1, len(sizes) - 1)] + ["output"]
    for i, name in enumerate(layer_names):
        ax.text(i, -(tallest - 1) / 2 - 0.6, f"{name} ({sizes[i]})", ha="center", va="top",
                fontsize=9)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-(tallest - 1) / 2 - 1.1, (tallest - 1) / 2 + 0.6)
    ax.set_axis_off()
    drawing = NetworkDrawing(ax, sizes, positions, edges, nodes, labels, numbers)
    drawing.set_edge_values(list(weights) if weights is not None else [None] * len(edges))
    if node_values is not None:
        drawing.set_node_values(node_values)
    return drawing
