"""The Playground view: watch a small network learn a 2-D data set, and steer it.

Left, the network: every input feature, hidden neuron and the output drawn
as a small picture of its value over the plane, edges coloured by the sign
of their weight and as thick as its size. Middle, the output P(class 1) over
the plane with the training points (filled) and test points (rings). Right,
the train and test loss. Play advances one epoch per tick of an
``ipywidgets.Play`` in the browser, so the cell returns at once and Pause
stops it within a tick; the state lives in ``state.PlaygroundState``.

The view is an ``Explorer``: its one setting is the ``PlaygroundSettings``
record of its ``traits``; ``compute`` applies it to the running experiment
and ``draw`` shows the state, rebuilding the network diagram only when the
inputs or the layers change and the points only when the data does.
"""
import textwrap

import numpy as np
from matplotlib.colors import to_rgba

from ...layers.core import Dense
from ..base.diagram import draw_network
from ..base.toolkit import (BLUE, CLASS_CMAP, ORANGE, PixelImage, TileMosaic, blend,
                            color_lookup, format_number, nearest_resize, scatter_layer)
from ..base.view import Explorer
from .controls import PlaygroundControls
from .settings import FEATURES, SettingsTraits
from .state import GRID_SIZE, PlaygroundState

TICK_MS = 20            # the Play widget's interval: at most 50 ticks a second
THUMBNAIL_SAMPLES = 25  # each node's picture samples its surface on a 25 x 25 grid
DARK = {0: "#8a5a00", 1: "#003d66"}  # rings of the test points, darker than the fill
DATA_FIELDS = ("dataset", "noise", "train_ratio", "n_samples", "seed")  # what draws the points


