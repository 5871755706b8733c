"""Hooks into ``fit``: history, early stopping, your own code (progress output: :mod:`mlcore.progress`).

A callback overrides any of the ``on_*`` methods. ``self.model`` is the model
being trained, so a hook can read weights (``layer.params``), the last
gradients (``layer.grads``) and the teaching attributes (``layer.z``,
``layer.a``); ``self.params`` holds ``fit``'s ``verbose``, ``epochs`` and
``steps`` (batches per epoch). The order within one batch is:

``on_train_batch_begin`` -> forward and backward pass -> ``on_gradients``
(gradients ready, weights not yet changed) -> optimizer step ->
``on_train_batch_end``.

``fit`` calls all callbacks through one :class:`CallbackList`, as Keras does.
"""
from .. import losses


class Callback:
    """Base class: every hook does nothing until overridden.

    Attributes
    ----------
    model : Sequential or None
        The model being trained, set by ``fit`` before ``on_train_begin``.
    params : dict or None
        ``{'verbose': ..., 'epochs': ..., 'steps': ...}``, set by ``fit``.
    """

    model = None
    params = None

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None):
        """Before the first epoch."""

    def on_epoch_begin(self, epoch, logs=None):
        """Before epoch ``epoch`` (counted from 0) shuffles its samples."""

    def on_train_batch_begin(self, batch, logs=None):
        """Before batch ``batch`` (counted from 0 in each epoch) goes forward."""
        self.on_batch_begin(batch, logs)

    def on_batch_begin(self, batch, logs=None):
        """Keras' older name for ``on_train_batch_begin``, called by it."""

    def on_gradients(self, batch, logs=None):
        """After the backward pass, before the optimizer step: ``layer.grads`` are fresh."""

    def on_train_batch_end(self, batch, logs=None):
        """After the optimizer step; ``logs`` holds the batch's loss, metrics and ``size``."""
        self.on_batch_end(batch, logs)

    def on_batch_end(self, batch, logs=None):
        """Keras' older name for ``on_train_batch_end``, called by it."""

    def on_epoch_end(self, epoch, logs=None):
        """After the epoch's validation; ``logs`` holds its loss, metrics, val_loss, ..."""

    def on_train_end(self, logs=None):
        """After the last epoch, or after training stopped early."""


