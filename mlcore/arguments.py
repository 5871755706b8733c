"""One look-up rule for every registry (activations, losses, optimizers, ...).

Keras lets code name a component in several ways; so does ``lookup``:

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
