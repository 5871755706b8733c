"""BatchNormalization: normalise each feature over the batch, then scale and shift."""
import numpy as np

from .. import initializers
from ..arguments import check_int, check_number
from .base import Layer


class BatchNormalization(Layer):
    """Batch normalisation (Ioffe & Szegedy, 2015) with Keras' arguments and behaviour.

    For each feature ``k`` along ``axis``, with ``m`` values of it in the batch:

    - training (``fit``): ``mu_k``, ``var_k`` = mean and (biased, 1/m) variance over
      every other axis; ``x_hat = (x - mu_k) / sqrt(var_k + epsilon)``;
      ``y = gamma_k * x_hat + beta_k``; and the moving statistics move toward the
      batch ones: ``moving = moving * momentum + batch_stat * (1 - momentum)``;
    - inference (``predict``, ``evaluate``), or ``trainable=False``: the same formula
      with ``moving_mean`` and ``moving_variance`` in place of the batch statistics,
      so one sample's output does not depend on the rest of its batch.

    ``gamma`` and ``beta`` are trainable; ``moving_mean`` and ``moving_variance``
    are not (they live in ``state`` and ``summary()`` counts them as non-trainable).
    Weight order is Keras': gamma, beta, moving_mean, moving_variance.

    Parameters
    ----------
    axis : int, default -1
        The feature axis, counted in the batch's shape (``axis=1`` is the
        first axis after the batch axis). Every other axis is averaged over.
        After ``Dense`` layers on inputs of shape ``(1, 5)`` the batch is
        ``(N, 1, units)``: ``axis=1`` normalises the size-1 axis (one gamma),
        ``axis=-1`` each of the ``units`` nodes.
    momentum : float, default 0.99
    epsilon : float, default 1e-3
    center, scale : bool, default True
        Use ``beta`` / ``gamma``.
    beta_initializer, gamma_initializer : default 'zeros', 'ones'
    moving_mean_initializer, moving_variance_initializer : default 'zeros', 'ones'

    Attributes after a forward pass
    -------------------------------
    x_hat : the normalised input; ``batch_mean``, ``batch_variance`` : the
    statistics used (batch ones in training, moving ones at inference).
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 input_shape=None, name=None, trainable=True):
        super().__init__(name=name, trainable=trainable, input_shape=input_shape)
        self.axis = check_int(self.name, "axis", axis)
        self.momentum = check_number(self.name, "momentum", momentum, 0, 1)
        self.epsilon = check_number(self.name, "epsilon", epsilon, 0, include_low=False)
        self.center, self.scale = center, scale
        self.initializers = {name: self.resolve(f"{name}_initializer", initializers.get, init)
                             for name, init in (("gamma", gamma_initializer),
                                                ("beta", beta_initializer),
                                                ("moving_mean", moving_mean_initializer),
                                                ("moving_variance", moving_variance_initializer))}
        self.x_hat = self.batch_mean = self.batch_variance = None

    def build(self, input_shape):
        rank = len(input_shape) + 1  # with the batch axis
        if not (-rank < self.axis < rank) or self.axis % rank == 0:
            raise ValueError(f"{self.name}: axis={self.axis} is not a feature axis of inputs "
                             f"with shape (batch, {', '.join(map(str, input_shape))}); use 1 to "
                             f"{rank - 1} or -1 to {-(rank - 1)}")
        self._feature_axis = self.axis % rank
        self._reduce_axes = tuple(a for a in range(rank) if a != self._feature_axis)
        # Weights are 1-D, (features,); this shape broadcasts them against a batch.
        self._broadcast = tuple(input_shape[self._feature_axis - 1] if a == self._feature_axis
                                else 1 for a in range(rank))
        shape = (input_shape[self._feature_axis - 1],)
        for name, wanted, trainable in (("gamma", self.scale, True), ("beta", self.center, True),
                                        ("moving_mean", True, False),
                                        ("moving_variance", True, False)):
            if wanted:
                self.add_weight(name, shape, self.initializers[name], trainable=trainable)
        super().build(input_shape)

    def _w(self, name):
        return self._weight(name).reshape(self._broadcast)

    def forward(self, x, training=False):
        if not self.built:
            self.build(x.shape[1:])
        self.check_input(x)
        self.last_input = x
        # As in Keras, a frozen layer (trainable=False) always runs in inference mode.
        self._use_batch_stats = training and self.trainable
        if self._use_batch_stats:
            mean = x.mean(axis=self._reduce_axes)
            variance = x.var(axis=self._reduce_axes)  # biased (1/m), as Keras' ops.moments
            # Keras' rule (keras/src/layers/normalization/batch_normalization.py, call()):
            # moving_mean.assign(moving_mean * momentum + mean * (1 - momentum)), same for variance.
            for name, batch_stat in (("moving_mean", mean), ("moving_variance", variance)):
                moving = self.state[name]
                moving[...] = moving * self.momentum + batch_stat * (1 - self.momentum)
        else:
            mean, variance = self.state["moving_mean"], self.state["moving_variance"]
        self.batch_mean, self.batch_variance = mean, variance
        self._inv_std = 1 / np.sqrt(variance.reshape(self._broadcast) + self.epsilon)
        self.x_hat = (x - mean.reshape(self._broadcast)) * self._inv_std
        out = self.x_hat * self._w("gamma") if self.scale else self.x_hat
        self.a = out + self._w("beta") if self.center else out
        return self.a

    def backward(self, grad_out, input_gradient=True):
        """Gradients of ``a = gamma * x_hat + beta``, ``x_hat = (x - mean) / std``.

        Sums run over the ``m`` values that share one mean (the batch, and
        the image's pixels for convolution features):

        - ``dC/dbeta = sum dC/da``;  ``dC/dgamma = sum dC/da * x_hat``
        - with ``g = dC/dx_hat = dC/da * gamma``, in training (batch statistics,
          which depend on every x too):
          ``dC/dx = (g - mean(g) - x_hat * mean(g * x_hat)) / std``;
          at inference (moving statistics, constants): ``dC/dx = g / std``.
        """
        axes = self._reduce_axes
        if self.center:
            self.grads["beta"][...] = grad_out.sum(axis=axes)
        if self.scale:
            self.grads["gamma"][...] = (grad_out * self.x_hat).sum(axis=axes)
        grad_x_hat = grad_out * self._w("gamma") if self.scale else grad_out
        if not input_gradient:
            self.grad_input = None
        elif self._use_batch_stats:
            # mean and variance depend on every x too:
            # dx = (g - mean(g) - x_hat * mean(g * x_hat)) / std
            mean_g = grad_x_hat.mean(axis=axes, keepdims=True)
            mean_gx = (grad_x_hat * self.x_hat).mean(axis=axes, keepdims=True)
            self.grad_input = (grad_x_hat - mean_g - self.x_hat * mean_gx) * self._inv_std
        else:
            self.grad_input = grad_x_hat * self._inv_std
        return self.grad_input
