"""Metrics reported during training: accuracy in its three Keras flavours.

Each metric is called with targets already prepared by the loss (class
indices turned into one-hot rows) and the predictions, and returns a float.
"""
import numpy as np

from . import losses


def binary_accuracy(y, p, threshold=0.5):
    """Share of outputs on the right side of ``threshold`` (labels 0/1)."""
    return float(np.mean((p > threshold) == (y > 0.5)))


def categorical_accuracy(y, p):
    """Share of samples whose largest output is at the true class (one-hot y)."""
    return float(np.mean(p.argmax(axis=-1) == y.argmax(axis=-1)))


def resolve(name, loss, output_units):
    """Return ``(key, function)`` for a metric name given the compiled loss.

    ``'accuracy'`` becomes binary accuracy for binary cross-entropy or one
    output unit, and categorical accuracy otherwise (class indices are
    one-hot by then, so sparse labels need no special case). Loss names
    (``'mse'``, ...) report that loss as a metric.
    """
    if name in ("accuracy", "acc", "binary_accuracy", "categorical_accuracy",
                "sparse_categorical_accuracy"):
        binary = name == "binary_accuracy" or (
            name in ("accuracy", "acc")
            and (isinstance(loss, losses.BinaryCrossentropy) or output_units == 1))
        if binary:
            threshold = 0.0 if getattr(loss, "from_logits", False) else 0.5
            return "accuracy" if name != "binary_accuracy" else name, \
                lambda y, p: binary_accuracy(y, p, threshold)
        return ("accuracy" if name in ("accuracy", "acc") else name), categorical_accuracy
    try:
        metric_loss = losses.get(name)
    except ValueError:
        raise ValueError(
            f"unknown metric {name!r}; valid names are ['accuracy', 'binary_accuracy', "
            f"'categorical_accuracy', 'sparse_categorical_accuracy'] or a loss name "
            f"{losses.names()}"
        ) from None
    return name, lambda y, p: metric_loss.value(*prepared(metric_loss, y, p))


def prepared(metric_loss, y, p):
    """Targets for ``metric_loss``: as given when the compiled loss already made them one-hot.

    A sparse loss named as a metric beside a sparse (or categorical) compiled loss receives
    one-hot rows, which it would reject as labels of the wrong shape.
    """
    if isinstance(metric_loss, losses.SparseCategoricalCrossentropy) and np.shape(y) == np.shape(p):
        return y, p
    return metric_loss.prepare(y, p)