class CallbackList(Callback):
    """Several callbacks called as one: ``callbacks.on_epoch_end(epoch, logs)``
    calls every callback's ``on_epoch_end`` in order (Keras' ``CallbackList``).

    Parameters
    ----------
    callbacks : list of Callback, optional
    add_history : bool, default False
        Append a :class:`History` unless the list holds one; it becomes
        ``model.history``.
    add_progbar : bool, default False
        Append the progress output ``params['verbose']`` asks for: a
        :class:`ProgressBar` for 1, an :class:`EpochLogger` for 2.
    model : Sequential, optional
        Given to every callback with ``set_model``.
    **params
        Given to every callback with ``set_params`` (``fit`` passes
        ``verbose``, ``epochs`` and ``steps``).
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):
        self.callbacks = list(callbacks or [])
        history = next((c for c in self.callbacks if isinstance(c, History)), None)
        if history is None and add_history:
            history = History()
            self.callbacks.append(history)
        if add_progbar:
            from .progress import EpochLogger, ProgressBar  # they are callbacks themselves

            self.callbacks.append(ProgressBar() if params.get("verbose") == 1 else EpochLogger())
        self.set_params(params)
        if model is not None:
            self.set_model(model)
            if history is not None:
                model.history = history

    def set_model(self, model):
        self.model = model
        for callback in self.callbacks:
            callback.set_model(model)

    def set_params(self, params):
        self.params = params
        for callback in self.callbacks:
            callback.set_params(params)

    def _call(self, hook, *args):
        for callback in self.callbacks:
            getattr(callback, hook)(*args)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs)

    def on_gradients(self, batch, logs=None):
        self._call("on_gradients", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)


class History(Callback):
    """Records each epoch's logs: ``history.history['loss']`` is a list per epoch.

    Attributes
    ----------
    history : dict of str -> list of float
        Keys ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy``, ...
    epoch : list of int
    stopped_early : str or None
        Why training stopped before the last epoch (divergence, early
        stopping): the model's ``stop_reason`` at the end of training.
    """

    def __init__(self):
        self.history = {}
        self.epoch = []
        self.stopped_early = None

    def on_train_begin(self, logs=None):
        self.history, self.epoch, self.stopped_early = {}, [], None

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)

    def on_train_end(self, logs=None):
        self.stopped_early = getattr(self.model, "stop_reason", None)

    def __repr__(self):
        last = {k: round(v[-1], 4) for k, v in self.history.items()}
        return f"<History {len(self.epoch)} epochs, last {last}>"


class LambdaCallback(Callback):
    """Build a callback from plain functions, e.g.
    ``LambdaCallback(on_epoch_end=lambda epoch, logs: print(logs['loss']))``.

    Each keyword is the name of a hook (``on_train_batch_end``, ...); the
    function takes that hook's arguments.
    """

    def __init__(self, **hooks):
        valid = [n for n in dir(Callback) if n.startswith("on_")]
        for name, function in hooks.items():
            if name not in valid:
                raise ValueError(f"LambdaCallback: unknown hook {name!r}; valid hooks are {valid}")
            setattr(self, name, function)


class EarlyStopping(Callback):
    """Stop training when a monitored value has stopped improving (Keras 3's rules).

    After each epoch the value ``logs[monitor]`` counts as an improvement if
    it beats the best so far by more than ``min_delta``. Training stops at
    the end of the epoch where ``patience`` epochs in a row brought no
    improvement (never after the first epoch), so ``patience=2`` trains the
    best epoch plus 2 more.

    Parameters
    ----------
    monitor : str, default 'val_loss'
        A key of the epoch logs: 'loss', 'accuracy', 'val_loss', ...
    min_delta : float, default 0
        Smallest change that counts as an improvement (its sign is ignored).
    patience : int, default 0
        Epochs without improvement after which training stops.
    verbose : {0, 1}, default 0
        1 prints the epoch training stopped at and which weights were restored.
    mode : {'auto', 'min', 'max'}, default 'auto'
        Whether smaller or larger is better; 'auto' takes 'min' for a loss
        ('loss', 'val_mse', ...) and 'max' for an accuracy.
    baseline : float, optional
        The count of epochs without improvement only restarts at an epoch
        that beats this value too.
    restore_best_weights : bool, default False
        At the end of training, put back the weights of the best epoch,
        whether training stopped early or ran all its epochs.
    start_from_epoch : int, default 0
        Epochs to train before monitoring starts (a warm-up).

    Attributes
    ----------
    stopped_epoch : int
        Index of the epoch training stopped after (0 if it did not stop early).
    best, best_epoch, wait :
        The best value, the epoch (index) it was reached, and the number of
        epochs since the last improvement.

    Notes
    -----
    The rules are Keras 3's ``keras.callbacks.EarlyStopping``. Where Keras
    only warns, this one raises a ValueError: a ``monitor`` missing from the
    logs, an unknown ``mode``, or a ``mode='auto'`` it cannot infer.
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        self.monitor, self.min_delta, self.patience = monitor, abs(min_delta), patience
        self.verbose, self.baseline = verbose, baseline
        self.restore_best_weights, self.start_from_epoch = restore_best_weights, start_from_epoch
        self.mode = _direction(monitor, mode)
        self.on_train_begin()

    def on_train_begin(self, logs=None):
        # reset, so one instance can serve several fit calls (as in Keras)
        self.wait, self.stopped_epoch, self.best, self.best_epoch = 0, 0, None, 0
        self.best_weights = None

    def _improves(self, value, reference):
        if reference is None:
            return True
        if self.mode == "min":
            return value + self.min_delta < reference
        return value - self.min_delta > reference

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor not in (logs or {}):
            raise ValueError(f"EarlyStopping: '{self.monitor}' is not logged; logged keys "
                             f"are {sorted(logs or {})}")
        value = logs[self.monitor]
        if epoch < self.start_from_epoch:
            return
        self.wait += 1
        if self._improves(value, self.best):
            self.best, self.best_epoch = value, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._improves(value, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            self.model.stop_reason = (f"early stopping: {self.monitor} has not improved for "
                                      f"{self.wait} epochs (best {self.best:.4f})")

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)


def _direction(monitor, mode):
    """'min' or 'max' for ``EarlyStopping(monitor, mode)``, inferred as Keras does for 'auto'."""
    if mode in ("min", "max"):
        return mode
    if mode != "auto":
        raise ValueError(f"EarlyStopping: mode must be 'auto', 'min' or 'max', got {mode!r}")
    name = monitor.removeprefix("val_")
    if name == "loss" or name in losses.names():
        return "min"
    if name.endswith("accuracy"):
        return "max"
    raise ValueError(f"EarlyStopping: cannot tell whether {monitor!r} should go up or down; "
                     f"pass mode='min' or mode='max'")
