"""Hooks into ``fit``: history, early stopping, progress output, your own code (one callback per module).

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
from .callback import Callback
from .callback_list import CallbackList
from .early_stopping import EarlyStopping
from .epoch_logger import EpochLogger
from .history import History
from .lambda_callback import LambdaCallback
from .progress_bar import ProgressBar

__all__ = ["Callback", "CallbackList", "History", "LambdaCallback", "EarlyStopping",
           "ProgressBar", "EpochLogger"]
