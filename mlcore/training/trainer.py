"""Training a model: compile, fit, evaluate, predict, train_on_batch (Keras' ``Trainer``).

:class:`mlcore.Sequential` inherits these methods; all they use of the model
is the :class:`~mlcore.training.protocol.TrainableModel` protocol (its
``layers``, ``_check_x``, ``_forward``, ...). ``fit`` is chapter 02's
loop: for each epoch, shuffle; for each batch, forward, loss, backward,
update; then score the validation data and call the callbacks.

The training loss is the compiled one, except that cross-entropy after the
model's own softmax or sigmoid is computed from the last layer's logits and
backpropagated from dC/dz = (p - y) / n (``Loss.fused_with``; Keras does the
same on TensorFlow), so a confidently wrong output still learns.
"""
import warnings

import numpy as np

from .. import backend, losses, metrics as metrics_module, optimizers
from ..arguments import check_int
from ..layers.base import LayerWithActivation
from . import callbacks as callbacks_module, input_checks, progress
from .protocol import missing_members


class DivergenceWarning(RuntimeWarning):
    """Training stopped because the loss stopped being a finite number."""


# Show every divergence, not only the first from each line; appended, so a
# filter the user set (before or after the import, or with -W) comes first.
warnings.simplefilter("always", DivergenceWarning, append=True)


def divergence_message(when, loss_value, optimizer):
    """The message shown when the loss stops being a finite number ``when``
    (e.g. ``'at epoch 2, batch 5'``)."""
    what = "nan" if np.isnan(loss_value) else "inf"
    return (f"Training stopped: the loss became {what} {when}, "
            f"with learning rate {optimizer.learning_rate:g} ({type(optimizer).__name__}). "
            f"The weights diverged; try a smaller learning rate. The weights are left as they "
            f"were before that step.")


