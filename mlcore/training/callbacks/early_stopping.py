"""EarlyStopping: end ``fit`` when a monitored value stops improving (Keras 3's rules)."""
from ... import losses
from .callback import Callback


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