class Playground(Explorer):
    """TensorFlow Playground in the notebook, on an mlcore model you can inspect.

    Parameters
    ----------
    settings : PlaygroundSettings or str, optional
        e.g. the ``settings`` string of another playground.
    data : (x, y), optional
        Your own points: x of shape (N, 2), y labels 0/1 (``dataset='custom'``).
    **changes
        Settings to change, e.g. ``dataset='spiral', hidden=(8, 8)``; see
        ``PlaygroundSettings`` for them all.

    Attributes
    ----------
    traits : SettingsTraits
        The settings, one trait each, linked to the controls: setting
        ``pg.traits.learning_rate = 0.1`` moves the slider and acts on the
        network, as moving the slider does.
    state : PlaygroundState
    model : Sequential
        The live engine model: ``pg.model.summary()``, ``pg.model.get_weights()``.
    settings : str
        Every setting and the seed; ``Playground.from_settings(s)`` rebuilds
        the same data, network and initial weights.

    Notes
    -----
    The output is a sigmoid, P(class 1), trained with binary cross-entropy
    (TensorFlow Playground uses a tanh output and squared error); accuracy
    is shown beside the loss. Learning rate, batch size and the penalty's
    rate act on the running network; any other setting starts it again from
    the seed.

    Examples
    --------
    >>> pg = Playground(dataset='xor', hidden=(4,), activation='relu')
    >>> pg          # press Play
    >>> pg.settings
    'data=xor&noise=0&...'
    """

    title = "Playground"
    tick_ms = TICK_MS
    cache_size = 0  # the state follows the training too, which no control holds

    def __init__(self, settings=None, data=None, **changes):
        super().__init__(figsize=(11, 4.4), dpi=80)
        self.state = PlaygroundState(settings, data=data, **changes)
        self.traits = SettingsTraits(self.state.settings, custom=self.state.data is not None)
        self.figure.set_layout_engine("none")  # fixed places: the tiles are laid out in pixels
        self.ax_net = self.figure.add_axes((0.0, 0.02, 0.5, 0.9))
        self.ax_out = self.figure.add_axes((0.53, 0.1, 0.27, 0.8))
        self.ax_loss = self.figure.add_axes((0.83, 0.45, 0.16, 0.45))
        self._build_output()
        self._build_loss()
        self._network_drawn = self._points_drawn = None  # the settings each was drawn for
        self.ui = PlaygroundControls(self)
        self.controls = self.ui.rows
        self.add_controls(show=False, recompute=False, show_test=self.ui.show_test,
                          discretize=self.ui.discretize, edges=self.ui.edges, focus=self.ui.focus)
        self.traits.observe(lambda _: self.update())  # after the controls' own observers
        self.update()

    @classmethod
    def from_settings(cls, settings, data=None):
        """A playground with the same data, network and initial weights as ``settings``
        (for ``data=custom``, pass the same points as ``data``)."""
        return cls(settings, data=data)

    @property
    def settings(self):
        """Every setting and the seed as a short string (``Playground.from_settings`` reads it)."""
        return str(self.state.settings)

    @property
    def model(self):
        """The live engine ``Sequential`` being trained."""
        return self.state.model

    @property
    def values(self):
        """The one setting ``compute`` reads: the ``PlaygroundSettings`` of ``traits``."""
        return {"settings": self.traits.record()}

    def compute(self, settings):
        """Apply ``settings`` to the running experiment and return its state.

        The live settings (learning rate, batch size, the penalty's rate) act
        on the network as it is; any other change starts it again from the
        seed (``PlaygroundState.change``).
        """
        self.state.change(**vars(settings))
        return self.state

    # -- building the picture --------------------------------------------
    def _build_output(self):
        ax = self.ax_out
        self.surface = PixelImage(ax)
        self.surface_colours = color_lookup(CLASS_CMAP, lighten=0.3)
        self.message = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center",
                               wrap=True, fontsize=10, zorder=5,
                               bbox=dict(fc="white", ec="#D55E00", alpha=0.9))
        ax.set_xlabel("x₁", labelpad=-6)
        ax.set_ylabel("x₂", labelpad=4, rotation=0)

    def _build_loss(self):
        ax = self.ax_loss
        (self.train_line,) = ax.plot([], [], color="0.55", lw=1.5)
        (self.test_line,) = ax.plot([], [], color="black", lw=1.5)
        ax.set(xlim=(0, 1), ylim=(0, 1.05), xticks=[], yticks=[])
        ax.set_title("loss: train (grey), test (black)", fontsize=9)
        labels = "epoch\ntest loss\ntrain loss\ntest acc.\ntrain acc."
        self.figure.text(0.83, 0.4, labels, va="top", fontsize=9, family="monospace")
        self.numbers = self.figure.text(0.99, 0.4, "", va="top", ha="right", fontsize=9,
                                        family="monospace")
        self.figure.text(0.83, 0.14, "binary cross-entropy;\nthe curves' top is the\n"
                         "largest loss so far", va="top", fontsize=8, color="0.35")

    def _draw_network(self):
        """The diagram: a tile per node, the edges, the input names (for new inputs or layers)."""
        settings = self.state.settings
        sizes = [len(settings.features), *settings.hidden, 1]
        self.ax_net.clear()
        names = ["in"] + [f"h{i}" for i in range(1, len(sizes) - 1)] + ["out"]
        self.drawing = draw_network(self.ax_net, sizes, layer_names=names, show_values=False)
        for scatter in self.drawing.nodes:
            scatter.set_visible(False)  # the tiles stand in for the nodes
        x0, x1 = self.ax_net.get_xlim()
        self.ax_net.set_xlim(x0 - 0.35, x1)  # room for the input names
        box = self.ax_net.get_window_extent()
        per_x = box.width / (x1 - x0 + 0.35)
        per_y = box.height / np.ptp(self.ax_net.get_ylim())
        tile = int(min(0.6 * per_x, 0.78 * per_y, 44))
        centres = np.concatenate(self.drawing.positions)
        self.mosaic = TileMosaic(self.ax_net, centres, tile, CLASS_CMAP)
        for (x, y), name in zip(self.drawing.positions[0], settings.features):
            self.ax_net.text(x - 0.6 * tile / per_x, y, FEATURES[name][0], ha="right",
                             va="center", fontsize=8)
        # Everything redrawn on a tick; the base class keeps the rest as a cached background.
        self._animated = []
        self.animate(*self.drawing.edges, self.mosaic.image, self.surface, self.message,
                     self.train_line, self.test_line, self.numbers)

    def _draw_points(self):
        """The plane's extent and the points, drawn once into layers blended over the surface."""
        state = self.state
        e = state.extent
        self.ax_out.set(xlim=(-e, e), ylim=(-e, e), xticks=[-e, 0, e], yticks=[-e, 0, e])
        self.ax_out.set_xticklabels([f"{-e:.3g}", "0", f"{e:.3g}"])
        self.ax_out.set_yticklabels([f"{-e:.3g}", "0", f"{e:.3g}"])
        fill = np.where(state.y_train[:, None] == 1, to_rgba(BLUE), to_rgba(ORANGE))
        self.train_layer = scatter_layer(self.ax_out, state.x_train, s=14, c=fill,
                                         linewidths=0.6, edgecolors="white")
        self.test_layer = scatter_layer(self.ax_out, state.x_test, s=16, facecolors="none",
                                        linewidths=1.2,
                                        edgecolors=[DARK[int(k)] for k in state.y_test])

    # -- drawing the state -----------------------------------------------
    def draw(self, state):
        """Update every changing artist from ``state``; True if still parts changed too.

        The diagram is made again only for new inputs or layers, the points
        only for new data; the titles change with the big picture and the edges.
        """
        settings = state.settings
        full = self.changed("focus", "edges")
        network = (settings.features, settings.hidden)
        if network != self._network_drawn:
            self._draw_network()
            self._network_drawn, full = network, True
        points = tuple(getattr(settings, name) for name in DATA_FIELDS)
        if points != self._points_drawn:
            self._draw_points()
            self._points_drawn, full = points, True
        surfaces = state.surfaces()
        self._draw_big_picture(surfaces)
        self._draw_nodes_and_edges(surfaces, state.model)
        self._draw_loss(state)
        self.ui.show_status()
        return full

    def _draw_big_picture(self, surfaces):
        """The output (or the chosen hidden neuron) over the plane, with the points."""
        focus = self.ui.focus.value
        if focus == "output":
            picture = surfaces["output"]
            title = "output P(class 1)"
        else:
            layer, neuron = focus
            values = surfaces["hidden"][layer]  # scaled as its layer's tiles
            picture = (_scaled(values[neuron], values) + 1) / 2
            title = f"layer {layer + 1}, neuron {neuron + 1}"
        self.ax_out.set_title(f"{title}: train ●, test ○", fontsize=10)
        if self.ui.discretize.value:
            picture = np.where(picture > 0.5, 0.85, 0.15)
        # resized as colour levels, coloured after: a quarter of the bytes to move
        levels = (np.nan_to_num(picture) * 255).astype(int)[::-1]
        pixels = self.surface_colours[nearest_resize(levels, *self.surface.shape[:2])]
        blend(pixels, self.train_layer)
        if self.ui.show_test.value:
            blend(pixels, self.test_layer)
        self.surface.set_pixels(pixels)

    def _draw_nodes_and_edges(self, surfaces, model):
        """Each node's thumbnail in the diagram, and the edges' weights (or gradients)."""
        # every step-th value, scaled by the largest of all values (the input's, or the
        # whole layer's for hidden neurons, so a layer's neurons compare)
        step = max(1, GRID_SIZE // THUMBNAIL_SAMPLES)
        tiles = [_scaled(values[None, ::step, ::step], values) for values in surfaces["inputs"]]
        tiles += [_scaled(values[:, ::step, ::step], values) for values in surfaces["hidden"]]
        tiles.append(2 * surfaces["output"][None, ::step, ::step] - 1)
        self.mosaic.show(np.concatenate(tiles))
        weights = self.ui.edges.value == "weights"
        edges = [layer.params["kernel"] if weights else layer.grads["kernel"]
                 for layer in model.layers if isinstance(layer, Dense)]
        self.ax_net.set_title("each node's output over the plane (orange -, blue +); edges: "
                              + ("weights w" if weights else "dC/dw of the last batch")
                              + " (blue +, red -)", fontsize=9)
        # thinner edges when there are many of them
        self.drawing.set_edge_values(edges, max_width=min(4.0, 14 / max(self.drawing.sizes)))

    def _draw_loss(self, state):
        """The loss curves, the numbers beside them and the divergence message."""
        history = state.history
        epochs = np.asarray(history["epoch"])
        top = max(1e-12, np.nanmax(history["loss"] + history["test_loss"]))
        x = epochs / max(epochs[-1], 1e-12)
        self.train_line.set_data(x, np.asarray(history["loss"]) / top)
        self.test_line.set_data(x, np.asarray(history["test_loss"]) / top)
        self.numbers.set_text(self.summary())
        self.message.set_text(textwrap.fill(state.diverged or "", 34))
        self.message.set_visible(bool(state.diverged))

    def summary(self):
        """Epoch, test and train loss, test and train accuracy: one line each."""
        h = self.state.history
        return "\n".join([f"{self.state.epoch:.0f}", format_number(h["test_loss"][-1], "{:.3f}"),
                          format_number(h["loss"][-1], "{:.3f}"),
                          f"{h['test_accuracy'][-1]:.0%}", f"{h['accuracy'][-1]:.0%}"])

    # -- actions -----------------------------------------------------------
    def tick(self, change=None):
        """One Play tick: train one epoch and redraw.

        Ticks come from the browser every ``tick_ms``. They do not pile up
        when the kernel is slower: the browser's widget manager sends a
        widget's next change only once the kernel has handled the last one
        (it keeps just the newest value meanwhile), so Pause stops the
        training within a tick and the picture changes as fast as the
        kernel trains and draws.
        """
        if change is not None and change["new"] <= change["old"]:
            return  # the Play's stop button rewinds it: nothing to train
        self.step()

    def step(self):
        """Train one epoch and redraw."""
        self.state.train_epoch()
        self.update(recompute=False)

    def reset(self):
        """Start again from the same seed (same data, same initial weights)."""
        self.state.reset()
        self.update(recompute=False)

    def change(self, **changes):
        """Change settings, as the controls do (they follow): ``pg.change(hidden=(8, 8))``."""
        with self.quietly():  # one update for them all
            self.traits.set_values(**changes)
        self.update()

    def describe(self):
        h = self.state.history
        return (f"Playground: epoch {self.state.epoch:.0f}, train loss "
                f"{format_number(h['loss'][-1], '{:.3f}')}, test loss "
                f"{format_number(h['test_loss'][-1], '{:.3f}')}; settings {self.settings}")


def _scaled(values, full):
    """``values`` divided by the largest |value| in ``full`` (values taken from it); nan as 0."""
    largest = np.nanmax(np.abs(full))
    with np.errstate(all="ignore"):
        return np.nan_to_num(values / (largest if largest > 0 else 1))