class Trainer:
    """What a model needs to be trained: the optimizer, the loss, the metrics.

    Attributes
    ----------
    optimizer, loss : set by :meth:`compile`
    metrics : list of (key, function)
        The compiled metrics, once the model is built.
    history : History
        The last ``fit``'s record.
    stop_training : bool
        Set by a callback (or by divergence) to end ``fit`` after this epoch.
    stop_reason : str or None
        Why the last ``fit`` stopped early.
    """

    def __init_subclass__(cls, **kwargs):
        """A class that mixes in Trainer must implement ``TrainableModel``: fail at its
        definition, not in the middle of someone's ``fit``."""
        super().__init_subclass__(**kwargs)
        missing = missing_members(cls)
        if missing:
            raise TypeError(f"{cls.__name__} mixes in Trainer but does not define {missing} "
                            f"(see mlcore.training.protocol.TrainableModel)")

    def __init__(self):
        self.optimizer = None
        self.loss = None
        self.metrics = []
        self.history = None
        self.stop_training = False
        self.stop_reason = None
        self._train_on_batch_calls = 0

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
        where = f"{self.name}.compile"
        if loss is None:
            raise ValueError(f"{where}: a loss is required, e.g. loss='mean_squared_error'; "
                             f"valid names are {losses.names()}")
        if isinstance(metrics, str):
            raise TypeError(f"{where}: metrics must be a list, e.g. metrics=[{metrics!r}], "
                            f"got the string {metrics!r}")
        try:
            self.optimizer, self.loss = optimizers.get(optimizer), losses.get(loss)
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None
        self._metric_names, self.metrics = list(metrics or []), []
        if self.built:
            self._resolve_metrics(where)

    def _resolve_metrics(self, where):
        units = self.layers[-1].output_shape[-1]
        try:
            self.metrics = [metrics_module.resolve(name, self.loss, units)
                            for name in self._metric_names]
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None

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
        verbose : {0, 1, 2, 'auto'}, default 1
            0 silent, 1 (or 'auto') a progress bar per epoch, 2 one line per epoch.
        callbacks : list of Callback, optional
        validation_split : float in [0, 1), default 0
            Hold out this fraction of the samples, taken from the END of x
            and y before any shuffling, as Keras does (shuffle them first if
            they are ordered): training keeps the first
            ``floor(N * (1 - validation_split))`` samples. A split that leaves
            either side empty raises a ValueError.
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
            'val_accuracy' to one value per epoch (also ``model.history``).

        Notes
        -----
        Each step backpropagates only as far as a trainable weight needs: the
        lowest layer with trainable weights computes no ``grad_input``, and
        frozen layers below it keep their ``grads`` from before. Call
        ``model.backward`` yourself to see every gradient.
        """
        where = f"{self.name}.fit"
        self._require_compiled(where)
        batch_size = input_checks.check_fit_arguments(where, batch_size, epochs, initial_epoch,
                                                      validation_split)
        x, y, validation = self._training_data(x, y, validation_split, validation_data)
        steps = -(-len(x) // batch_size)  # ceil(N / batch_size)
        callbacks = self._callback_list(callbacks, verbose, epochs, steps, where)
        self.stop_training, self.stop_reason = False, None
        callbacks.on_train_begin()
        for epoch in range(initial_epoch, epochs):
            callbacks.on_epoch_begin(epoch)
            order = backend.rng().permutation(len(x)) if shuffle else np.arange(len(x))
            running = progress.RunningMeans()
            for batch in range(steps):
                index = order[batch * batch_size:(batch + 1) * batch_size]
                callbacks.on_train_batch_begin(batch)
                logs = self._train_step(x[index], y[index], batch, callbacks)
                if not np.isfinite(logs["loss"]):
                    self._stop_diverged(logs["loss"], f"at epoch {epoch + 1}, batch {batch + 1}")
                    break
                logs["size"] = len(index)
                running.add(logs)
                callbacks.on_train_batch_end(batch, logs)
            if not running.samples:  # diverged at the epoch's first batch: nothing to report
                break
            epoch_logs = running.means()
            if validation is not None:
                val_logs = self._logs_on(*validation, batch_size, where)
                epoch_logs.update({f"val_{key}": value for key, value in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        callbacks.on_train_end()
        return self.history

    def _training_data(self, x, y, validation_split, validation_data):
        """fit's checked ``x, y`` and its ``(x_val, y_val)`` (None without validation)."""
        x, y = self._checked_data(x, y, "fit")
        if validation_data is not None:
            x_val, y_val = input_checks.validation_pair(validation_data, f"{self.name}.fit")
            return x, y, self._checked_data(x_val, y_val, "fit (validation_data)")
        if not validation_split:
            return x, y, None
        (x, y), validation = input_checks.split_off_end(x, y, validation_split,
                                                        f"{self.name}.fit")
        return x, y, validation

    def _callback_list(self, callbacks, verbose, epochs, steps, where):
        """The user's callbacks, then a History and the progress output ``verbose`` asks for."""
        verbose = input_checks.check_verbose(verbose, where)
        return callbacks_module.CallbackList(
            input_checks.check_callbacks(callbacks, where), add_history=True,
            add_progbar=verbose != 0, model=self, verbose=verbose, epochs=epochs, steps=steps)

    def _train_step(self, xb, yb, batch, callbacks):
        """Forward, loss, backward, update on one batch.

        Returns the logs (loss and metrics before the update); if the loss is
        not finite, only the loss, with the weights unchanged.
        """
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported by the caller
            out = self._forward(xb, training=True)
            loss_value = self._loss_value(yb, out, self.layers[-1].z)
        if not np.isfinite(loss_value):
            return {"loss": loss_value}
        self._backpropagate_loss(yb, out)
        callbacks.on_gradients(batch)
        self.optimizer.apply_gradients(self._trainable_pairs())
        return {"loss": loss_value, **{key: metric(yb, out) for key, metric in self.metrics}}

    def _stop_diverged(self, loss_value, when):
        """Stop training and warn, from ``fit`` or ``train_on_batch``, that the loss is not finite."""
        self.stop_training = True
        self.stop_reason = divergence_message(when, loss_value, self.optimizer)
        warnings.warn(self.stop_reason, DivergenceWarning, stacklevel=3)

    def _fused_loss(self):
        """The compiled loss computed from the last layer's logits z, when it
        fuses with that layer's activation (``Loss.fused_with``: cross-entropy
        after softmax or sigmoid); None otherwise."""
        last = self.layers[-1]
        if not isinstance(last, LayerWithActivation):
            return None
        return self.loss.fused_with(last.activation)

    def _loss_value(self, y, out, logits):
        """The training loss of outputs ``out`` plus the weight penalties.

        ``logits`` are the last layer's pre-activations z for the same samples;
        a fused loss is computed from them instead of ``out``.
        """
        fused = self._fused_loss()
        value = fused.value(y, logits) if fused else self.loss.value(y, out)
        return value + self.regularization_loss()

    def _backpropagate_loss(self, y, out, only_trainable=True):
        """Backpropagate the loss of the last forward pass (outputs ``out``), filling ``grads``.

        A fused loss starts at the last layer's dC/dz = (p - y) / n and skips
        the activation's slope, which would be 0 where the output saturates.
        With ``only_trainable`` the pass goes only as far as the trainable
        weights need: layers below the lowest one with trainable weights are
        not visited (their ``grads`` and ``grad_input`` keep older values).
        Either way the lowest layer visited computes no ``dC/dx`` (for the
        first layer that would be the gradient with respect to the data).
        """
        lowest = 0
        if only_trainable:
            lowest = next((i for i, layer in enumerate(self.layers)
                           if layer.trainable and layer.params), len(self.layers))
        if lowest == len(self.layers):
            return
        last, fused = self.layers[-1], self._fused_loss()
        if fused:
            grad, last_step = fused.grad(y, last.z), last.backward_from_z
        else:
            grad, last_step = self.loss.grad(y, out), last.backward
        steps = [layer.backward for layer in self.layers[lowest:-1]] + [last_step]
        for step in reversed(steps[1:]):
            grad = step(grad)
        steps[0](grad, input_gradient=False)

    def train_on_batch(self, x, y):
        """One gradient step on one batch, as ``fit`` takes it.

        Returns
        -------
        dict or None
            The logs (loss, metrics) before the step; None, with a
            ``DivergenceWarning`` that counts the calls of ``train_on_batch``
            on this model, if the loss is not finite (the weights are then
            left unchanged).
        """
        self._require_compiled(f"{self.name}.train_on_batch")
        x, y = self._checked_data(x, y, "train_on_batch")
        self.stop_reason = None
        self._train_on_batch_calls += 1
        logs = self._train_step(x, y, 0, callbacks_module.CallbackList())
        if not np.isfinite(logs["loss"]):
            self._stop_diverged(logs["loss"], f"in call {self._train_on_batch_calls} of "
                                              f"train_on_batch on this model")
            return None
        return logs

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
        where = f"{self.name}.evaluate"
        self._require_compiled(where)
        results = self._logs_on(*self._checked_data(x, y, "evaluate"), batch_size, where)
        if verbose:
            print(progress.format_logs(results))
        values = list(results.values())
        return values[0] if len(values) == 1 else values

    def _logs_on(self, x, y, batch_size, where):
        """Loss and metrics on checked data, computed in inference mode."""
        out, logits = self._predict_batches(x, batch_size, where,
                                            keep_logits=self._fused_loss() is not None)
        results = {"loss": self._loss_value(y, out, logits)}
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
        where = f"{self.name}.predict"
        x = self._check_x(x, "predict")
        with np.errstate(over="ignore", invalid="ignore"):
            out, _ = self._predict_batches(x, batch_size, where)
        if not np.isfinite(out).all():
            warnings.warn(f"{where}: {int((~np.isfinite(out)).sum())} outputs are nan "
                          f"or infinite; the weights have exploded (largest |w| = "
                          f"{max(float(np.abs(w).max()) for w in self.get_weights()):.3g})",
                          DivergenceWarning, stacklevel=2)
        return out

    def _predict_batches(self, x, batch_size, where, keep_logits=False):
        """``(outputs, logits)`` for checked ``x`` in inference mode, ``batch_size``
        samples at a time; ``logits`` (the last layer's z) only with ``keep_logits``."""
        batch_size = check_int(where, "batch_size", batch_size, 1)
        outputs, logits = [], []
        for start in range(0, len(x), batch_size):
            outputs.append(self._forward(x[start:start + batch_size], training=False))
            if keep_logits:
                logits.append(self.layers[-1].z)
        if not outputs:
            return np.zeros((0,) + self.output_shape[1:], dtype=backend.floatx()), None
        out = np.concatenate(outputs) if len(outputs) > 1 else outputs[0].copy()
        return out, np.concatenate(logits) if keep_logits else None

    # -- checks -----------------------------------------------------------
    def _require_compiled(self, where):
        if self.loss is None:
            raise RuntimeError(f"{where}: call compile(optimizer=..., loss=...) first")

    def _prepare_y(self, y, x, what):
        """``y`` as the compiled loss needs it (see ``input_checks.check_y``)."""
        return input_checks.check_y(y, x, self.loss, self.layers[-1].output_shape,
                                    f"{self.name}.{what}")

    def _checked_data(self, x, y, what):
        """A non-empty checked ``(x, y)`` for ``self.<what>``."""
        x = self._check_x(x, what)
        input_checks.check_not_empty(x, f"{self.name}.{what}")
        return x, self._prepare_y(y, x, what)
