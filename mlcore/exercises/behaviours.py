"""Ready-made behaviour tests for :class:`~mlcore.exercises.Behaviour` questions.

Each function returns a test ``test(answer) -> None | message`` that looks at an
object, a model or a widget, and says what is wrong with its behaviour::

    Behaviour("Reach a low test loss", "...", value_below("test_loss", 0.1),
              expects="your Playground")
"""
import inspect
import math
import numbers

import numpy as np


def loss_falls(x, y, steps=50, fall=0.4):
    """Test: ``steps`` full-batch training steps on ``(x, y)`` cut a compiled model's loss
    by at least the fraction ``fall``. The model itself is trained (the learner keeps it)."""
    def test(model):
        if not hasattr(model, "train_on_batch"):
            return f"expected an mlcore model, got {type(model).__name__}"
        if model.loss is None:
            return "compile the model first: model.compile(optimizer, loss=...)"
        before = model.evaluate(x, y)
        for _ in range(steps):
            model.train_on_batch(x, y)
        after = model.evaluate(x, y)
        if not np.isfinite(after):
            return f"the loss went from {before:.3f} to {after}: training diverged"
        if after > (1 - fall) * before:
            return (f"the loss went from {before:.3f} to {after:.3f} in {steps} steps, a fall of "
                    f"{1 - after / before:.0%}; it should fall by at least {fall:.0%}")
        return None
    return test


def latest(obj, key):
    """The current value of ``key`` on ``obj``, or None if it has none.

    Looks, in order, at the last entry of ``obj.history[key]`` (a dict of lists, as a widget
    state keeps) or of ``obj.history.history[key]`` (a model's History), then at a number
    attribute ``key`` (or a method taking no arguments that returns one), then inside
    ``obj.state`` (a widget that keeps its state apart, such as the Playground).
    """
    history = getattr(obj, "history", None)
    history = getattr(history, "history", history)
    if isinstance(history, dict) and history.get(key):
        return history[key][-1]
    value = getattr(obj, key, None)
    if callable(value) and _takes_no_arguments(value):
        value = value()
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return value
    state = getattr(obj, "state", None)
    return latest(state, key) if state is not None and state is not obj else None


def _takes_no_arguments(function):
    try:
        return not any(p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                       for p in inspect.signature(function).parameters.values())
    except (TypeError, ValueError):          # builtins without a signature
        return False


def value_below(key, limit):
    """Test: the current ``key`` of the answer (see :func:`latest`) is below ``limit``.

    E.g. ``value_below("test_loss", 0.1)`` on a Playground, a model after ``fit``
    (``"loss"``, ``"val_loss"``) or any object with that attribute.
    """
    def test(answer):
        value = latest(answer, key)
        if value is None:
            return f"expected something that records a {key} (e.g. your widget), got {type(answer).__name__}"
        if not math.isfinite(float(value)):
            return f"its {key} is {value}: training diverged"
        if float(value) >= limit:
            return f"its {key} is {float(value):.4g}; get it below {limit:g}"
        return None
    return test
