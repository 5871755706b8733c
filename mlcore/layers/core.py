"""Fully-connected building blocks: Dense, Activation, Flatten, Dropout."""
import numpy as np

from .. import activations, backend, initializers, regularizers
from ..arguments import check_int, check_number
from .base import Layer, LayerWithActivation


class Dense(LayerWithActivation):
    """Fully-connected layer: ``a = g(x @ W + b)``.

    In the course's notation, node j of this layer computes
    ``z_j = sum_k w_jk a_k + b_j`` and ``a_j = g(z_j)``. Here the kernel is
    stored Keras' way, ``W[k, j]`` with shape ``(n_in, units)``, so
    ``w_jk`` is ``kernel[k, j]``. Inputs with more than two axes are
    transformed along the last axis only, as in Keras.

    Parameters
    ----------
    units : int
        Number of nodes (output size).
    activation : str or ActivationFunction, optional
        ``'relu'``, ``'sigmoid'``, ... ; None means linear.
    use_bias : bool
    kernel_initializer, bias_initializer : str, Initializer or callable
        Defaults ``'glorot_uniform'`` and ``'zeros'``, as in Keras.
    kernel_regularizer : str or Regularizer, optional
        e.g. ``l2(0.01)``; its penalty is added to the loss.

    Names (activation, initializers, regularizer) are resolved here, in the
    constructor, as Keras does: an unknown one fails at once, naming the
    layer and listing the valid names.
    input_shape : tuple, optional
        Shape of one sample, e.g. ``(1,)``, for the first layer.

    Shapes
    ------
    x: ``(N, ..., n_in)`` -> output ``(N, ..., units)``.
    """

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, input_shape=None, name=None, trainable=True):
        super().__init__(name=name, trainable=trainable, input_shape=input_shape)
        self.units = check_int(self.name, "units", units, 1)
        self.activation = self.resolve("activation", activations.get, activation)
        self.use_bias = use_bias
        self.kernel_initializer = self.resolve("kernel_initializer", initializers.get,
                                               kernel_initializer)
        self.bias_initializer = self.resolve("bias_initializer", initializers.get, bias_initializer)
        self.kernel_regularizer = self.resolve("kernel_regularizer", regularizers.get,
                                               kernel_regularizer)

    def build(self, input_shape):
        n_in = input_shape[-1]
        self.add_weight("kernel", (n_in, self.units), self.kernel_initializer,
                        self.kernel_regularizer)
        if self.use_bias:
            self.add_weight("bias", (self.units,), self.bias_initializer)
        super().build(input_shape)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def forward(self, x, training=False):
        self.last_input = x
        z = x @ self.params["kernel"]
        if self.use_bias:
            z += self.params["bias"]
        self.z = z
        self.a = self.activation(z)
        return self.a

    def backward_from_z(self, grad_z, input_gradient=True):
        """Chapter 06's three factors, for a whole batch at once.

        With ``W[k, j] = w_jk`` (the kernel maps input node k to node j), from
        ``dC/dz_j = dC/da_j * g'(z_j)`` (``grad_z``, computed by ``backward``):

        - ``dC/dw_jk = sum over samples of a_k^(l-1) * dC/dz_j`` (``grads['kernel'] = x.T @ grad_z``)
        - ``dC/db_j = sum over samples of dC/dz_j``              (``grads['bias']``)
        - ``dC/da_k^(l-1) = sum_j w_jk * dC/dz_j``              (returned: ``grad_z @ W.T``)

        A kernel regularizer adds its penalty's gradient to ``dC/dW``.
        """
        self.grad_z = grad_z
        x2 = self.last_input.reshape(-1, self.last_input.shape[-1])
        g2 = grad_z.reshape(-1, self.units)
        np.matmul(x2.T, g2, out=self.grads["kernel"])
        if self.use_bias:
            np.sum(g2, axis=0, out=self.grads["bias"])
        self.add_penalty_gradients()
        self.grad_input = grad_z @ self.params["kernel"].T if input_gradient else None
        return self.grad_input


class Activation(LayerWithActivation):
    """Apply an activation on its own: ``Dense(5)`` then ``Activation('relu')``
    computes the same as ``Dense(5, activation='relu')``.

    Parameters
    ----------
    activation : str or ActivationFunction
    """

    def __init__(self, activation, input_shape=None, name=None):
        super().__init__(name=name, input_shape=input_shape)
        self.activation = self.resolve("activation", activations.get, activation)

    def forward(self, x, training=False):
        self.last_input = self.z = x
        self.a = self.activation(x)
        return self.a

    def backward_from_z(self, grad_z, input_gradient=True):
        """The layer's input is its ``z``: ``dC/dx = dC/dz``."""
        self.grad_z = self.grad_input = grad_z
        return grad_z


class Flatten(Layer):
    """Reshape each sample to one axis: ``(N, d1, d2, ...)`` -> ``(N, d1*d2*...)``."""

    def compute_output_shape(self, input_shape):
        return (int(np.prod(input_shape)),)

    def forward(self, x, training=False):
        self.last_input = x
        self.a = x.reshape(x.shape[0], -1)
        return self.a

    def backward(self, grad_out, input_gradient=True):
        """``dC/dx`` is ``dC/da`` reshaped back to the input's shape: reshaping moves no value."""
        self.grad_input = grad_out.reshape(self.last_input.shape)
        return self.grad_input


class Dropout(Layer):
    """Randomly silence a fraction ``rate`` of the inputs while training.

    The kept inputs are scaled by ``1 / (1 - rate)`` ("inverted dropout"), so
    the expected value is unchanged and nothing needs rescaling at inference,
    where the layer passes its input through untouched: ``predict`` is
    deterministic.

    Parameters
    ----------
    rate : float
        Fraction dropped, in [0, 1).
    """

    def __init__(self, rate, input_shape=None, name=None):
        super().__init__(name=name, input_shape=input_shape)
        self.rate = check_number(self.name, "rate", rate, 0, 1, include_high=False)
        self.mask = None

    def forward(self, x, training=False):
        self.last_input = x
        if not training or self.rate == 0:
            self.mask = None
            self.a = x
            return x
        keep = backend.rng().random(x.shape) >= self.rate
        self.mask = keep.astype(x.dtype) / (1 - self.rate)
        self.a = x * self.mask
        return self.a

    def backward(self, grad_out, input_gradient=True):
        """``dC/dx = dC/da * mask``: a dropped input gets no gradient, a kept one
        the same ``1 / (1 - rate)`` scale as its value."""
        self.grad_input = grad_out if self.mask is None else grad_out * self.mask
        return self.grad_input
