"""The Playground view: watch a small network learn a 2-D data set, and steer it.

Left, the network: every input feature, hidden neuron and the output drawn
as a small picture of its value over the plane, edges coloured by the sign
of their weight and as thick as its size. Middle, the output P(class 1) over
the plane with the training points (filled) and test points (rings). Right,
the train and test loss. Play advances one epoch per tick of an
``ipywidgets.Play`` in the browser, so the cell returns at once and Pause
stops it within a tick; the state lives in ``playground.PlaygroundState``.
"""
import textwrap
import time

import numpy as np
from matplotlib.colors import to_rgba

from ..layers.core import Dense
from .base.diagram import draw_network
from .playground import PlaygroundState
from .playground_controls import PlaygroundControls
from .playground_settings import FEATURES
from .base.toolkit import (BLUE, CLASS_CMAP, ORANGE, PixelImage, TileMosaic, blend, color_lookup,
                      format_number, nearest_resize, scatter_layer)
from .base.view import WidgetView

TICK_MS = 50            # the Play widget's interval: at most 20 ticks a second
THUMBNAIL_SAMPLES = 25  # each node's picture samples its surface on a 25 x 25 grid
DARK = {0: "#8a5a00", 1: "#003d66"}  # rings of the test points, darker than the fill


class Playground(WidgetView):
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

    def __init__(self, settings=None, data=None, **changes):
        super().__init__(figsize=(11, 4.4), dpi=80)
        self.state = PlaygroundState(settings, data=data, **changes)
        self.figure.set_layout_engine("none")  # fixed places: the tiles are laid out in pixels
        self.ax_net = self.figure.add_axes((0.0, 0.02, 0.5, 0.9))
        self.ax_out = self.figure.add_axes((0.53, 0.1, 0.27, 0.8))
        self.ax_loss = self.figure.add_axes((0.83, 0.45, 0.16, 0.45))
        self._build_output()
        self._build_loss()
        self._last_tick_end = 0.0
        self.ui = PlaygroundControls(self)
        self.controls = self.ui.rows
        self.rebuild()

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

    def rebuild(self):
        """Draw the network diagram and the points afresh (after a restart)."""
        state = self.state
        sizes = [len(state.settings.features), *state.settings.hidden, 1]
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
        for (x, y), name in zip(self.drawing.positions[0], state.settings.features):
            self.ax_net.text(x - 0.6 * tile / per_x, y, FEATURES[name][0], ha="right",
                             va="center", fontsize=8)
        e = state.extent
        self.ax_out.set(xlim=(-e, e), ylim=(-e, e), xticks=[-e, 0, e], yticks=[-e, 0, e])
        self.ax_out.set_xticklabels([f"{-e:.3g}", "0", f"{e:.3g}"])
        self.ax_out.set_yticklabels([f"{-e:.3g}", "0", f"{e:.3g}"])
        # The points change only here: drawn once into layers blended over the surface
        fill = np.where(state.y_train[:, None] == 1, to_rgba(BLUE), to_rgba(ORANGE))
        self.train_layer = scatter_layer(self.ax_out, state.x_train, s=14, c=fill,
                                         linewidths=0.6, edgecolors="white")
        self.test_layer = scatter_layer(self.ax_out, state.x_test, s=16, facecolors="none",
                                        linewidths=1.2,
                                        edgecolors=[DARK[int(k)] for k in state.y_test])
        # Everything redrawn on a tick; the base class keeps the rest as a cached background.
        self._animated = []
        self.animate(*self.drawing.edges, self.mosaic.image, self.surface, self.message,
                     self.train_line, self.test_line, self.numbers)
        self.draw()
        self.refresh(full=True)

    # -- drawing the state -----------------------------------------------
    def draw(self):
        """Update every changing artist from the state (no refresh)."""
        state = self.state
        surfaces = state.surfaces()
        hidden = [_scaled(layer, shared=True) for layer in surfaces["hidden"]]
        focus = self.ui.focus.value  # the big picture: the output, or one hidden neuron
        if focus != "output" and not (focus[0] < len(hidden) and focus[1] < len(hidden[focus[0]])):
            focus = "output"  # that neuron was just removed (the menu follows)
        if focus == "output":
            picture = surfaces["output"]
            title = "output P(class 1)"
        else:
            layer, neuron = focus
            picture = (hidden[layer][neuron] + 1) / 2
            title = f"layer {layer + 1}, neuron {neuron + 1}"
        self.ax_out.set_title(f"{title}: train ●, test ○", fontsize=10)
        if self.ui.discretize.value:
            picture = np.where(picture > 0.5, 0.85, 0.15)
        colours = self.surface_colours[(np.nan_to_num(picture) * 255).astype(int)[::-1]]
        pixels = nearest_resize(colours, *self.surface.shape[:2])
        blend(pixels, self.train_layer)
        if self.ui.show_test.value:
            blend(pixels, self.test_layer)
        self.surface.set_pixels(pixels)
        tiles = [_scaled(values) for values in surfaces["inputs"]]
        tiles += [v for layer in hidden for v in layer]
        tiles.append(2 * surfaces["output"] - 1)
        step = max(1, len(picture) // THUMBNAIL_SAMPLES)
        self.mosaic.show(np.stack(tiles)[:, ::step, ::step])
        weights = self.ui.edges.value == "weights"
        edges = [layer.params["kernel"] if weights else layer.grads["kernel"]
                 for layer in state.model.layers if isinstance(layer, Dense)]
        self.ax_net.set_title("each node's output over the plane (orange -, blue +); edges: "
                              + ("weights w" if weights else "dC/dw of the last batch")
                              + " (blue +, red -)", fontsize=9)
        # thinner edges when there are many of them
        self.drawing.set_edge_values(edges, max_width=min(4.0, 14 / max(self.drawing.sizes)))
        history = state.history
        epochs = np.asarray(history["epoch"])
        top = max(1e-12, np.nanmax(history["loss"] + history["test_loss"]))
        x = epochs / max(epochs[-1], 1e-12)
        self.train_line.set_data(x, np.asarray(history["loss"]) / top)
        self.test_line.set_data(x, np.asarray(history["test_loss"]) / top)
        self.numbers.set_text(self.summary())
        self.message.set_text(textwrap.fill(state.diverged or "", 34))
        self.message.set_visible(bool(state.diverged))
        self.ui.show_status()

    def summary(self):
        """Epoch, test and train loss, test and train accuracy: one line each."""
        h = self.state.history
        return "\n".join([f"{self.state.epoch:.0f}", format_number(h["test_loss"][-1], "{:.3f}"),
                          format_number(h["loss"][-1], "{:.3f}"),
                          f"{h['test_accuracy'][-1]:.0%}", f"{h['accuracy'][-1]:.0%}"])

    def update(self, full=False):
        """Redraw the state; ``full`` after changing non-animated artists (titles)."""
        self.draw()
        self.refresh(full=full)

    # -- actions -----------------------------------------------------------
    def tick(self, change=None):
        """One Play tick: train one epoch and redraw (skipped while ticks are queued up).

        Ticks come from the browser every ``tick_ms``; when the kernel falls
        behind they queue up, and one arriving right after the last one
        finished is such a queued tick: skipping it keeps Pause immediate.
        """
        if change is not None and change["new"] <= change["old"]:
            return  # the Play's stop button rewinds it: nothing to train
        queued = time.perf_counter() - self._last_tick_end < 0.1 * self.tick_ms / 1000
        if change is not None and queued:
            return
        self.step()
        self._last_tick_end = time.perf_counter()

    def step(self):
        """Train one epoch and redraw."""
        self.state.train_epoch()
        self.update()

    def reset(self):
        """Start again from the same seed (same data, same initial weights)."""
        self.state.reset()
        self.update()

    def change(self, **changes):
        """Change settings (as the controls do): a restart redraws the diagram."""
        if self.state.change(**changes):
            self.rebuild()
        else:
            self.update()
        self.ui.sync()

    def describe(self):
        h = self.state.history
        return (f"Playground: epoch {self.state.epoch:.0f}, train loss "
                f"{format_number(h['loss'][-1], '{:.3f}')}, test loss "
                f"{format_number(h['test_loss'][-1], '{:.3f}')}; settings {self.settings}")


def _scaled(values, shared=False):
    """Values divided by their largest |value| (per array, or one for the whole stack)."""
    axes = None if shared else tuple(range(values.ndim))
    largest = np.nanmax(np.abs(values), axis=axes, keepdims=True)
    with np.errstate(all="ignore"):
        return np.nan_to_num(values / np.where(largest > 0, largest, 1))
