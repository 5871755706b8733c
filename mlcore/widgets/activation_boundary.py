"""Why non-linearity: train the same small net with a chosen hidden activation
on a ring-shaped 2-D data set and show its decision boundary.

With ``'linear'`` hidden layers the whole network is one linear map, so its
boundary is a straight line and it cannot separate an inner disc from a ring
around it; ``'relu'`` (or tanh, sigmoid) bends the boundary around the disc.
"""
import ipywidgets as widgets
import numpy as np

from .. import backend
from ..data.planar import ring_data
from ..layers import Dense
from ..layers.base import private_layer_names
from ..model import Sequential
from ..optimizers import Adam
from .base.toolkit import BLUE, CLASS_CMAP, ORANGE
from .base.view import Explorer

ACTIVATIONS = ("linear", "relu", "tanh", "sigmoid", "leaky_relu")
MAX_UNITS = 16  # the width slider's largest value


def train_boundary(activation, x=None, y=None, hidden=(8, 8), epochs=20, learning_rate=0.05,
                   seed=0, grid_size=80, extent=1.5):
    """Train ``2 -> hidden... -> 2 (softmax)`` with ``activation`` in the hidden
    layers and evaluate it on a grid.

    Uses Adam, sparse categorical cross-entropy, batch size 20. The engine's
    global random generator is reseeded with ``seed`` for the run (same
    initial weights for every activation) and restored afterwards.

    Parameters
    ----------
    activation : str
        Hidden-layer activation, e.g. ``'linear'`` or ``'relu'``.
    x, y : arrays, optional
        Data (default ``ring_data()``): x of shape (N, 2), y class labels 0/1.
    hidden : tuple of int
        Units per hidden layer.
    grid_size : int
        The probability map has shape (grid_size, grid_size) over
        [-extent, extent]^2.

    Returns
    -------
    dict
        ``x``, ``y``; ``grid`` (grid_size,) coordinates; ``probability``
        (grid_size, grid_size), P(class 1) with rows along the second
        coordinate; ``accuracy`` and ``loss`` on the training data;
        ``model`` (the trained Sequential).
    """
    if x is None:
        x, y = ring_data()
    with backend.seeded(seed), private_layer_names():
        layers = [Dense(hidden[0], input_shape=(2,), activation=activation)]
        layers += [Dense(units, activation=activation) for units in hidden[1:]]
        model = Sequential(layers + [Dense(2, activation="softmax")])
        model.compile(Adam(learning_rate), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(x, y, batch_size=20, epochs=epochs, verbose=0)
    loss, accuracy = model.evaluate(x, y, batch_size=len(x))
    grid = np.linspace(-extent, extent, grid_size)
    points = np.stack(np.meshgrid(grid, grid), axis=-1).reshape(-1, 2)
    probability = model.predict(points, batch_size=len(points))[:, 1].reshape(grid_size, grid_size)
    return {"x": x, "y": y, "grid": grid, "probability": probability,
            "accuracy": accuracy, "loss": loss, "model": model}


def draw_boundary(ax, state, title=None, names=("disc", "ring")):
    """Draw one ``train_boundary`` result on ``ax``: P(class 1) as a background
    image, the 0.5 contour (the decision boundary) and the data.

    Colours follow the Playground: class 0 orange, class 1 blue, and the
    background runs from orange (P = 0) through white (P = 0.5) to blue (P = 1).

    Parameters
    ----------
    names : (str, str)
        What classes 0 and 1 are, for the legend (default: ``ring_data``'s
        disc and ring).

    Returns
    -------
    (AxesImage, ContourSet or None)
        None when P never crosses 0.5 on the grid (everything one class).
    """
    grid = state["grid"]
    image = ax.imshow(state["probability"], origin="lower", cmap=CLASS_CMAP, vmin=0, vmax=1,
                      extent=(grid[0], grid[-1], grid[0], grid[-1]), alpha=0.7)
    boundary = _contour(ax, state)
    x, y = state["x"], state["y"]
    ax.scatter(*x[y == 0].T, s=12, marker="o", color=ORANGE, edgecolor="k", lw=0.3,
               label=f"class 0 ({names[0]})")
    ax.scatter(*x[y == 1].T, s=14, marker="^", color=BLUE, edgecolor="k", lw=0.3,
               label=f"class 1 ({names[1]})")
    ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    if title is not None:
        ax.set_title(title, fontsize=10)
    return image, boundary


def _contour(ax, state):
    p = state["probability"]
    if p.min() >= 0.5 or p.max() <= 0.5:
        return None
    return ax.contour(state["grid"], state["grid"], p, levels=[0.5], colors="k", linewidths=1.5)


class ActivationBoundaryExplorer(Explorer):
    """Pick the hidden activation and the width of the two hidden layers; the
    net retrains (about 0.3 s, each setting once) and redraws its boundary.

    Parameters
    ----------
    activation : str, default 'linear'
    units : int, default 8
        Nodes in each of the two hidden layers (slider 1 to 16).
    """

    title = "Activation vs decision boundary"
    cache_size = len(ACTIVATIONS) * MAX_UNITS  # every setting trains once

    def __init__(self, activation="linear", units=8):
        super().__init__(figsize=(5.6, 4.8))
        self.picker = widgets.Dropdown(options=ACTIVATIONS, value=activation,
                                       description="hidden act.")
        self.units_slider = widgets.IntSlider(value=units, min=1, max=MAX_UNITS,
                                              description="hidden units",
                                              continuous_update=False)
        self.controls = [widgets.HBox([self.picker, self.units_slider])]
        # the figure is narrower than the controls: keep its own size instead of stretching
        self.ax = self.figure.subplots()
        self.data = ring_data()
        self.add_controls(show=False, activation=self.picker, units=self.units_slider)
        self._image, self._boundary = draw_boundary(self.ax, self.cached_compute(**self.values))
        self.ax.legend(loc="upper right", fontsize=7)
        self.update()

    def compute(self, activation, units):
        """The net trained with this hidden activation and width."""
        return train_boundary(activation, *self.data, hidden=(units, units))

    def draw(self, state):
        self._image.set_data(state["probability"])
        if self._boundary is not None:
            self._boundary.remove()
        self._boundary = _contour(self.ax, state)
        self.ax.set_title(f"'{self.picker.value}', 2 x {self.units_slider.value} hidden units: "
                          f"training accuracy {state['accuracy']:.0%}", fontsize=10)
        return True

    def describe(self):
        state = self.state
        return (f"ActivationBoundaryExplorer: hidden activation {self.picker.value!r}, "
                f"2 x {self.units_slider.value} hidden units, training accuracy {state['accuracy']:.0%}")
