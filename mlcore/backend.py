"""Process-wide settings: the random generator and the float type.

One seeded generator drives every random choice in the engine (initial
weights, shuffling, dropout masks, toy data), so ``set_seed(n)`` makes a
notebook re-execute with identical numbers.
"""
import contextlib

import numpy as np

_FLOAT_TYPES = ("float32", "float64")
_state = {"rng": np.random.default_rng(0), "floatx": "float32"}


def set_seed(seed):
    """Reseed the engine's single random generator.

    Parameters
    ----------
    seed : int
        Any non-negative integer. The same seed gives the same weights,
        shuffles and dropout masks.
    """
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"set_seed expected a non-negative int, got {seed!r}")
    _state["rng"] = np.random.default_rng(int(seed))


def rng():
    """Return the engine's random generator (a ``numpy.random.Generator``)."""
    return _state["rng"]


@contextlib.contextmanager
def seeded(seed):
    """Draw from a generator seeded with ``seed`` inside the block, then put
    the previous generator back, exactly where it was.

    Widgets recompute their state with a fixed seed this way, so moving a
    slider never changes the random numbers a notebook draws afterwards.
    """
    previous = _state["rng"]
    set_seed(seed)
    try:
        yield _state["rng"]
    finally:
        _state["rng"] = previous


def floatx():
    """Return the default float type name: ``'float32'`` or ``'float64'``."""
    return _state["floatx"]


def set_floatx(name):
    """Set the float type used for new weights and for inputs.

    ``'float32'`` (the default) is fast; ``'float64'`` is for gradient checks.
    """
    if name not in _FLOAT_TYPES:
        raise ValueError(f"set_floatx expected one of {_FLOAT_TYPES}, got {name!r}")
    _state["floatx"] = name


@contextlib.contextmanager
def float_precision(name):
    """Temporarily use another float type: ``with float_precision('float64'): ...``."""
    previous = floatx()
    set_floatx(name)
    try:
        yield
    finally:
        set_floatx(previous)
