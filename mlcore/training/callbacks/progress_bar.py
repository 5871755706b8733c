"""ProgressBar: what ``fit(verbose=1)`` prints, a bar per epoch redrawn in place."""
import sys
import time

from ..progress import RunningMeans, format_logs
from .callback import Callback


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
