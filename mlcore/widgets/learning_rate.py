"""Learning-rate explorer: one rate of a sweep, its learning curves beside the range test.

A learning-rate range test (chapter 14) gives the loss of one batch per rate
while the rate grows; it does not say how a whole run at one of those rates
goes. This explorer trains the same small classifier (same initial weights,
same batches) at the rate a slider picks and shows its training loss batch by
batch, its validation loss after each epoch, and how many of its hidden relu
units have died (output 0 for every validation sample): the cost of a large
rate that the loss alone can hide.
"""
import ipywidgets as widgets
import numpy as np

from .. import backend
from ..arguments import check_int, check_number
from ..layers import Dense
from ..layers.base import private_layer_names
from ..model import Sequential
from ..optimizers import Adam
from ..training.callbacks import LambdaCallback
from .base.toolkit import BLUE, NEUTRAL, OKABE_ITO
from .base.view import Explorer

VERMILLION = OKABE_ITO[5]  # validation, as in chapter 14's figures


def learning_rate_run(x, y, x_val, y_val, learning_rate, epochs=3, hidden=64, batch_size=50,
                      seed=0):
    """Train ``Dense(hidden, relu) -> Dense(classes, softmax)`` with Adam at one rate.

    The weights and the order of the batches come from ``seed`` alone, so runs
    at different rates differ only in the rate; the engine's global random
    generator is left as it was.

    Parameters
    ----------
    x, x_val : arrays, shape (N, d) and (M, d)
    y, y_val : arrays of int, class labels 0 .. classes - 1
    learning_rate : float > 0
    epochs, hidden, batch_size, seed : int

    Returns
    -------
    dict
        ``batch_loss`` (steps,): the training loss of every batch; ``loss`` and
        ``val_loss`` (epochs,): per epoch; ``dead`` float: the fraction of
        hidden units whose relu is 0 for every validation sample;
        ``steps_per_epoch`` int.
    """
    x, y, x_val, y_val = (np.asarray(a) for a in (x, y, x_val, y_val))
    check_number("learning_rate_run", "learning_rate", learning_rate, 0, include_low=False)
    check_int("learning_rate_run", "epochs", epochs, 1)
    classes = int(max(y.max(), y_val.max())) + 1
    batch_losses = []
    record = LambdaCallback(on_train_batch_end=lambda n, logs: batch_losses.append(logs["loss"]))
    with backend.seeded(seed), private_layer_names(), np.errstate(all="ignore"):
        model = Sequential([Dense(hidden, input_shape=x.shape[1:], activation="relu"),
                            Dense(classes, activation="softmax")])
        model.compile(Adam(learning_rate=learning_rate), loss="sparse_categorical_crossentropy")
        history = model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0,
                            validation_data=(x_val, y_val), callbacks=[record]).history
        relu = model.activations(x_val)[0]
    return {"batch_loss": np.array(batch_losses), "loss": np.array(history["loss"]),
            "val_loss": np.array(history["val_loss"]),
            "dead": float(np.mean((relu == 0).all(axis=0))),
            "steps_per_epoch": -(-len(x) // batch_size)}


class LearningRateExplorer(Explorer):
    """A learning-rate slider over whole training runs, beside the range test.

    Parameters
    ----------
    x, y, x_val, y_val : arrays
        Training and validation data (class labels in ``y``, ``y_val``).
    rates : sequence of float
        The slider's positions.
    rate : float, optional
        Where the slider starts (default: the first of ``rates``).
    range_test : (rates, losses), optional
        A range test's rates and smoothed losses, drawn on the left with a line at
        the slider's rate. Without it only the learning curves are shown.
    epochs, hidden, batch_size, seed : int
        Passed to :func:`learning_rate_run`.
    """

    title = "Learning-rate explorer"

    def __init__(self, x, y, x_val, y_val, rates, rate=None, range_test=None, epochs=3,
                 hidden=64, batch_size=50, seed=0):
        super().__init__(figsize=(10, 3.4))
        rates = [float(r) for r in rates]
        if not rates or min(rates) <= 0:
            raise ValueError(f"LearningRateExplorer: rates must be positive numbers, got {rates}")
        rate = rates[0] if rate is None else float(rate)
        if rate not in rates:
            raise ValueError(f"LearningRateExplorer: rate must be one of rates {rates}, got {rate}")
        self.data = tuple(np.asarray(a) for a in (x, y, x_val, y_val))
        self.settings = dict(epochs=epochs, hidden=hidden, batch_size=batch_size, seed=seed)
        self.slider = widgets.SelectionSlider(options=[(f"{r:g}", r) for r in rates], value=rate,
                                              description="learning rate", continuous_update=False)
        if range_test is None:
            self.range_ax, self.ax = None, self.figure.subplots()
        else:
            self.range_ax, self.ax = self.figure.subplots(1, 2)
            self.range_ax.plot(*range_test, color=BLUE, lw=1.5)
            self.marker = self.range_ax.axvline(rate, color=VERMILLION, lw=2)
            self.range_ax.set(xscale="log", xlabel="learning rate (log scale)",
                              ylabel="loss of one batch (smoothed)", title="range test")
        self.batch_line, = self.ax.plot([], [], color=BLUE, lw=0.7, label="training (each batch)")
        self.val_line, = self.ax.plot([], [], "s", color=VERMILLION, ms=5, label="validation (each epoch)")
        classes = int(max(self.data[1].max(), self.data[3].max())) + 1
        self.ax.axhline(np.log(classes), color=NEUTRAL, ls="--", lw=1, label=f"ln {classes}")
        self.ax.set(xlabel="epoch", ylabel="loss", xlim=(0, epochs), ylim=(0, 3))
        self.ax.legend(loc="upper right", fontsize=8)
        self.add_controls(rate=self.slider)
        self.update()

    def compute(self, rate):
        """The run at this rate (each rate trains once: the memo keeps every position)."""
        return learning_rate_run(*self.data, rate, **self.settings)

    def draw(self, run):
        steps = len(run["batch_loss"])
        self.batch_line.set_data(np.arange(1, steps + 1) / run["steps_per_epoch"], run["batch_loss"])
        self.val_line.set_data(np.arange(1, len(run["val_loss"]) + 1), run["val_loss"])
        if self.range_ax is not None:
            self.marker.set_xdata([self.slider.value] * 2)
        self.ax.set_title(f"rate {self.slider.value:g}: validation loss {run['val_loss'][-1]:.2f}, "
                          f"{100 * run['dead']:.0f} % of hidden units dead", fontsize=10)
        return True

    def describe(self):
        run = self.state
        return (f"LearningRateExplorer: rate {self.slider.value:g}, validation loss "
                f"{run['val_loss'][-1]:.3f} after {len(run['val_loss'])} epochs, "
                f"{100 * run['dead']:.0f} % of hidden units dead")
