"""Every setting of a Playground experiment, and the short string that shares it.

``PlaygroundSettings`` is a frozen record: the data set and its seed, the
input features, the network shape and how it is trained. ``str(settings)``
is a short ``key=value&...`` string (Playground keeps the same in its URL);
``PlaygroundSettings.parse`` reads it back, so a learner can send a teacher
the exact experiment.

``SettingsTraits`` holds the same fields as traitlets traits: the one object
the view's controls are linked to (``widgets.link``) and observed through.
"""
import dataclasses
import math

import numpy as np
from traitlets import Float, HasTraits, Int, TraitError, Tuple, Unicode, validate

from ...arguments import is_int
from ...data.planar import PLANAR_SETS

# name -> (label, f(x1, x2)); Playground's seven inputs
FEATURES = {
    "x1": ("x₁", lambda x1, x2: x1),
    "x2": ("x₂", lambda x1, x2: x2),
    "x1sq": ("x₁²", lambda x1, x2: x1 * x1),
    "x2sq": ("x₂²", lambda x1, x2: x2 * x2),
    "x1x2": ("x₁x₂", lambda x1, x2: x1 * x2),
    "sinx1": ("sin x₁", lambda x1, x2: np.sin(x1)),
    "sinx2": ("sin x₂", lambda x1, x2: np.sin(x2)),
}
DATASETS = PLANAR_SETS + ("custom",)  # custom: the points given to the Playground
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear", "leaky_relu")
INITIALIZERS = ("glorot_uniform", "he_normal", "random_normal", "zeros")
OPTIMIZERS = ("sgd", "momentum", "adam")
REGULARIZATIONS = ("none", "l1", "l2")
MAX_LAYERS, MAX_NEURONS = 6, 8
NEEDS_POINTS = ("Playground: dataset 'custom' needs points; this playground was made without "
                "data=(x, y)")
LEARNING_RATES = (1e-5, 10.0)
# Settings that act on the running network; any other change starts it again.
LIVE = ("learning_rate", "batch_size", "regularization_rate")
_SHORT = {"dataset": "data", "noise": "noise", "train_ratio": "train", "n_samples": "n",
          "seed": "seed", "features": "in", "hidden": "net", "activation": "act",
          "initializer": "init", "init_std": "std", "optimizer": "opt",
          "learning_rate": "lr", "batch_size": "batch", "regularization": "reg",
          "regularization_rate": "rate", "dropout": "drop"}


def _check(where, ok, expected, value):
    if not ok:
        raise ValueError(f"Playground: {where} must be {expected}, got {value!r}")


def _is_number(value):
    return (is_int(value) or isinstance(value, (float, np.floating))) and math.isfinite(value)


