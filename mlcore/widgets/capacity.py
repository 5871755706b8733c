"""Capacity explorer: model size and training-set size against train/validation curves.

A one-hidden-layer network ``Dense(units, relu) -> Dense(10, softmax)`` is
trained on the first ``n_train`` training digits and scored on a fixed
validation set after every epoch. A few hidden units under-fit (both curves
stay bad); many units on few samples over-fit (training accuracy near 100 %,
validation far behind, validation loss turning up); more data closes the gap.

To keep one retrain under about half a second, the explorer works on digits
averaged down to 14x14 pixels (196 inputs) and caches every result.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import backend
from ..layers import Dense, Dropout
from ..layers.base import private_layer_names
from ..model import Sequential
from ..optimizers import Adam
from .base.toolkit import BLUE, ORANGE
from .base.view import Explorer

UNIT_CHOICES = (1, 2, 4, 8, 16, 32, 64, 128)
SAMPLE_CHOICES = (50, 100, 200, 500, 1000)
UNDERFIT_ACCURACY = 0.8   # below this on its own training set: under-fitting
OVERFIT_GAP = 0.1         # train minus validation accuracy above this: over-fitting
OVERFIT_RISE = 0.1        # or validation loss 10 % above its best epoch


def diagnose(history):
    """Read a training history the way the chapter teaches.

    Parameters
    ----------
    history : dict
        Lists per epoch under 'loss', 'accuracy', 'val_loss', 'val_accuracy'.

    Returns
    -------
    str
        ``'under-fitting'`` if the final training accuracy is below 0.8;
        else ``'over-fitting'`` if training accuracy beats validation accuracy
        by more than 0.1 or the validation loss ended more than 10 % above its
        minimum; else ``'good fit'``. (Rules of thumb for this data, not laws.)
    """
    train_acc, val_acc = history["accuracy"][-1], history["val_accuracy"][-1]
    val_loss = np.asarray(history["val_loss"])
    if train_acc < UNDERFIT_ACCURACY:
        return "under-fitting"
    if train_acc - val_acc > OVERFIT_GAP or val_loss[-1] > (1 + OVERFIT_RISE) * val_loss.min():
        return "over-fitting"
    return "good fit"


def capacity_curves(x_train, y_train, x_val, y_val, units, n_train, epochs=20,
                    learning_rate=3e-3, seed=0, dropout=0.0):
    """Train a one-hidden-layer classifier and return its per-epoch curves.

    Draws its random numbers from a generator seeded with ``seed`` (then puts
    the engine's generator back), so the same settings give the same curves
    and calling it never changes the random numbers a notebook draws next.

    Parameters
    ----------
    x_train : array, shape (N, d)
        Flattened samples; the first ``n_train`` are used.
    y_train : int array, shape (N,)
        Class labels 0-9.
    x_val, y_val : arrays, shapes (M, d), (M,)
        Validation samples, never trained on.
    units : int
        Hidden nodes (model size).
    n_train : int
        Training samples used, <= N.
    epochs : int
    learning_rate : float
        Adam's step size.
    seed : int
        Seed of the initial weights, the batch order and the dropout masks.
    dropout : float in [0, 1), default 0
        If above 0, a ``Dropout(dropout)`` layer follows the hidden layer.

    Returns
    -------
    dict
        'loss', 'accuracy', 'val_loss', 'val_accuracy' (arrays, one value per
        epoch), 'params' (learnable parameters) and 'verdict' (``diagnose``).
    """
    if not 1 <= n_train <= len(x_train):
        raise ValueError(f"capacity_curves: n_train must be in [1, {len(x_train)}], got {n_train!r}")
    with backend.seeded(seed), private_layer_names():
        hidden = [Dense(units, input_shape=x_train.shape[1:], activation="relu")]
        if dropout:
            hidden.append(Dropout(dropout))
        model = Sequential(hidden + [Dense(10, activation="softmax")])
        model.compile(Adam(learning_rate=learning_rate), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        history = model.fit(x_train[:n_train], y_train[:n_train], batch_size=32, epochs=epochs,
                            validation_data=(x_val, y_val), verbose=0).history
    curves = {key: np.asarray(values) for key, values in history.items()}
    curves["params"] = model.count_params()
    curves["verdict"] = diagnose(history)
    return curves


def downsample(images):
    """Average 2x2 pixel blocks: (N, 28, 28) -> (N, 196) flattened 14x14 images."""
    n, h, w = images.shape
    return images.reshape(n, h // 2, 2, w // 2, 2).mean(axis=(2, 4)).reshape(n, -1)


def _default_data():
    from .. import data  # loaded lazily: the widget also works on any arrays you pass

    (x_train, y_train), (x_val, y_val) = data.load_mnist(validation_split=0.2, normalize=True)
    return downsample(x_train[:1000]), y_train[:1000], downsample(x_val), y_val


class CapacityExplorer(Explorer):
    """Sliders for hidden units and training samples; train vs validation curves.

    Parameters
    ----------
    units : int, default 128
        Starting model size (one of ``UNIT_CHOICES``; at most 128 keeps the
        largest retrain, 1,000 samples for 20 epochs, near 0.3 s of CPU).
    n_train : int, default 100
        Starting number of training samples (one of ``SAMPLE_CHOICES``).
    data : tuple (x_train, y_train, x_val, y_val), optional
        Flattened samples and labels; defaults to MNIST-5k digits at 14x14
        (1,000 for training, a stratified 1,000 for validation).
    epochs : int, default 20
    """

    title = "Capacity explorer"
    cache_size = len(UNIT_CHOICES) * len(SAMPLE_CHOICES)  # every setting trains once

    def __init__(self, units=128, n_train=100, data=None, epochs=20):
        super().__init__(figsize=(10, 3.4))
        self.data = _default_data() if data is None else data
        self.epochs = epochs
        samples = [n for n in SAMPLE_CHOICES if n <= len(self.data[0])]
        self.units_slider = widgets.SelectionSlider(
            options=list(UNIT_CHOICES), value=units, description="hidden units",
            continuous_update=False, style={"description_width": "initial"})
        self.samples_slider = widgets.SelectionSlider(
            options=samples, value=n_train, description="training samples",
            continuous_update=False, style={"description_width": "initial"})
        self.controls = [widgets.HBox([self.units_slider, self.samples_slider])]
        self.ax_loss, self.ax_acc = self.figure.subplots(1, 2)
        epochs_axis = np.arange(1, epochs + 1)
        self.lines = {
            "loss": self.ax_loss.plot(epochs_axis, np.zeros(epochs), color=BLUE, label="training")[0],
            "val_loss": self.ax_loss.plot(epochs_axis, np.zeros(epochs), color=ORANGE, ls="--",
                                          label="validation")[0],
            "accuracy": self.ax_acc.plot(epochs_axis, np.zeros(epochs), color=BLUE, label="training")[0],
            "val_accuracy": self.ax_acc.plot(epochs_axis, np.zeros(epochs), color=ORANGE, ls="--",
                                             label="validation")[0],
        }
        self.ax_loss.set(xlabel="epoch", ylabel="loss (cross-entropy)", xlim=(1, epochs), ylim=(0, 2.5))
        self.ax_acc.set(xlabel="epoch", ylabel="accuracy", xlim=(1, epochs), ylim=(0, 1.02))
        for ax in (self.ax_loss, self.ax_acc):   # epochs are whole numbers
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        self.ax_loss.legend(loc="upper right", fontsize=8)
        self.ax_acc.legend(loc="lower right", fontsize=8)
        self.verdict = self.figure.suptitle("", fontsize=10)
        self.animate(*self.lines.values(), self.verdict)
        self.add_controls(show=False, units=self.units_slider, n_train=self.samples_slider)
        self.update()

    def compute(self, units, n_train):
        """The curves of one training run (each setting trains once: see ``cache_size``)."""
        return capacity_curves(*self.data, units=units, n_train=n_train, epochs=self.epochs)

    def draw(self, curves):
        for key, line in self.lines.items():
            line.set_ydata(np.clip(curves[key], 0, 2.5))
        self.verdict.set_text(self.describe())

    def describe(self):
        c = self.state
        return (f"{self.units_slider.value} hidden units ({c['params']:,} params), "
                f"{self.samples_slider.value} training samples: train acc {c['accuracy'][-1]:.2f}, "
                f"val acc {c['val_accuracy'][-1]:.2f} -> {c['verdict']}")
