"""Ready-made behaviour tests for :class:`~mlcore.exercises.Behaviour` questions.

Each function returns a test ``test(answer) -> None | message`` that looks at an
object, a model or a widget, and says what is wrong with its behaviour::

    Behaviour("Reach a low test loss", "...", attribute_below("test_loss", 0.1),
              expects="your Playground")
"""
import math

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


def attribute_below(name, limit):
    """Test: ``answer.<name>`` (a number, or a method returning one) is below ``limit``.

    Works on any object with that attribute: a widget's state such as a Playground's
    ``test_loss``, a History-like object, a model.
    """
    def test(answer):
        if not hasattr(answer, name):
            return f"expected an object with a {name} (e.g. your widget), got {type(answer).__name__}"
        value = getattr(answer, name)
        value = value() if callable(value) else value
        if value is None or not math.isfinite(float(value)):
            return f"its {name} is {value}: run or train it first"
        if float(value) >= limit:
            return f"its {name} is {float(value):.4g}; get it below {limit:g}"
        return None
    return test
