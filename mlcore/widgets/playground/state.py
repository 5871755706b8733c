"""Live training of a small network on 2-D data: the Playground's state, without Jupyter.

``PlaygroundState`` holds one experiment (``PlaygroundSettings``): the data,
the input features, an engine ``Sequential`` and its training so far.
``step(n)`` makes n weight updates with ``model.train_on_batch`` (the engine's
own step); ``surfaces()`` evaluates the output and every hidden neuron on a
grid over the plane with ONE batched forward pass. The view
(``view.Playground``) only draws this state.

Unlike TensorFlow Playground (tanh output, squared error), the output here is
a sigmoid giving P(class 1), trained with binary cross-entropy, and accuracy
is reported beside the loss.
"""
import warnings

import numpy as np

from ... import backend, regularizers
from ...data.planar import make_planar
from ...initializers import RandomNormal
from ...layers.core import Dense, Dropout
from ...model import DivergenceWarning, Sequential
from ...optimizers import SGD, Adam
from .settings import (FEATURES, LIVE, MAX_LAYERS, MAX_NEURONS, NEEDS_POINTS,
                       PlaygroundSettings)

GRID_SIZE = 100      # the surfaces are GRID_SIZE x GRID_SIZE, as Playground's heatmap
EXTENT = 6.0         # ... over [-EXTENT, EXTENT]^2
WEIGHT_LIMIT = 1e4   # a |w| beyond this counts as exploded weights: training pauses
LOSS_GROWTH = 2.0    # ... and so does a loss (without penalty) above 2 x its start + 1


def feature_map(points, features):
    """The network's inputs for points of the plane.

    Parameters
    ----------
    points : array, shape (N, 2)
        (x₁, x₂) per row.
    features : sequence of str
        Names from ``FEATURES`` (x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2).

    Returns
    -------
    array of float32, shape (N, len(features))
        Column k is feature k, e.g. x₁² for 'x1sq'.
    """
    x1, x2 = np.asarray(points, dtype=np.float64).T
    return np.column_stack([FEATURES[name][1](x1, x2) for name in features]).astype(np.float32)


def grid_points(size=GRID_SIZE, extent=EXTENT):
    """The grid the surfaces are computed on: shape (size * size, 2).

    Row ``i * size + j`` is the point (x₁ = g[j], x₂ = g[i]) with
    ``g = linspace(-extent, extent, size)``, so a surface reshaped to
    (size, size) is an image with x₂ growing with the row (``origin='lower'``).
    """
    g = np.linspace(-extent, extent, size)
    return np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)


def build_network(settings):
    """The compiled engine model for ``settings`` (weights drawn from the engine's generator).

    ``Dense(n, activation)`` per hidden layer (each followed by ``Dropout`` if
    the rate is > 0), then ``Dense(1, 'sigmoid')``; binary cross-entropy and
    accuracy. A penalty (L1 or L2) is one shared regularizer on every kernel,
    so its rate can be changed while training.
    """
    if settings.initializer == "random_normal":
        initializer = RandomNormal(stddev=settings.init_std)
    else:
        initializer = settings.initializer
    penalty = {"none": None, "l1": regularizers.l1, "l2": regularizers.l2}[settings.regularization]
    penalty = penalty and penalty(settings.regularization_rate)
    layers, n_in = [], len(settings.features)
    for i, units in enumerate(settings.hidden, start=1):
        layers.append(Dense(units, activation=settings.activation, kernel_initializer=initializer,
                            kernel_regularizer=penalty, input_shape=(n_in,) if i == 1 else None,
                            name=f"hidden_{i}"))
        if settings.dropout > 0:
            layers.append(Dropout(settings.dropout, name=f"dropout_{i}"))
    layers.append(Dense(1, activation="sigmoid", kernel_initializer=initializer,
                        kernel_regularizer=penalty, name="output",
                        input_shape=None if settings.hidden else (n_in,)))
    optimizer = {"sgd": lambda lr: SGD(lr), "momentum": lambda lr: SGD(lr, momentum=0.9),
                 "adam": Adam}[settings.optimizer](settings.learning_rate)
    model = Sequential(layers, name="playground")
    model.compile(optimizer, loss="binary_crossentropy", metrics=["accuracy"])
    return model


