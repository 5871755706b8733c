"""History: the record of every epoch's logs that ``fit`` returns."""
from .callback import Callback


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
