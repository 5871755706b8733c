"""Hooks into ``fit``: history, progress output, early stopping, your own code.

A callback overrides any of the ``on_*`` methods. ``self.model`` is the model
being trained, so a hook can read weights (``layer.params``), the last
gradients (``layer.grads``) and the teaching attributes (``layer.z``,
``layer.a``). The order within one batch is:

``on_train_batch_begin`` -> forward and backward pass -> ``on_gradients``
(gradients ready, weights not yet changed) -> optimizer step ->
``on_train_batch_end``.
"""
import sys
import time

import numpy as np


class Callback:
    """Base class: every hook does nothing until overridden."""

    model = None

    def set_model(self, model):
        self.model = model

    def on_train_begin(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_train_batch_begin(self, batch, logs=None):
        pass

    def on_gradients(self, batch, logs=None):
        pass

    def on_train_batch_end(self, batch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass


class History(Callback):
    """Records each epoch's logs: ``history.history['loss']`` is a list per epoch.

    Attributes
    ----------
    history : dict of str -> list of float
        Keys ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy``, ...
    epoch : list of int
    stopped_early : str or None
        Why training stopped before the last epoch (divergence, early stopping).
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

    def __repr__(self):
        last = {k: round(v[-1], 4) for k, v in self.history.items()}
        return f"<History {len(self.epoch)} epochs, last {last}>"


class LambdaCallback(Callback):
    """Build a callback from plain functions, e.g.
    ``LambdaCallback(on_epoch_end=lambda epoch, logs: print(logs['loss']))``."""

    def __init__(self, **hooks):
        valid = [n for n in dir(Callback) if n.startswith("on_")]
        for name, function in hooks.items():
            if name not in valid:
                raise ValueError(f"LambdaCallback: unknown hook {name!r}; valid hooks are {valid}")
            setattr(self, name, function)


class EarlyStopping(Callback):
    """Stop when a monitored value has not improved for ``patience`` epochs.

    Parameters
    ----------
    monitor : str, default 'val_loss'
    patience : int, default 0
    min_delta : float, default 0
    restore_best_weights : bool, default False
        Put back the weights of the best epoch when stopping.
    """

    def __init__(self, monitor="val_loss", patience=0, min_delta=0.0, restore_best_weights=False):
        self.monitor, self.patience, self.min_delta = monitor, patience, min_delta
        self.restore_best_weights = restore_best_weights
        self.mode = "max" if "acc" in monitor else "min"

    def on_train_begin(self, logs=None):
        self.best, self.best_weights, self.wait, self.stopped_epoch = None, None, 0, None

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor not in (logs or {}):
            raise ValueError(f"EarlyStopping: '{self.monitor}' is not logged; logged keys "
                             f"are {sorted(logs or {})}")
        value = logs[self.monitor]
        sign = 1 if self.mode == "min" else -1
        if self.best is None or sign * (self.best - value) > self.min_delta:
            self.best, self.wait = value, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait > self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            self.model.stop_reason = (f"early stopping: {self.monitor} has not improved for "
                                      f"{self.wait} epochs (best {self.best:.4f})")
            if self.restore_best_weights and self.best_weights is not None:
                self.model.set_weights(self.best_weights)


def _format_logs(logs):
    return " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())


class EpochLogger(Callback):
    """``verbose=2``: one line per epoch, with no timings so notebook outputs
    re-execute identically: ``Epoch 3/20 - loss: 0.5748 - accuracy: 0.7010``."""

    def __init__(self, epochs, stream=None):
        self.epochs, self.stream = epochs, stream

    def on_epoch_end(self, epoch, logs=None):
        print(f"Epoch {epoch + 1}/{self.epochs} - {_format_logs(logs or {})}",
              file=self.stream or sys.stdout)


class ProgressBar(Callback):
    """``verbose=1``: a bar per epoch, redrawn in place (``\\r``) at most ten
    times a second, in a terminal and in a notebook alike."""

    width = 30

    def __init__(self, epochs, steps, stream=None):
        self.epochs, self.steps, self.stream = epochs, steps, stream

    def on_epoch_begin(self, epoch, logs=None):
        self.started = self.last_draw = time.perf_counter()
        self.sums, self.seen = {}, 0
        print(f"Epoch {epoch + 1}/{self.epochs}", file=self._out())

    def on_train_batch_end(self, batch, logs=None):
        size = (logs or {}).get("size", 1)
        self.seen += size
        for key, value in (logs or {}).items():
            if key not in ("size", "batch"):
                self.sums[key] = self.sums.get(key, 0.0) + value * size
        now = time.perf_counter()
        if now - self.last_draw > 0.1 and batch + 1 < self.steps:  # epoch end draws the last
            self.last_draw = now
            self._draw(batch + 1, {k: v / self.seen for k, v in self.sums.items()})

    def on_epoch_end(self, epoch, logs=None):
        self._draw(self.steps, logs or {}, end="\n")

    def _draw(self, step, logs, end=""):
        done = int(self.width * step / max(self.steps, 1))
        bar = "=" * done + (">" if done < self.width else "") + "." * (self.width - done - 1)
        seconds = time.perf_counter() - self.started
        text = f"\r{step}/{self.steps} [{bar[:self.width]}] - {seconds:.1f}s"
        if logs:
            text += " - " + _format_logs(logs)
        out = self._out()
        out.write(text + end)
        out.flush()

    def _out(self):
        return self.stream or sys.stdout


def divergence_message(epoch, batch, loss_value, optimizer):
    """The message shown when the loss stops being a finite number."""
    what = "nan" if np.isnan(loss_value) else "inf"
    return (f"Training stopped: the loss became {what} at epoch {epoch + 1}, batch {batch + 1}, "
            f"with learning rate {optimizer.learning_rate:g} ({type(optimizer).__name__}). "
            f"The weights diverged; try a smaller learning rate. The weights are left as they "
            f"were before that step.")