def _check_data(data):
    """``data = (x, y)`` as arrays: x (N, 2) finite, y (N,) of labels 0/1; else a ValueError."""
    try:
        x, y = data
    except (TypeError, ValueError):
        raise ValueError("Playground: data must be a pair (x, y)") from None
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y).ravel()
    if x.ndim != 2 or x.shape[1] != 2 or len(x) < 4:
        raise ValueError(f"Playground: data x must have shape (N, 2) with N >= 4 points, "
                         f"got {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError("Playground: data x contains NaN or infinite values")
    if len(y) != len(x) or not np.isin(y, (0, 1)).all():
        raise ValueError(f"Playground: data y must hold {len(x)} labels 0 or 1, got "
                         f"{len(y)} values {np.unique(y)[:5].tolist()}")
    return x, y.astype(int)


class PlaygroundState:
    """One Playground experiment and its training so far.

    Parameters
    ----------
    settings : PlaygroundSettings or str, optional
        Default: Playground's start (circle, x₁ and x₂, 4-2 tanh, SGD 0.03).
    data : (x, y), optional
        Your own points instead of a generated set: x of shape (N, 2), y
        labels 0/1 of shape (N,). They are shuffled with the seed and split
        by ``train_ratio``; the settings get ``dataset='custom'``.
    **changes
        Settings to change, e.g. ``dataset='spiral', hidden=(8, 8)``.

    Attributes
    ----------
    settings : PlaygroundSettings
    model : Sequential
        The live engine model (``summary()``, ``get_weights()``, ...).
    x_train, y_train, x_test, y_test : arrays
        Points (N, 2) and labels 0/1; the first ``train_ratio`` of the set trains.
    inputs_train, inputs_test : arrays of float32, shape (N, n_features)
        The same points through ``feature_map``.
    extent : float
        The surfaces cover [-extent, extent]²: 6 as in Playground, or just
        beyond the largest |coordinate| of custom data.
    history : dict of lists
        'epoch', 'loss', 'accuracy', 'test_loss', 'test_accuracy', one entry
        per ``record()`` (the loss includes the penalty, as in Keras).
    updates : int
        Weight updates made so far.
    diverged : str or None
        Why training paused ('diverged at learning rate ...'), or None.
    """

    def __init__(self, settings=None, data=None, **changes):
        if isinstance(settings, str):
            settings = PlaygroundSettings.parse(settings)
        self.data = None if data is None else _check_data(data)
        if self.data is not None:
            changes = {"dataset": "custom", "n_samples": len(self.data[0]), **changes}
        self.settings = (settings or PlaygroundSettings()).replace(**changes)
        self.reset()

    # -- set-up -----------------------------------------------------------
    def reset(self):
        """Draw the data and the initial weights again from the seed; forget the training."""
        s = self.settings
        if s.dataset == "custom":
            if self.data is None:
                raise ValueError("Playground: the settings say data=custom but no points were "
                                 "given; pass them too: Playground(settings, data=(x, y))")
            order = np.random.default_rng((s.seed, 0)).permutation(len(self.data[0]))
            x, y = self.data[0][order], self.data[1][order]
            self.extent = 1.1 * float(np.abs(x).max()) or EXTENT
        else:
            x, y = make_planar(s.dataset, s.n_samples, s.noise, s.seed)
            self.extent = EXTENT
        self.grid = grid_points(extent=self.extent)
        cut = min(max(int(round(len(x) * s.train_ratio)), 1), len(x) - 1)
        self.x_train, self.y_train, self.x_test, self.y_test = x[:cut], y[:cut], x[cut:], y[cut:]
        self.inputs_train = feature_map(self.x_train, s.features)
        self.inputs_test = feature_map(self.x_test, s.features)
        self.grid_inputs = feature_map(self.grid, s.features)
        with backend.seeded(s.seed):
            self.model = build_network(s)
        # The grid's pass runs on a twin (the same weights), so pg.model keeps its own
        # record; one twin per model, because a new one per picture allocates every
        # layer's (G², units) arrays afresh, which doubles the pass's time.
        self._readout = self.model.twin()
        # batches and dropout masks: their own generators, so the same seed replays the same run
        self._batches = np.random.default_rng((s.seed, 1))
        self._masks = np.random.default_rng((s.seed, 2))
        self._order, self._position, self._passes = self._batches.permutation(cut), 0, 0
        self.updates, self.diverged = 0, None
        self.history = {key: [] for key in ("epoch", "loss", "accuracy", "test_loss",
                                            "test_accuracy")}
        self.record()
        self._start_loss = self.history["loss"][0] - self.model.regularization_loss()

    def change(self, **changes):
        """Apply new settings; returns True if the network started again.

        Learning rate, batch size and the penalty's rate act on the running
        network; any other change rebuilds data and network from the seed.
        """
        new = self.settings.replace(**changes)
        if new.dataset == "custom" and self.data is None:
            raise ValueError(NEEDS_POINTS)
        changed = {k for k in changes if getattr(new, k) != getattr(self.settings, k)}
        self.settings = new
        if not changed:
            return False
        if changed <= set(LIVE):
            self.model.optimizer.learning_rate = new.learning_rate
            penalty = self.model.layers[-1].kernel_regularizer
            if penalty is not None:
                setattr(penalty, new.regularization, float(new.regularization_rate))
            return False
        self.reset()
        return True

    def add_layer(self, neurons=2):
        """One more hidden layer (at most 6) at the end; True if it was added."""
        if len(self.settings.hidden) >= MAX_LAYERS:
            return False
        return self.change(hidden=self.settings.hidden + (neurons,))

    def remove_layer(self):
        """Remove the last hidden layer (down to none); True if one was removed."""
        return bool(self.settings.hidden) and self.change(hidden=self.settings.hidden[:-1])

    def resize_layer(self, layer, delta):
        """Add ``delta`` neurons to hidden layer ``layer`` (0-based), within 1..8; True if done."""
        hidden = list(self.settings.hidden)
        if not 0 <= layer < len(hidden) or not 1 <= hidden[layer] + delta <= MAX_NEURONS:
            return False
        hidden[layer] += delta
        return self.change(hidden=tuple(hidden))

    # -- training ---------------------------------------------------------
    @property
    def epoch(self):
        """Passes over the training set so far (fractional within a pass)."""
        return self._passes + self._position / len(self.x_train)

    def steps_to_epoch_end(self):
        """Updates left in the current pass at the current batch size."""
        return -(-(len(self.x_train) - self._position) // self.settings.batch_size)

    def _next_batch(self):
        index = self._order[self._position:self._position + self.settings.batch_size]
        self._position += len(index)
        if self._position >= len(self._order):  # a new shuffled pass, as fit does per epoch
            self._order, self._position = self._batches.permutation(len(self._order)), 0
            self._passes += 1
        return index

    def step(self, n_steps=1):
        """Make ``n_steps`` weight updates with ``model.train_on_batch``, then ``record()``.

        Does nothing once diverged: a non-finite loss, a weight beyond
        ``WEIGHT_LIMIT`` or a loss above ``LOSS_GROWTH`` times its start plus 1
        sets ``diverged`` to 'diverged at learning rate ...' (nothing is
        raised, no warning is shown). Returns the number of
        updates made.
        """
        made = 0
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", DivergenceWarning)
            while made < n_steps and self.diverged is None:
                index = self._next_batch()
                if self.settings.dropout > 0:
                    with backend.seeded(int(self._masks.integers(2 ** 31))):
                        logs = self._train(index)
                else:
                    logs = self._train(index)
                if logs is None:
                    self._diverge("the loss became nan or infinite")
                    break
                made += 1
                self.updates += 1
            largest = max(float(np.abs(w).max()) for w in self.model.get_weights())
            if self.diverged is None and not largest <= WEIGHT_LIMIT:
                self._diverge(f"the weights exploded (largest |w| = {largest:.3g})")
        self.record()
        # A step too large for the curvature throws the sigmoid into saturation on the wrong
        # side: the weights stay finite, but the loss jumps far above where it started.
        loss = self.history["loss"][-1] - self.model.regularization_loss()
        if self.diverged is None and loss > LOSS_GROWTH * self._start_loss + 1:
            self._diverge(f"the loss grew from {self._start_loss:.3f} to {loss:.3f}")
        return made

    def _train(self, index):
        return self.model.train_on_batch(self.inputs_train[index], self.y_train[index])

    def _diverge(self, why):
        self.diverged = (f"diverged at learning rate {self.settings.learning_rate:g}: {why}. "
                         f"Lower the learning rate and press reset.")

    def train_epoch(self):
        """Train to the end of the current pass over the training set (one Playground tick)."""
        return self.step(self.steps_to_epoch_end())

    def record(self):
        """Append the current epoch, train and test loss and accuracy to ``history``."""
        with np.errstate(all="ignore"):
            loss, accuracy = self.model.evaluate(self.inputs_train, self.y_train,
                                                 batch_size=len(self.inputs_train))
            test_loss, test_accuracy = self.model.evaluate(self.inputs_test, self.y_test,
                                                           batch_size=len(self.inputs_test))
        for key, value in zip(self.history, (self.epoch, loss, accuracy, test_loss,
                                             test_accuracy)):
            self.history[key].append(float(value))

    # -- pictures ---------------------------------------------------------
    def surfaces(self):
        """Every node's value over the grid, from one forward pass of the whole grid.

        Returns
        -------
        dict
            ``inputs``: (n_features, G, G), each input feature;
            ``hidden``: list with one (units, G, G) array per hidden layer,
            its neurons' activations;
            ``output``: (G, G), P(class 1); G = ``GRID_SIZE``, rows along x₂.

        The pass runs on the model's ``twin`` in inference mode (as
        ``predict``): the learner's ``pg.model`` keeps the ``a``, ``z`` and
        ``last_input`` its own ``forward`` or the last training step left.
        """
        size = GRID_SIZE
        with np.errstate(all="ignore"):
            self._readout.forward(self.grid_inputs)
        dense = [layer.a for layer in self._readout.layers if isinstance(layer, Dense)]
        return {"inputs": self.grid_inputs.T.reshape(-1, size, size),
                "hidden": [a.T.reshape(-1, size, size) for a in dense[:-1]],
                "output": dense[-1][:, 0].reshape(size, size)}
