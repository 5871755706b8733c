"""What ``fit`` prints: a progress bar (``verbose=1``) or one line per epoch (``verbose=2``).

Both are callbacks that :class:`mlcore.callbacks.CallbackList` adds for
``fit``; they read ``epochs`` and ``steps`` from their ``params``.
"""
import sys
import time

from .callbacks import Callback


class RunningMeans:
    """Means of the batch logs over the samples seen so far in an epoch.

    Each batch's values weigh by its ``logs['size']`` (samples), as the epoch
    values Keras reports do; a smaller last batch counts less.
    """

    def __init__(self):
        self.sums, self.samples = {}, 0

    def add(self, logs):
        size = logs["size"]
        self.samples += size
        for key, value in logs.items():
            if key != "size":
                self.sums[key] = self.sums.get(key, 0.0) + value * size

    def means(self):
        """dict of key -> mean over the samples added (empty before any batch)."""
        return {key: total / self.samples for key, total in self.sums.items()}


def format_logs(logs):
    """``'loss: 0.5748 - accuracy: 0.7010'``: the logs as fit prints them."""
    return " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())


class EpochLogger(Callback):
    """``verbose=2``: one line per epoch, with no timings so notebook outputs
    re-execute identically: ``Epoch 3/20 - loss: 0.5748 - accuracy: 0.7010``."""

    def __init__(self, stream=None):
        self.stream = stream

    def on_epoch_end(self, epoch, logs=None):
        print(f"Epoch {epoch + 1}/{self.params['epochs']} - {format_logs(logs or {})}",
              file=self.stream or sys.stdout)


class ProgressBar(Callback):
    """``verbose=1``: a bar per epoch, redrawn in place (``\\r``) at most ten
    times a second, in a terminal and in a notebook alike."""

    width = 30

    def __init__(self, stream=None):
        self.stream = stream

    def on_epoch_begin(self, epoch, logs=None):
        self.started = self.last_draw = time.perf_counter()
        self.running = RunningMeans()
        print(f"Epoch {epoch + 1}/{self.params['epochs']}", file=self._out())

    def on_train_batch_end(self, batch, logs=None):
        self.running.add(logs)
        now = time.perf_counter()
        if now - self.last_draw > 0.1 and batch + 1 < self.params["steps"]:  # epoch end draws the last
            self.last_draw = now
            self._draw(batch + 1, self.running.means())

    def on_epoch_end(self, epoch, logs=None):
        self._draw(self.params["steps"], logs or {}, end="\n")

    def _draw(self, step, logs, end=""):
        steps = self.params["steps"]
        done = int(self.width * step / max(steps, 1))
        bar = "=" * done + (">" if done < self.width else "") + "." * (self.width - done - 1)
        seconds = time.perf_counter() - self.started
        text = f"\r{step}/{steps} [{bar[:self.width]}] - {seconds:.1f}s"
        if logs:
            text += " - " + format_logs(logs)
        out = self._out()
        out.write(text + end)
        out.flush()

    def _out(self):
        return self.stream or sys.stdout
