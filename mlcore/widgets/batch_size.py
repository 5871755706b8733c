"""Batch-size explorer: the same number of weight updates with different batch sizes.

Batch size 1 is stochastic gradient descent (one sample per update), batch
size N is batch gradient descent (the whole training set per update), and
anything in between is mini-batch gradient descent. Each update's gradient
is an estimate from the batch; the smaller the batch, the noisier the
estimate, and the noisier the loss curve.
"""
import ipywidgets as widgets
import numpy as np

from .. import backend
from ..arguments import check_int
from ..layers import Dense
from ..layers.base import private_layer_names
from ..model import Sequential
from ..optimizers import SGD
from .base.toolkit import BLUE, ORANGE
from .base.view import Explorer


def gradient_descent_kind(batch_size, n_samples):
    """Name the variant: 'stochastic', 'mini-batch' or 'batch' gradient descent."""
    if batch_size == 1:
        return "stochastic gradient descent"
    if batch_size >= n_samples:
        return "batch gradient descent"
    return "mini-batch gradient descent"


def batch_size_run(x, y, batch_size, updates=200, learning_rate=0.3, hidden=8, seed=0):
    """Train a small classifier for a fixed number of updates and record the losses.

    A ``Dense(hidden, relu) -> Dense(n_classes, softmax)`` model (weights
    from ``seed``, identical for every batch size) is trained with plain SGD
    and sparse categorical cross-entropy. Each update uses ``batch_size``
    samples drawn without replacement from a shuffled pass over the data; a
    new pass (epoch) starts when fewer than ``batch_size`` samples are left.
    The engine's global random generator is left as it was.

    Parameters
    ----------
    x : array, shape (N, d)
    y : array of int, shape (N,)
        Class labels 0 .. n_classes - 1.
    batch_size : int in [1, N]
    updates : int
        Number of weight updates.
    learning_rate : float
    hidden : int
    seed : int

    Returns
    -------
    dict
        ``batch_loss`` (updates,): the loss on each update's own batch (what
        the optimizer sees); ``full_loss`` (updates + 1,): the loss on all N
        samples before training and after each update; ``epochs``: the
        number of passes over the data those updates took; ``kind``;
        ``diverged``: True if the loss stopped being finite (the curves then
        end early).
    """
    x = np.asarray(x)
    y = np.asarray(y)
    n = len(x)
    check_int("batch_size_run", "batch_size", batch_size, 1, n)
    with backend.seeded(seed), private_layer_names():
        model = Sequential([Dense(hidden, input_shape=x.shape[1:], activation="relu"),
                            Dense(int(y.max()) + 1, activation="softmax")])
        model.compile(SGD(learning_rate=learning_rate), loss="sparse_categorical_crossentropy")
        shuffler = np.random.default_rng(seed)
        order, position, passes = shuffler.permutation(n), 0, 1
        batch_loss, full_loss = [], [model.evaluate(x, y, batch_size=n)]
        for _ in range(updates):
            if position + batch_size > n:
                order, position, passes = shuffler.permutation(n), 0, passes + 1
            index = order[position:position + batch_size]
            position += batch_size
            logs = model.train_on_batch(x[index], y[index])
            after = model.evaluate(x, y, batch_size=n) if logs is not None else np.nan
            if logs is None or not np.isfinite(after):
                break
            batch_loss.append(logs["loss"])
            full_loss.append(after)
    return {"batch_loss": np.array(batch_loss), "full_loss": np.array(full_loss),
            "epochs": updates * batch_size / n, "passes": passes,
            "kind": gradient_descent_kind(batch_size, n),
            "diverged": len(batch_loss) < updates}


class BatchSizeExplorer(Explorer):
    """A batch-size slider: noisy (small batches) vs smooth (large batches) loss curves.

    Parameters
    ----------
    x, y : arrays, optional
        Training data (class labels in ``y``). Default: 200 samples of the
        drug-trial data (``mlcore.data.side_effects_data``), ages scaled to [0, 1].
    batch_size : int, default 1
    updates : int, default 200
    learning_rate : float, default 0.3
    """

    title = "Batch-size explorer"

    def __init__(self, x=None, y=None, batch_size=1, updates=200, learning_rate=0.3):
        super().__init__(figsize=(9, 3.2))
        if x is None:
            x, y = default_data()
        self.x, self.y = np.asarray(x), np.asarray(y)
        self.updates, self.learning_rate = updates, learning_rate
        n = len(self.x)
        sizes = sorted({s for s in (1, 2, 5, 10, 20, 50, 100) if s < n} | {n})
        self.slider = widgets.SelectionSlider(options=sizes, value=batch_size,
                                              description="batch size", continuous_update=False)
        self.ax = self.figure.subplots()
        steps = np.arange(updates + 1)
        self.batch_line, = self.ax.plot(steps[1:], np.full(updates, np.nan), color=ORANGE,
                                        lw=0.8, label="loss on each update's batch")
        self.full_line, = self.ax.plot(steps, np.full(updates + 1, np.nan), color=BLUE,
                                       lw=2, label="loss on the whole training set")
        self.ax.set(xlabel="weight update", ylabel="cross-entropy loss", xlim=(0, updates))
        self.ax.legend(loc="upper right", fontsize=8)
        self.add_controls(batch_size=self.slider)
        self.update()

    def compute(self, batch_size):
        """The run for this batch size (each size trains once: the memo holds every option)."""
        return batch_size_run(self.x, self.y, batch_size, self.updates, self.learning_rate)

    def draw(self, run):
        done = len(run["batch_loss"])
        batch = np.full(self.updates, np.nan)
        batch[:done] = run["batch_loss"]
        full = np.full(self.updates + 1, np.nan)
        full[:done + 1] = run["full_loss"]
        self.batch_line.set_ydata(batch)
        self.full_line.set_ydata(full)
        top = np.nanmax(np.concatenate([batch, full])) if done else 1.0
        self.ax.set_ylim(0, min(top, 3.0) * 1.05)
        status = " - diverged" if run["diverged"] else ""
        self.ax.set_title(f"batch size {self.slider.value}: {run['kind']}, "
                          f"{self.updates} updates = {run['epochs']:.1f} epochs{status}", fontsize=10)
        return True

    def describe(self):
        run = self.state
        return (f"BatchSizeExplorer: batch size {self.slider.value} ({run['kind']}), "
                f"whole-set loss {run['full_loss'][0]:.3f} -> {run['full_loss'][-1]:.3f} "
                f"after {len(run['batch_loss'])} updates")


def default_data(n=200, seed=0):
    """``n`` samples of the drug-trial data, ages min-max scaled to [0, 1], shape (n, 1)."""
    from .. import data

    ages, labels = data.side_effects_data(n, seed=seed)
    return data.minmax_scale(ages.reshape(-1, 1)).values, labels
