"""The Callback base class: every hook ``fit`` calls, doing nothing until overridden."""


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
