"""Activation functions g(z) and how gradients flow back through them.

Each activation is an object with

- ``__call__(z)``: the value ``a = g(z)``;
- ``backward(z, a, grad_a)``: ``dC/dz`` given ``dC/da`` (a vector-Jacobian
  product, so softmax, whose Jacobian is not diagonal, fits the same shape);
- ``derivative(z)``: the element-wise slope ``g'(z)`` for plotting
  (softmax has none and raises).

``get('relu')`` looks one up by its Keras name.
"""
import numpy as np

from .arguments import lookup, valid_names


_zeros = {}  # dtype -> a read-only 1-D array of zeros, grown as needed


def zeros_like_cached(a):
    """A read-only array of zeros with the shape and dtype of ``a``, without
    allocating (and touching) fresh memory on every call."""
    zeros = _zeros.get(a.dtype)
    if zeros is None or zeros.size < a.size:
        zeros = np.zeros(a.size, dtype=a.dtype)
        zeros.flags.writeable = False
        _zeros[a.dtype] = zeros
    return zeros[:a.size].reshape(a.shape)


class ActivationFunction:
    """Base class; subclasses set ``name`` and implement the three methods."""

    name = None

    def __call__(self, z):
        raise NotImplementedError

    def derivative(self, z):
        """Element-wise slope g'(z), same shape as ``z``."""
        raise NotImplementedError

    def backward(self, z, a, grad_a):
        """dC/dz = g'(z) * dC/da for element-wise activations."""
        return grad_a * self.derivative(z)

    def __repr__(self):
        return f"<activation {self.name}>"


class Linear(ActivationFunction):
    """g(z) = z: the identity, used when a layer has no activation."""

    name = "linear"

    def __call__(self, z):
        return z

    def derivative(self, z):
        return np.ones_like(z)

    def backward(self, z, a, grad_a):
        """dC/dz = dC/da (slope 1)."""
        return grad_a


class ReLU(ActivationFunction):
    """g(z) = max(0, z). Its slope at exactly 0 is taken as 0, as in Keras and PyTorch."""

    name = "relu"

    def __call__(self, z):
        # np.maximum(z, 0) takes a slow scalar-broadcast path in NumPy; an
        # array of zeros shaped like z is about 3x faster (measured).
        z = np.asarray(z)
        return np.maximum(z, zeros_like_cached(z))

    def derivative(self, z):
        z = np.asarray(z)
        return (z > 0).astype(z.dtype)

    def backward(self, z, a, grad_a):
        """dC/dz = dC/da where z > 0, else 0: a dead unit passes no gradient."""
        return grad_a * (z > 0)


class LeakyReLU(ActivationFunction):
    """g(z) = z for z > 0, else ``negative_slope * z`` (Keras' default slope 0.2)."""

    name = "leaky_relu"

    def __init__(self, negative_slope=0.2):
        self.negative_slope = negative_slope

    def __call__(self, z):
        z = np.asarray(z)
        return np.where(z > 0, z, self.negative_slope * z)

    def derivative(self, z):
        z = np.asarray(z)
        return np.where(z > 0, 1, self.negative_slope).astype(z.dtype)


class Sigmoid(ActivationFunction):
    """g(z) = 1 / (1 + e^-z), computed without overflow for any z."""

    name = "sigmoid"

    def __call__(self, z):
        # e^-|z| never overflows; pick the algebraically equal form per sign.
        z = np.asarray(z)
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

    def derivative(self, z):
        s = self(z)
        return s * (1 - s)

    def backward(self, z, a, grad_a):
        """dC/dz = dC/da * a (1 - a), from the output a = g(z) already computed."""
        return grad_a * a * (1 - a)


class Tanh(ActivationFunction):
    """g(z) = tanh(z), with slope 1 - tanh(z)^2."""

    name = "tanh"

    def __call__(self, z):
        return np.tanh(z)

    def derivative(self, z):
        return 1 - np.tanh(z) ** 2

    def backward(self, z, a, grad_a):
        """dC/dz = dC/da * (1 - a^2), from the output a = g(z) already computed."""
        return grad_a * (1 - a * a)


class Softmax(ActivationFunction):
    """g(z)_j = e^{z_j} / sum_k e^{z_k} over the last axis; outputs sum to 1."""

    name = "softmax"

    def __call__(self, z):
        z = np.asarray(z)
        e = np.exp(z - z.max(axis=-1, keepdims=True))  # shift: no overflow
        return e / e.sum(axis=-1, keepdims=True)

    def derivative(self, z):
        raise TypeError(
            "softmax has no element-wise derivative: each output depends on every "
            "input. Use backward(z, a, grad_a) for the vector-Jacobian product."
        )

    def backward(self, z, a, grad_a):
        """dC/dz_k = a_k (dC/da_k - sum_j dC/da_j a_j): the Jacobian
        da_j/dz_k = a_j (1[j = k] - a_k) applied without building it."""
        return a * (grad_a - (grad_a * a).sum(axis=-1, keepdims=True))


_REGISTRY = {cls.name: cls for cls in (Linear, ReLU, LeakyReLU, Sigmoid, Tanh, Softmax)}

linear, relu, leaky_relu, sigmoid, tanh, softmax = (
    _REGISTRY[n]() for n in ("linear", "relu", "leaky_relu", "sigmoid", "tanh", "softmax")
)


def names():
    """The names ``get`` accepts."""
    return valid_names(_REGISTRY)


def get(identifier):
    """Return the activation for a name, a class, an instance, or None (meaning linear).

    Raises
    ------
    ValueError
        For an unknown name or object; the message lists the valid names.
    """
    if identifier is None:
        return linear
    return lookup("activation", identifier, _REGISTRY, ActivationFunction)
