"""EpochLogger: what ``fit(verbose=2)`` prints, one line per epoch."""
import sys

from ..progress import format_logs
from .callback import Callback


class EpochLogger(Callback):
    """``verbose=2``: one line per epoch, with no timings so notebook outputs
    re-execute identically: ``Epoch 3/20 - loss: 0.5748 - accuracy: 0.7010``."""

    def __init__(self, stream=None):
        self.stream = stream

    def on_epoch_end(self, epoch, logs=None):
        print(f"Epoch {epoch + 1}/{self.params['epochs']} - {format_logs(logs or {})}",
              file=self.stream or sys.stdout)
