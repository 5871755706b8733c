"""CallbackList: several callbacks called as one, with the History and progress output ``fit`` adds."""
from .callback import Callback
from .epoch_logger import EpochLogger
from .history import History
from .progress_bar import ProgressBar


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
