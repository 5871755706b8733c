"""Weight initializers, with Keras' names, formulas and fan conventions.

An initializer is called with a shape and returns an array. Fans follow
Keras: a Dense kernel ``(n_in, n_out)`` has fan_in = n_in and fan_out = n_out;
a Conv2D kernel ``(kh, kw, c_in, c_out)`` has fan_in = kh*kw*c_in and
fan_out = kh*kw*c_out.

=================  =======================================================
name               distribution
=================  =======================================================
glorot_uniform     U(-l, l), l = sqrt(6 / (fan_in + fan_out))   (default)
glorot_normal      truncated N(0, 2 / (fan_in + fan_out))
he_uniform         U(-l, l), l = sqrt(6 / fan_in)
he_normal          truncated N(0, 2 / fan_in)
lecun_uniform      U(-l, l), l = sqrt(3 / fan_in)
lecun_normal       truncated N(0, 1 / fan_in)
random_normal      N(mean, stddev^2)        (stddev=1 gives the course's N(0, 1))
random_uniform     U(minval, maxval)
zeros, ones        constants
constant           ``constant(value)``
=================  =======================================================

The truncated normals redraw values beyond two standard deviations and are
scaled so the variance is the one in the table, as Keras does.
"""
import numpy as np

from . import backend
from .arguments import lookup, valid_names

# std of a unit normal truncated to [-2, 2]; dividing by it restores the variance.
_TRUNCATED_STD = 0.87962566103423978


def compute_fans(shape):
    """Return (fan_in, fan_out) for a kernel shape, Keras' way."""
    shape = tuple(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * receptive_field, shape[-1] * receptive_field


def _truncated_normal(shape, stddev):
    values = backend.rng().standard_normal(shape)
    outside = np.abs(values) > 2
    while outside.any():
        values[outside] = backend.rng().standard_normal(int(outside.sum()))
        outside = np.abs(values) > 2
    return values * (stddev / _TRUNCATED_STD)


class Initializer:
    """Base class: ``init(shape) -> ndarray``."""

    def __call__(self, shape):
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"

    def __str__(self):
        """The name ``get`` knows it by when it has that name's defaults
        (``'glorot_uniform'``, as a layer's ``kernel_initializer`` prints), else the repr."""
        for name, cls in _REGISTRY.items():
            if type(self) is cls and vars(self) == vars(cls()):
                return name
        return repr(self)


class VarianceScaling(Initializer):
    """Draw with variance ``scale / n`` where n is fan_in, fan_out or their mean.

    Parameters
    ----------
    scale : float
        Numerator of the variance (1 for Glorot/LeCun, 2 for He).
    mode : {'fan_in', 'fan_out', 'fan_avg'}
    distribution : {'truncated_normal', 'uniform'}
    """

    def __init__(self, scale, mode, distribution):
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def __call__(self, shape):
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        if self.distribution == "uniform":
            limit = np.sqrt(3 * variance)
            return backend.rng().uniform(-limit, limit, shape)
        return _truncated_normal(shape, np.sqrt(variance))


class GlorotUniform(VarianceScaling):
    """Glorot (Xavier) uniform: variance 2 / (fan_in + fan_out). Keras' default."""

    def __init__(self):
        super().__init__(1.0, "fan_avg", "uniform")


class GlorotNormal(VarianceScaling):
    """Glorot (Xavier) normal: variance 2 / (fan_in + fan_out)."""

    def __init__(self):
        super().__init__(1.0, "fan_avg", "truncated_normal")


class HeUniform(VarianceScaling):
    """He uniform: variance 2 / fan_in, suited to relu."""

    def __init__(self):
        super().__init__(2.0, "fan_in", "uniform")


class HeNormal(VarianceScaling):
    """He normal: variance 2 / fan_in, suited to relu."""

    def __init__(self):
        super().__init__(2.0, "fan_in", "truncated_normal")


class LecunUniform(VarianceScaling):
    """LeCun uniform: variance 1 / fan_in."""

    def __init__(self):
        super().__init__(1.0, "fan_in", "uniform")


class LecunNormal(VarianceScaling):
    """LeCun normal: variance 1 / fan_in."""

    def __init__(self):
        super().__init__(1.0, "fan_in", "truncated_normal")


class RandomNormal(Initializer):
    """N(mean, stddev^2), not truncated; ``RandomNormal(stddev=1.0)`` is the course's N(0, 1)."""

    def __init__(self, mean=0.0, stddev=0.05):
        if not stddev >= 0:
            raise ValueError(f"random_normal: stddev must be >= 0, got {stddev!r}")
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape):
        return backend.rng().normal(self.mean, self.stddev, shape)


class RandomUniform(Initializer):
    """U(minval, maxval)."""

    def __init__(self, minval=-0.05, maxval=0.05):
        if not maxval >= minval:
            raise ValueError(f"random_uniform: need minval <= maxval, got {minval!r} > {maxval!r}")
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape):
        return backend.rng().uniform(self.minval, self.maxval, shape)


class Constant(Initializer):
    """Every weight equal to ``value``."""

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape):
        return np.full(shape, self.value, dtype=float)


class Zeros(Constant):
    """All zeros (the default for biases)."""

    def __init__(self):
        super().__init__(0.0)


class Ones(Constant):
    """All ones."""

    def __init__(self):
        super().__init__(1.0)


_REGISTRY = {
    "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal,
    "he_uniform": HeUniform,
    "he_normal": HeNormal,
    "lecun_uniform": LecunUniform,
    "lecun_normal": LecunNormal,
    "random_normal": RandomNormal,
    "random_uniform": RandomUniform,
    "zeros": Zeros,
    "ones": Ones,
    "constant": Constant,
}

glorot_uniform, glorot_normal = GlorotUniform, GlorotNormal
he_uniform, he_normal, lecun_uniform, lecun_normal = HeUniform, HeNormal, LecunUniform, LecunNormal
random_normal, random_uniform, zeros, ones, constant = RandomNormal, RandomUniform, Zeros, Ones, Constant


def names():
    """The names ``get`` accepts."""
    return valid_names(_REGISTRY)


def get(identifier):
    """Return an initializer for a name, a class, an instance, or a callable ``f(shape)``."""
    return lookup("initializer", identifier, _REGISTRY, Initializer, accept_callable=True)
