"""The numbers ``fit`` reports: running means of the batch logs, and how they are printed.

The printing itself is done by two callbacks that ``CallbackList`` adds for
``fit``: :class:`~mlcore.training.callbacks.ProgressBar` (``verbose=1``) and
:class:`~mlcore.training.callbacks.EpochLogger` (``verbose=2``).
"""


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
