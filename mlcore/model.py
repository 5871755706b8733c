"""Sequential: a stack of layers, trained with compile / fit, as in Keras."""
import warnings
from pathlib import Path

import numpy as np

from . import backend, callbacks as callbacks_module, losses, metrics as metrics_module
from . import optimizers
from .layers.base import Layer, as_shape, check_positive_int


class DivergenceWarning(RuntimeWarning):
    """Training stopped because the loss stopped being a finite number."""


warnings.simplefilter("always", DivergenceWarning)


class Input:
    """The shape of one sample, given as the first entry of a model (Keras 3's style).

    ``Sequential([Input((28, 28, 1)), Conv2D(8, 3)])`` is the same model as
    ``Sequential([Conv2D(8, 3, input_shape=(28, 28, 1))])``. It is not a
    layer: it has no weights, no row in ``summary()`` and no place in
    ``model.layers``, as in Keras.

    Parameters
    ----------
    shape : tuple of int
        One sample's shape, without the batch axis.
    """

    def __init__(self, shape):
        self.shape = as_shape("Input", shape, "shape")

    def __repr__(self):
        return f"Input(shape={self.shape})"


class Sequential:
    """A linear stack of layers: the output of each is the input of the next.

    Parameters
    ----------
    layers : list of Layer, optional
        The layers in order; the first one should get ``input_shape`` so the
        model is built (and ``summary()`` works) before it sees data.
    name : str, default 'sequential'

    Examples
    --------
    >>> model = Sequential([
    ...     Dense(16, input_shape=(1,), activation='relu'),
    ...     Dense(32, activation='relu'),
    ...     Dense(2, activation='softmax'),
    ... ])
    >>> model.compile(optimizer=Adam(learning_rate=1e-4),
    ...               loss='sparse_categorical_crossentropy', metrics=['accuracy'])
    >>> history = model.fit(x, y, batch_size=10, epochs=30, verbose=2)
    """

    def __init__(self, layers=None, name="sequential"):
        self.name = name
        self.layers = []
        self.optimizer = None
        self.loss = None
        self.metrics = []
        self.stop_training = False
        self.stop_reason = None
        self._input = None
        for layer in layers or []:
            self.add(layer)

    # -- structure ------------------------------------------------------
    def add(self, layer):
        """Append a layer, building it if the input shape is known.

        An :class:`Input` is accepted before the first layer: it gives that
        layer its ``input_shape``.
        """
        if isinstance(layer, Input):
            if self.layers or self._input is not None:
                raise ValueError(f"{self.name}.add: an Input can only come first, before any "
                                 f"layer; got {layer!r} after {self.layers or [self._input]}")
            self._input = layer
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"{self.name}.add: expected a Layer, got {type(layer).__name__}")
        if not self.layers and self._input is not None:
            if layer.input_shape not in (None, self._input.shape):
                raise ValueError(f"{self.name}.add: layer '{layer.name}' has input_shape "
                                 f"{layer.input_shape} but the model's {self._input!r} says "
                                 f"{self._input.shape}")
            layer.input_shape = self._input.shape
        if any(existing is layer for existing in self.layers):
            raise ValueError(f"{self.name}.add: layer '{layer.name}' is already in the model")
        if any(existing.name == layer.name for existing in self.layers):
            raise ValueError(f"{self.name}.add: a layer named '{layer.name}' is already in the model")
        self.layers.append(layer)
        self._build_from(len(self.layers) - 1)

    def pop(self):
        """Remove and return the last layer (e.g. to replace a model's head)."""
        if not self.layers:
            raise IndexError(f"{self.name}.pop: the model has no layers")
        return self.layers.pop()

    def get_layer(self, name):
        """Return the layer called ``name``."""
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"{self.name}: no layer named {name!r}; layers are "
                         f"{[layer.name for layer in self.layers]}")

    def build(self, input_shape):
        """Build every layer for samples of ``input_shape`` (no batch axis)."""
        if not self.layers:
            raise ValueError(f"{self.name}: add layers before building the model")
        first = self.layers[0]
        if first.input_shape is None:
            first.input_shape = tuple(input_shape)
        self._build_from(0)

    def _build_from(self, index):
        """Build layers from ``index`` on, each from the previous output shape."""
        for i in range(index, len(self.layers)):
            layer = self.layers[i]
            shape = self.layers[i - 1].output_shape if i else layer.input_shape
            if shape is None:
                return
            if layer.built:
                if tuple(layer.input_shape) != tuple(shape):
                    raise ValueError(
                        f"{self.name}: layer '{layer.name}' was built for input "
                        f"{_shape_str(layer.input_shape)} but receives {_shape_str(shape)}")
            else:
                layer.build(tuple(shape))

    @property
    def built(self):
        return bool(self.layers) and all(layer.built for layer in self.layers)

    @property
    def input_shape(self):
        """Shape of one input sample, with ``None`` for the batch axis."""
        if self.layers and self.layers[0].input_shape is not None:
            return (None,) + tuple(self.layers[0].input_shape)
        return None if self._input is None else (None,) + self._input.shape

    @property
    def output_shape(self):
        """Shape of the output, with ``None`` for the batch axis."""
        if not self.built:
            return None
        return (None,) + tuple(self.layers[-1].output_shape)

    # -- computing ------------------------------------------------------
    def forward(self, x, training=False):
        """Run ``x`` through every layer and return the last output.

        Each layer keeps its input, ``z`` and ``a`` for inspection.
        """
        x = self._check_x(x, "forward")
        return self._forward(x, training)

    def _forward(self, x, training):
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def backward(self, grad_out):
        """Propagate dC/d(output) back through every layer; return dC/d(input).

        Afterwards each layer's ``grads`` hold dC/dw for its weights.
        """
        for layer in reversed(self.layers):
            grad_out = layer.backward(grad_out)
        return grad_out

    def _backward_for_update(self, grad_out):
        """Backpropagate only as far as the trainable weights need.

        The lowest layer with trainable weights gets no ``dC/dx`` to compute
        (for the first layer that is the gradient with respect to the data),
        and frozen layers below it are not visited: their ``grads`` and
        ``grad_input`` keep older values. ``backward`` always goes all the way.
        """
        lowest = next((i for i, layer in enumerate(self.layers)
                       if layer.trainable and layer.params), len(self.layers))
        for layer in reversed(self.layers[lowest + 1:]):
            grad_out = layer.backward(grad_out)
        if lowest < len(self.layers):
            self.layers[lowest].backward(grad_out, input_gradient=False)

    def regularization_loss(self):
        """Sum of all layers' weight penalties."""
        return sum(layer.regularization_loss() for layer in self.layers)

    # -- training -------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None):
        """Choose how to train: the optimizer, the loss and the metrics to report.

        Parameters
        ----------
        optimizer : str or Optimizer, default 'rmsprop' (as Keras)
        loss : str or Loss
            e.g. ``'sparse_categorical_crossentropy'``; unknown names list the valid ones.
        metrics : list of str, optional
            e.g. ``['accuracy']``.
        """
        if loss is None:
            raise ValueError(f"{self.name}.compile: a loss is required, e.g. "
                             f"loss='mean_squared_error'; valid names are {losses.names()}")
        self.optimizer = optimizers.get(optimizer)
        self.loss = losses.get(loss)
        self._metric_names = list(metrics or [])
        self.metrics = []
        if self.built:
            self._resolve_metrics()

    def _resolve_metrics(self):
        units = self.layers[-1].output_shape[-1]
        self.metrics = [metrics_module.resolve(name, self.loss, units)
                        for name in self._metric_names]

    def fit(self, x=None, y=None, batch_size=32, epochs=1, verbose=1, callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, initial_epoch=0):
        """Train the model with mini-batch gradient descent.

        Parameters
        ----------
        x : array, shape (N, ...)
            Training samples; the first axis indexes samples.
        y : array
            Targets: class indices for sparse cross-entropy, one-hot rows for
            categorical cross-entropy, values for regression losses.
        batch_size : int, default 32
            Samples per weight update; one epoch is ``ceil(N / batch_size)`` updates.
        epochs : int, default 1
        verbose : {0, 1, 2}, default 1
            0 silent, 1 a progress bar per epoch, 2 one line per epoch.
        callbacks : list of Callback, optional
        validation_split : float in [0, 1), default 0
            Hold out this fraction of the samples, taken from the END of x
            and y before any shuffling, as Keras does (shuffle them first if
            they are ordered).
        validation_data : (x_val, y_val), optional
            Scored after every epoch; overrides ``validation_split``.
        shuffle : bool, default True
            Reshuffle the training samples before every epoch.
        initial_epoch : int, default 0
            Epoch to start counting from (to resume training).

        Returns
        -------
        History
            ``history.history`` maps 'loss', 'accuracy', 'val_loss',
            'val_accuracy' to one value per epoch.

        Notes
        -----
        Each step backpropagates only as far as a trainable weight needs: the
        lowest layer with trainable weights computes no ``grad_input``, and
        frozen layers below it keep their ``grads`` from before. Call
        ``model.backward`` yourself to see every gradient.
        """
        self._require_compiled("fit")
        x = self._check_x(x, "fit")
        y_prepared = self._prepare_y(y, x, "fit")
        batch_size = check_positive_int(f"{self.name}.fit", "batch_size", batch_size)
        if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
            raise ValueError(f"{self.name}.fit: epochs must be an int >= 0, got {epochs!r}")
        if not 0 <= validation_split < 1:
            raise ValueError(f"{self.name}.fit: validation_split must be in [0, 1), "
                             f"got {validation_split!r}")
        x_val = y_val = None
        if validation_data is not None:
            x_val = self._check_x(validation_data[0], "fit (validation_data)")
            y_val = self._prepare_y(validation_data[1], x_val, "fit (validation_data)")
        elif validation_split:
            cut = len(x) - int(round(len(x) * validation_split))
            x, x_val, y_prepared, y_val = x[:cut], x[cut:], y_prepared[:cut], y_prepared[cut:]
        if len(x) == 0:
            raise ValueError(f"{self.name}.fit: no training samples left")

        n = len(x)
        steps = -(-n // batch_size)
        history = callbacks_module.History()
        hooks = [history] + list(callbacks or [])
        if verbose == 1:
            hooks.append(callbacks_module.ProgressBar(epochs, steps))
        elif verbose == 2:
            hooks.append(callbacks_module.EpochLogger(epochs))
        for hook in hooks:
            hook.set_model(self)
        self.history = history
        self.stop_training, self.stop_reason = False, None

        for hook in hooks:
            hook.on_train_begin()
        for epoch in range(initial_epoch, epochs):
            for hook in hooks:
                hook.on_epoch_begin(epoch)
            order = backend.rng().permutation(n) if shuffle else np.arange(n)
            totals, seen = {}, 0
            for batch in range(steps):
                index = order[batch * batch_size:(batch + 1) * batch_size]
                for hook in hooks:
                    hook.on_train_batch_begin(batch)
                logs = self._train_batch(x[index], y_prepared[index], batch, epoch, hooks)
                if logs is None:
                    break
                seen += len(index)
                for key, value in logs.items():
                    totals[key] = totals.get(key, 0.0) + value * len(index)
                logs["size"] = len(index)
                for hook in hooks:
                    hook.on_train_batch_end(batch, logs)
            if self.stop_reason and seen == 0:
                break
            epoch_logs = {key: value / seen for key, value in totals.items()}
            if x_val is not None:
                val = self._evaluate_prepared(x_val, y_val, batch_size)
                epoch_logs.update({f"val_{key}": value for key, value in val.items()})
            for hook in hooks:
                hook.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        for hook in hooks:
            hook.on_train_end()
        history.stopped_early = self.stop_reason
        return history

    def _train_batch(self, xb, yb, batch, epoch, hooks):
        """One forward/backward/update step; None if the loss diverged."""
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
            out = self._forward(xb, training=True)
            loss_value = self.loss.value(yb, out) + self.regularization_loss()
        if not np.isfinite(loss_value):
            message = callbacks_module.divergence_message(epoch, batch, loss_value, self.optimizer)
            self.stop_training, self.stop_reason = True, message
            warnings.warn(message, DivergenceWarning, stacklevel=3)
            return None
        self._backward_for_update(self.loss.grad(yb, out))
        for hook in hooks:
            hook.on_gradients(batch)
        self.optimizer.apply_gradients(self._trainable_pairs())
        logs = {"loss": loss_value}
        for key, metric in self.metrics:
            logs[key] = metric(yb, out)
        return logs

    def train_on_batch(self, x, y):
        """One gradient step on one batch, as ``fit`` takes it; returns the logs (loss, metrics)
        before the step.

        Returns None, with a ``DivergenceWarning``, if the loss is not finite
        (the weights are then left unchanged).
        """
        self._require_compiled("train_on_batch")
        x = self._check_x(x, "train_on_batch")
        y = self._prepare_y(y, x, "train_on_batch")
        self.stop_reason = None
        return self._train_batch(x, y, 0, 0, [])

    def _trainable_pairs(self):
        return [(layer.params[name], layer.grads[name])
                for layer in self.layers if layer.trainable for name in layer.params]

    def evaluate(self, x, y, batch_size=32, verbose=0):
        """Loss (and metrics) on ``x, y`` with the model in inference mode.

        Returns
        -------
        float or list of float
            The loss alone if no metrics were compiled, else ``[loss, metric, ...]``.
        """
        self._require_compiled("evaluate")
        x = self._check_x(x, "evaluate")
        results = self._evaluate_prepared(x, self._prepare_y(y, x, "evaluate"), batch_size)
        if verbose:
            print(callbacks_module._format_logs(results))
        values = list(results.values())
        return values[0] if len(values) == 1 else values

    def _evaluate_prepared(self, x, y, batch_size):
        out = self._predict_checked(x, batch_size)
        results = {"loss": self.loss.value(y, out) + self.regularization_loss()}
        for key, metric in self.metrics:
            results[key] = metric(y, out)
        return results

    def predict(self, x, batch_size=32, verbose=0):
        """Outputs for ``x`` in inference mode (dropout off, batch norm uses
        its moving averages), computed ``batch_size`` samples at a time.

        Returns
        -------
        array, shape (N,) + output_shape[1:]
        """
        x = self._check_x(x, "predict")
        with np.errstate(over="ignore", invalid="ignore"):
            out = self._predict_checked(x, batch_size)
        if not np.isfinite(out).all():
            warnings.warn(f"{self.name}.predict: {int((~np.isfinite(out)).sum())} outputs are nan "
                          f"or infinite; the weights have exploded (largest |w| = "
                          f"{max(float(np.abs(w).max()) for w in self.get_weights()):.3g})",
                          DivergenceWarning, stacklevel=2)
        return out

    def _predict_checked(self, x, batch_size):
        batch_size = check_positive_int(f"{self.name}.predict", "batch_size", batch_size)
        outputs = [self._forward(x[i:i + batch_size], training=False)
                   for i in range(0, len(x), batch_size)]
        if not outputs:
            return np.zeros((0,) + self.output_shape[1:], dtype=backend.floatx())
        return np.concatenate(outputs) if len(outputs) > 1 else outputs[0].copy()

    # -- checks -----------------------------------------------------------
    def _require_compiled(self, what):
        if self.loss is None:
            raise RuntimeError(f"{self.name}.{what}: call compile(optimizer=..., loss=...) first")

    def _check_x(self, x, where):
        if not self.layers:
            raise ValueError(f"{self.name}.{where}: the model has no layers")
        if x is None:
            raise ValueError(f"{self.name}.{where}: x is required")
        x = np.asarray(x)
        if not (np.issubdtype(x.dtype, np.number) or x.dtype == bool):
            raise TypeError(f"{self.name}.{where}: x must be numbers, got dtype {x.dtype}")
        x = x.astype(backend.floatx(), copy=False)
        first = self.layers[0]
        if x.ndim == 1 and first.input_shape == (1,):
            x = x[:, None]  # a plain list of scalars, one feature each
        if x.ndim == 0:
            raise ValueError(f"{self.name}.{where}: x must have a batch axis, got a scalar")
        if not self.built:
            self.build(x.shape[1:])
            if self.loss is not None:
                self._resolve_metrics()
        if tuple(x.shape[1:]) != tuple(first.input_shape):
            raise ValueError(
                f"{self.name}.{where}: layer '{first.name}' expects input of shape "
                f"{_shape_str(first.input_shape)}, got x of shape {tuple(x.shape)}")
        _check_finite(x, f"{self.name}.{where}: x")
        return x

    def _prepare_y(self, y, x, where):
        if y is None:
            raise ValueError(f"{self.name}.{where}: y (the targets) is required")
        y = np.asarray(y)
        if len(y) != len(x):
            raise ValueError(f"{self.name}.{where}: x has {len(x)} samples but y has {len(y)}")
        if np.issubdtype(y.dtype, np.floating):
            _check_finite(y, f"{self.name}.{where}: y")
        template = np.empty((len(x),) + tuple(self.layers[-1].output_shape), backend.floatx())
        try:
            y_ready, _ = self.loss.prepare(y, template)
        except ValueError as error:
            raise ValueError(f"{self.name}.{where}: {error}") from None
        return y_ready

    # -- weights ----------------------------------------------------------
    def count_params(self):
        """Total number of weights (trainable and not)."""
        return sum(layer.count_params() for layer in self.layers)

    def count_trainable_params(self):
        """Weights that ``fit`` updates."""
        return sum(layer.count_trainable_params() for layer in self.layers)

    def get_weights(self):
        """Copies of all weights, layer by layer (Keras order)."""
        return [w for layer in self.layers for w in layer.get_weights()]

    def set_weights(self, weights):
        """Overwrite all weights in place from a list like ``get_weights()``."""
        expected = sum(len(layer.weight_names) for layer in self.layers)
        if len(weights) != expected:
            raise ValueError(f"{self.name}.set_weights: expected {expected} arrays, got {len(weights)}")
        start = 0
        for layer in self.layers:
            count = len(layer.weight_names)
            layer.set_weights(weights[start:start + count])
            start += count

    def save_weights(self, path):
        """Save all weights to a ``.npz`` file (no pickle), with each layer's
        type and weight shapes so ``load_weights`` can check the architecture."""
        arrays = {"__layers__": np.array([_layer_signature(layer) for layer in self.layers])}
        for i, layer in enumerate(self.layers):
            for name, value in zip(layer.weight_names, layer.get_weights()):
                arrays[f"{i}/{name}"] = value
        np.savez(Path(path), **arrays)

    def load_weights(self, path):
        """Load weights saved by ``save_weights`` into this same architecture."""
        with np.load(Path(path), allow_pickle=False) as data:
            saved = [str(s) for s in data["__layers__"]]
            mine = [_layer_signature(layer) for layer in self.layers]
            if saved != mine:
                raise ValueError(
                    f"{self.name}.load_weights: the file holds a different architecture.\n"
                    f"  file:  {saved}\n  model: {mine}")
            for i, layer in enumerate(self.layers):
                layer.set_weights([data[f"{i}/{name}"] for name in layer.weight_names])

    # -- display ----------------------------------------------------------
    def summary(self, print_fn=print):
        """Print the Keras-style table: layer (type), output shape, param #,
        then total / trainable / non-trainable parameter counts."""
        names = [f"{layer.name} ({type(layer).__name__})" for layer in self.layers]
        widths = (max([29] + [len(name) + 1 for name in names]), 26, 10)  # Keras' widths, or wider
        rule = "_" * sum(widths)

        def row(*cells):
            return "".join(f" {str(c):<{w - 1}}" for c, w in zip(cells, widths)).rstrip()

        lines = [f'Model: "{self.name}"', rule, row("Layer (type)", "Output Shape", "Param #"),
                 "=" * sum(widths)]
        for i, (layer, name) in enumerate(zip(self.layers, names)):
            shape = "?" if layer.output_shape is None else _shape_str(layer.output_shape)
            lines.append(row(name, shape, f"{layer.count_params():,}"))
            lines.append(rule if i < len(self.layers) - 1 else "=" * sum(widths))
        total, trainable = self.count_params(), self.count_trainable_params()
        lines += [f"Total params: {total:,}", f"Trainable params: {trainable:,}",
                  f"Non-trainable params: {total - trainable:,}", rule]
        print_fn("\n".join(lines))

    def __repr__(self):
        inner = ", ".join(type(layer).__name__ for layer in self.layers)
        return f"<Sequential '{self.name}' [{inner}], {self.count_params():,} params>"


def _shape_str(shape):
    return str((None,) + tuple(shape)) if shape is not None else "?"


def _layer_signature(layer):
    shapes = ",".join(f"{n}{tuple(w.shape)}" for n, w in zip(layer.weight_names, layer.get_weights()))
    return f"{type(layer).__name__}[{shapes}]"


def _check_finite(a, what):
    if np.issubdtype(a.dtype, np.floating) and not np.isfinite(a).all():
        bad = np.argwhere(~np.isfinite(a))
        raise ValueError(f"{what} contains {len(bad)} NaN or infinite values "
                         f"(first at index {tuple(int(i) for i in bad[0])})")
