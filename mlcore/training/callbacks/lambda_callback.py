"""LambdaCallback: a callback built from plain functions."""
from .callback import Callback


class LambdaCallback(Callback):
    """Build a callback from plain functions, e.g.
    ``LambdaCallback(on_epoch_end=lambda epoch, logs: print(logs['loss']))``.

    Each keyword is the name of a hook (``on_train_batch_end``, ...); the
    function takes that hook's arguments.
    """

    def __init__(self, **hooks):
        valid = [n for n in dir(Callback) if n.startswith("on_")]
        for name, function in hooks.items():
            if name not in valid:
                raise ValueError(f"LambdaCallback: unknown hook {name!r}; valid hooks are {valid}")
            setattr(self, name, function)
