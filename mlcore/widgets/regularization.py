"""Regularization explorer: an L2 penalty and dropout against over-fitting.

A small MLP is retrained on a fixed noisy 2-D toy set for each setting,
always from the same seed, so the only thing that changes is the
regularization: its decision boundary smooths out and its weights shrink.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.colors import ListedColormap

from .. import regularizers
from ..backend import seeded
from ..data.planar import toy_data
from ..layers.core import Dense, Dropout
from ..model import Sequential
from ..optimizers import Adam
from .base.view import Explorer

L2_STEPS = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1)  # the lambda slider: log steps and 0
CLASS_COLORS = ("#E69F00", "#0072B2")  # Okabe-Ito orange and blue
# P(class 1) in five bands: light orange -> white -> light blue, pale enough for the points
BOUNDARY_CMAP = ListedColormap(["#f5c87a", "#fbe6bf", "#f7f7f7", "#bcd9ee", "#7fb6de"])
WEIGHT_BINS = np.linspace(-2, 2, 41)
N_TRAIN, N_VAL = 60, 200  # few training samples: an unregularized MLP over-fits them


def build_mlp(l2=0.0, dropout=0.0, units=64):
    """Dense(units, relu) -> Dropout -> Dense(units, relu) -> Dropout -> Dense(1, sigmoid),
    with an L2 penalty ``l2 * sum(w^2)`` on every kernel (Keras' convention)."""
    if not (np.isfinite(l2) and l2 >= 0):
        raise ValueError(f"train_regularized: l2 must be a number >= 0, got {l2!r}")
    penalty = regularizers.l2(l2) if l2 > 0 else None
    return Sequential([
        Dense(units, activation="relu", kernel_regularizer=penalty, input_shape=(2,),
              name="reg_hidden_1"),
        Dropout(dropout, name="reg_dropout_1"),
        Dense(units, activation="relu", kernel_regularizer=penalty, name="reg_hidden_2"),
        Dropout(dropout, name="reg_dropout_2"),
        Dense(1, activation="sigmoid", kernel_regularizer=penalty, name="reg_output"),
    ], name="regularization_explorer")


def train_regularized(l2=0.0, dropout=0.0, seed=0, data="moons", n_train=N_TRAIN, n_val=N_VAL,
                      epochs=150, learning_rate=0.01):
    """Train the explorer's MLP on the toy set with the given regularization.

    The data (``toy_data(data, n_train + n_val, seed=seed)``, the first
    ``n_train`` samples for training), the initial weights, the shuffles and
    the dropout masks all come from ``seed``, so two calls that differ only
    in ``l2`` or ``dropout`` differ only by the regularization. The
    notebook's own random sequence is left untouched.

    Parameters
    ----------
    l2 : float, >= 0
        Penalty ``l2 * sum(w^2)`` per kernel added to the loss.
    dropout : float in [0, 1)
        Dropout rate after each hidden layer (training only).
    seed : int
    data : {'moons', 'circles'}
    n_train, n_val : int
    epochs : int
        Full-batch Adam steps (``batch_size = n_train``).
    learning_rate : float

    Returns
    -------
    model : Sequential
        Trained; compiled with binary cross-entropy and accuracy.
    history : History
        ``history.history`` has 'loss', 'accuracy', 'val_loss', 'val_accuracy'
        per epoch.
    """
    x, y = toy_data(data, n_train + n_val, seed=seed)
    with seeded(seed):
        model = build_mlp(l2, dropout)
        model.compile(Adam(learning_rate=learning_rate), "binary_crossentropy",
                      metrics=["accuracy"])
        history = model.fit(x[:n_train], y[:n_train], batch_size=n_train, epochs=epochs,
                            validation_data=(x[n_train:], y[n_train:]), verbose=0)
    return model, history


def kernel_weights(model):
    """Every kernel weight of the model's Dense layers, flattened into one array."""
    return np.concatenate([layer.params["kernel"].ravel() for layer in model.layers
                           if isinstance(layer, Dense)])


class RegularizationExplorer(Explorer):
    """Sliders for the L2 strength lambda and the dropout rate; the model retrains.

    Left: the decision boundary of the trained MLP (filled contours of its
    predicted probability of class 1, the 0.5 line in black) over the
    training points (filled) and validation points (hollow). Right: the
    histogram of all its kernel weights. Retraining takes a fraction of a
    second, so the sliders act on release (``continuous_update=False``).

    Parameters
    ----------
    l2 : float, default 0.0
        Starting lambda; the slider offers 0 and 1e-4 ... 0.1 in log steps.
    dropout : float, default 0.0
    data : {'moons', 'circles'}, default 'moons'
    seed : int, default 0
    """

    title = "Regularization explorer"

    def __init__(self, l2=0.0, dropout=0.0, data="moons", seed=0):
        super().__init__(figsize=(9, 3.8))
        self.seed = seed
        options = sorted(set(L2_STEPS) | {float(l2)})
        self.l2_slider = widgets.SelectionSlider(
            options=[(f"{v:g}", v) for v in options], value=float(l2),
            description="L2 lambda", continuous_update=False)
        self.dropout_slider = widgets.FloatSlider(value=dropout, min=0.0, max=0.8, step=0.1,
                                                  description="dropout rate",
                                                  continuous_update=False)
        self.data_picker = widgets.Dropdown(options=["moons", "circles"], value=data,
                                            description="data")
        self.controls = [widgets.HBox([self.l2_slider, self.dropout_slider, self.data_picker])]
        self.ax_boundary, self.ax_weights = self.figure.subplots(1, 2, width_ratios=[1.2, 1])
        self.grid = np.linspace(-2.0, 3.0, 90), np.linspace(-1.8, 2.2, 80)
        self.ax_boundary.set(xlim=(-2.0, 3.0), ylim=(-1.8, 2.2), xlabel="feature x₁",
                             ylabel="feature x₂")
        self.train_points = [self.ax_boundary.scatter([], [], s=22, c=color, marker=m,
                                                      edgecolors="black", linewidths=0.5,
                                                      label=f"class {k} (train)", zorder=3)
                             for k, (color, m) in enumerate(zip(CLASS_COLORS, "o^"))]
        self.val_points = [self.ax_boundary.scatter([], [], s=14, facecolors="none",
                                                    edgecolors=color, marker=m, linewidths=0.8,
                                                    alpha=0.8, zorder=2)
                           for color, m in zip(CLASS_COLORS, "o^")]
        self.ax_boundary.legend(loc="upper right", fontsize=7, framealpha=0.8)
        counts = np.zeros(len(WEIGHT_BINS) - 1)
        self.bars = self.ax_weights.bar(WEIGHT_BINS[:-1], counts, width=np.diff(WEIGHT_BINS),
                                        align="edge", color="#56B4E9", edgecolor="#0072B2")
        self.ax_weights.set(xlabel="kernel weight w (edge bins hold all beyond ±2)",
                            ylabel="number of weights", xlim=(WEIGHT_BINS[0], WEIGHT_BINS[-1]))
        self.readout = self.ax_weights.text(0.03, 0.97, "", transform=self.ax_weights.transAxes,
                                            va="top", fontsize=8, family="monospace")
        self.contours = []
        self.add_controls(show=False, l2=self.l2_slider, dropout=self.dropout_slider,
                          data=self.data_picker)
        self.update()

    def compute(self, l2, dropout, data):
        """The trained model, its history, its data and its P(class 1) on the plot's grid."""
        model, history = train_regularized(l2, dropout, self.seed, data)
        x, y = toy_data(data, N_TRAIN + N_VAL, seed=self.seed)
        g1, g2 = np.meshgrid(*self.grid)
        probability = model.predict(np.column_stack([g1.ravel(), g2.ravel()]),
                                    batch_size=g1.size).reshape(g1.shape)
        return {"model": model, "history": history.history, "x": x, "y": y,
                "probability": probability}

    def draw(self, state):
        """The boundary, the points and the weight histogram."""
        x, y = state["x"], state["y"]
        x_train, y_train, x_val, y_val = x[:N_TRAIN], y[:N_TRAIN], x[N_TRAIN:], y[N_TRAIN:]
        for k in (0, 1):
            self.train_points[k].set_offsets(x_train[y_train == k])
            self.val_points[k].set_offsets(x_val[y_val == k])
        g1, g2 = np.meshgrid(*self.grid)
        probability = state["probability"]
        for artist in self.contours:
            artist.remove()
        self.contours = [
            self.ax_boundary.contourf(g1, g2, probability, levels=[0, 0.2, 0.4, 0.6, 0.8, 1.0],
                                      cmap=BOUNDARY_CMAP, zorder=0),
            self.ax_boundary.contour(g1, g2, probability, levels=[0.5], colors="black",
                                     linewidths=1.2, zorder=1),
        ]
        weights = kernel_weights(state["model"])
        counts, _ = np.histogram(np.clip(weights, WEIGHT_BINS[0], WEIGHT_BINS[-1]), WEIGHT_BINS)
        for bar, count in zip(self.bars, counts):
            bar.set_height(count)
        self.ax_weights.set_ylim(0, counts.max() * 1.1)
        h = state["history"]
        self.readout.set_text(
            f"train accuracy {h['accuracy'][-1]:.3f}\nval accuracy   {h['val_accuracy'][-1]:.3f}\n"
            f"mean |w| {np.abs(weights).mean():.3f}\nlargest |w| {np.abs(weights).max():.2f}")
        self.ax_boundary.set_title(f"decision boundary, lambda = {self.l2_slider.value:g}, "
                                   f"dropout = {self.dropout_slider.value:.1f}", fontsize=10)
        self.ax_weights.set_title("all kernel weights", fontsize=10)
        return True

    def describe(self):
        h = self.state["history"]
        return (f"RegularizationExplorer: lambda {self.l2_slider.value:g}, dropout "
                f"{self.dropout_slider.value:.1f}: train accuracy {h['accuracy'][-1]:.3f}, "
                f"val accuracy {h['val_accuracy'][-1]:.3f}")
