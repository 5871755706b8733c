"""What a user passes, checked or resolved in one place, so every error reads the same.

``check_int`` and ``check_number`` accept a number in a range or raise a
ValueError that names the place, the argument, the range and what came.

``lookup`` resolves a component named in one of the ways Keras allows:

- a name, ``'he_normal'``: the registered class (or factory) called with
  its defaults;
- a class, ``initializers.HeNormal``: instantiated with its defaults, as
  Keras' ``get`` does;
- an instance, ``HeNormal()``: returned as it is;
- a plain callable, ``lambda shape: ...``: returned as it is, only where the
  registry says such callables work (initializers).

Anything else raises a ValueError that says what was given and lists the
valid names.
"""
import math

import numpy as np


def is_int(value):
    """True for Python and NumPy ints; False for a bool (an int to Python, never a count here)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_int(where, what, value, low=None, high=None, note=""):
    """``value`` as an ``int`` with ``low <= value <= high`` (either bound optional).

    ``note`` follows the range in the message, e.g. ``' (number of samples)'``.

    Raises
    ------
    ValueError
        ``'<where>: <what> must be <the range>, got <value>'``, e.g.
        ``'dense: units must be a positive int, got 0'``.
    """
    if not (is_int(value) and (low is None or value >= low) and (high is None or value <= high)):
        if high is not None:
            wanted = f"an int in [{low}, {high}]"
        elif low == 1:
            wanted = "a positive int"
        else:
            wanted = "an int" if low is None else f"an int >= {low}"
        raise ValueError(f"{where}: {what} must be {wanted}{note}, got {value!r}")
    return int(value)


def check_number(where, what, value, low=None, high=None, include_low=True, include_high=True):
    """``value`` as a finite ``float`` between ``low`` and ``high`` (either bound optional).

    ``include_low=False`` (``include_high=False``) excludes the bound itself,
    e.g. a rate in ``[0, 1)``. Bools are not numbers here.

    Raises
    ------
    ValueError
        ``'<where>: <what> must be a number in [0, 1), got 1.5'``, or
        ``'... must be a finite number > 0, got inf'`` for a bound on one side.
    """
    ok = (isinstance(value, (int, float, np.integer, np.floating))
          and not isinstance(value, (bool, np.bool_)) and math.isfinite(value))
    if ok and low is not None:
        ok = value >= low if include_low else value > low
    if ok and high is not None:
        ok = value <= high if include_high else value < high
    if not ok:
        if low is not None and high is not None:  # a range says "finite" by itself
            wanted = (f"a number in {'[' if include_low else '('}{low}, "
                      f"{high}{']' if include_high else ')'}")
        elif low is not None:
            wanted = f"a finite number {'>=' if include_low else '>'} {low}"
        elif high is not None:
            wanted = f"a finite number {'<=' if include_high else '<'} {high}"
        else:
            wanted = "a finite number"
        raise ValueError(f"{where}: {what} must be {wanted}, got {value!r}")
    return float(value)




def lookup(kind, identifier, registry, base, aliases=None, ignore_case=False,
           accept_callable=False):
    """Resolve ``identifier`` to a ready-to-use ``base`` object.

    Parameters
    ----------
    kind : str
        What is looked up, for messages, e.g. ``'initializer'``.
    identifier : str, type, object or callable
        What the user passed.
    registry : dict of str -> callable
        Valid names, each mapped to a class or factory called without arguments.
    base : type
        The class every instance (and every accepted class) derives from.
    aliases : dict of str -> str, optional
        Short names for registry names, e.g. ``{'mse': 'mean_squared_error'}``.
    ignore_case : bool, default False
        Match names case-insensitively (Keras does for optimizers: ``'Adam'``).
    accept_callable : bool, default False
        Return other callables unchanged (for registries whose users only call them).

    Raises
    ------
    ValueError
        For an unknown name or an unusable object; the message lists the valid names.
    """
    aliases = aliases or {}
    if isinstance(identifier, str):
        name = identifier.lower() if ignore_case else identifier
        name = aliases.get(name, name)
        if name in registry:
            return registry[name]()
        raise ValueError(f"unknown {kind} {identifier!r}; valid names are "
                         f"{valid_names(registry, aliases)}")
    if isinstance(identifier, type) and issubclass(identifier, base):
        return identifier()
    if isinstance(identifier, base):
        return identifier
    if accept_callable and callable(identifier) and not isinstance(identifier, type):
        return identifier
    callables = ", a callable" if accept_callable else ""
    raise ValueError(
        f"{kind} must be a name, or a subclass or instance of {base.__name__}{callables}; "
        f"got {identifier!r} of type {type(identifier).__name__}. "
        f"Valid names are {valid_names(registry, aliases)}"
    )


def valid_names(registry, aliases=None):
    """Sorted names ``lookup`` accepts for ``registry`` (with ``aliases``)."""
    return sorted(set(registry) | set(aliases or {}))