@dataclasses.dataclass(frozen=True)
class PlaygroundSettings:
    """One experiment: data, inputs, network and training (Playground's defaults).

    Parameters
    ----------
    dataset : {'circle', 'xor', 'gauss', 'spiral', 'custom'}
        'custom' is data handed to the Playground (``data=(x, y)``); the
        string then holds everything but the points themselves.
    noise : float in [0, 0.5]
        Not used for custom data.
    train_ratio : float in [0.1, 0.9]
        Share of the samples used for training; the rest is the test set.
    n_samples : int
        For custom data, the number of points given.
    seed : int >= 0
        Draws the data, the initial weights, the batches and the dropout masks.
    features : tuple of str
        Inputs, from ``FEATURES``: x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2.
    hidden : tuple of int
        Neurons per hidden layer: 0 to 6 layers of 1 to 8 neurons.
    activation : {'relu', 'tanh', 'sigmoid', 'linear', 'leaky_relu'}
        Of every hidden layer (the output is a sigmoid).
    initializer : {'glorot_uniform', 'he_normal', 'random_normal', 'zeros'}
        Of every kernel (biases start at zero). With 'zeros' all neurons of a
        layer stay identical: nothing breaks their symmetry (Playground's initZero).
    init_std : float > 0
        Standard deviation of 'random_normal'.
    optimizer : {'sgd', 'momentum', 'adam'}
        'momentum' is SGD with momentum 0.9.
    learning_rate : float in [1e-5, 10]
    batch_size : int >= 1
    regularization : {'none', 'l1', 'l2'}
    regularization_rate : float >= 0
        The penalty ``rate * sum|w|`` or ``rate * sum(w^2)`` on every kernel.
    dropout : float in [0, 0.9]
        Dropout rate after every hidden layer.
    """

    dataset: str = "circle"
    noise: float = 0.0
    train_ratio: float = 0.5
    n_samples: int = 500
    seed: int = 0
    features: tuple = ("x1", "x2")
    hidden: tuple = (4, 2)
    activation: str = "tanh"
    initializer: str = "glorot_uniform"
    init_std: float = 0.5
    optimizer: str = "sgd"
    learning_rate: float = 0.03
    batch_size: int = 10
    regularization: str = "none"
    regularization_rate: float = 0.0
    dropout: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "features", tuple(self.features))
        object.__setattr__(self, "hidden", tuple(self.hidden))
        for name, options in (("dataset", DATASETS), ("activation", ACTIVATIONS),
                              ("initializer", INITIALIZERS), ("optimizer", OPTIMIZERS),
                              ("regularization", REGULARIZATIONS)):
            value = getattr(self, name)
            _check(name, value in options, f"one of {options}", value)
        _check("noise", _is_number(self.noise) and 0 <= self.noise <= 0.5,
               "a number in [0, 0.5]", self.noise)
        _check("train_ratio", _is_number(self.train_ratio) and 0.1 <= self.train_ratio <= 0.9,
               "a number in [0.1, 0.9]", self.train_ratio)
        _check("n_samples", is_int(self.n_samples) and 4 <= self.n_samples <= 100_000,
               "an int in [4, 100000]", self.n_samples)
        _check("seed", is_int(self.seed) and self.seed >= 0, "an int >= 0", self.seed)
        _check("features", bool(self.features) and set(self.features) <= set(FEATURES)
               and len(set(self.features)) == len(self.features),
               f"a non-empty selection of {tuple(FEATURES)}", self.features)
        _check("hidden", len(self.hidden) <= MAX_LAYERS
               and all(is_int(n) and 1 <= n <= MAX_NEURONS for n in self.hidden),
               f"up to {MAX_LAYERS} layers of 1 to {MAX_NEURONS} neurons", self.hidden)
        _check("init_std", _is_number(self.init_std) and self.init_std > 0, "a number > 0",
               self.init_std)
        low, high = LEARNING_RATES
        _check("learning_rate", _is_number(self.learning_rate)
               and low <= self.learning_rate <= high, f"a number in [{low:g}, {high:g}]",
               self.learning_rate)
        _check("batch_size", is_int(self.batch_size) and self.batch_size >= 1,
               "an int >= 1", self.batch_size)
        _check("regularization_rate", _is_number(self.regularization_rate)
               and self.regularization_rate >= 0, "a number >= 0", self.regularization_rate)
        _check("dropout", _is_number(self.dropout) and 0 <= self.dropout <= 0.9,
               "a number in [0, 0.9]", self.dropout)
        # the order of the features is FEATURES' order, so equal selections compare equal
        object.__setattr__(self, "features", tuple(f for f in FEATURES if f in self.features))

    def replace(self, **changes):
        """A copy with ``changes`` applied (and checked)."""
        return dataclasses.replace(self, **changes)

    def __str__(self):
        parts = []
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, tuple):
                text = ("," if field.name == "features" else "-").join(map(str, value))
            elif isinstance(value, float):
                text = f"{value:.6g}"
            else:
                text = str(value)
            parts.append(f"{_SHORT[field.name]}={text}")
        return "&".join(parts)

    @classmethod
    def parse(cls, text):
        """Read a string made by ``str(settings)``; missing keys keep their defaults."""
        names = {short: name for name, short in _SHORT.items()}
        types = {field.name: field.type for field in dataclasses.fields(cls)}
        values = {}
        for part in filter(None, str(text).strip().lstrip("#?").split("&")):
            key, _, raw = part.partition("=")
            if key not in names:
                raise ValueError(f"Playground settings: unknown key {key!r} in {text!r}; "
                                 f"known keys are {sorted(names)}")
            name = names[key]
            try:
                if name == "features":
                    value = tuple(filter(None, raw.split(",")))
                elif name == "hidden":
                    value = tuple(int(n) for n in filter(None, raw.split("-")))
                else:
                    value = types[name](raw)
            except ValueError:
                raise ValueError(f"Playground settings: {key}={raw!r} is not a valid "
                                 f"{types[name].__name__}") from None
            values[name] = value
        return cls(**values)


_TRAIT_TYPES = {str: Unicode, int: Int, float: Float, tuple: Tuple}
_FIELDS = tuple(field.name for field in dataclasses.fields(PlaygroundSettings))


class _Traits(HasTraits):
    """The checks of ``SettingsTraits``; its traits are added from ``PlaygroundSettings``."""

    def __init__(self, settings=None, custom=False):
        self.custom = custom
        super().__init__(**vars(settings or PlaygroundSettings()))

    def record(self):
        """The current values as a ``PlaygroundSettings``."""
        return PlaygroundSettings(**{name: getattr(self, name) for name in _FIELDS})

    def set_values(self, **values):
        """Set several fields at once; all or nothing (a bad value changes none)."""
        unknown = set(values) - set(_FIELDS)
        if unknown:
            raise TraitError(f"Playground: unknown settings {sorted(unknown)}; the settings are "
                             f"{list(_FIELDS)}")
        with self.hold_trait_notifications():  # checked together, rolled back on an error
            for name, value in values.items():
                setattr(self, name, value)

    @validate(*_FIELDS)
    def _check(self, proposal):
        # PlaygroundSettings checks the value (and puts the features in their order)
        name = proposal["trait"].name
        try:
            value = getattr(self.record().replace(**{name: proposal["value"]}), name)
        except ValueError as error:
            raise TraitError(str(error)) from None
        if name == "dataset" and value == "custom" and not self.custom:
            raise TraitError(NEEDS_POINTS)
        return value


# One trait per field, with the field's type and default.
SettingsTraits = type("SettingsTraits", (_Traits,), {
    "__doc__": """The settings of a Playground view as traits, one per ``PlaygroundSettings`` field.

    The controls are linked to these traits (``widgets.link``) and the view
    observes them, so setting ``pg.traits.learning_rate = 0.1`` in code moves
    the slider and acts on the network, as moving the slider does. Every
    value is checked as ``PlaygroundSettings`` checks it (a ``TraitError``
    names what was expected).

    Parameters
    ----------
    settings : PlaygroundSettings, optional
        The starting values (default: ``PlaygroundSettings()``).
    custom : bool
        Whether ``dataset='custom'`` is allowed (the view was given points).
    """,
    **{field.name: _TRAIT_TYPES[field.type](field.default)
       for field in dataclasses.fields(PlaygroundSettings)}})
