"""Pooling layers: shrink feature maps window by window, or to one value per channel; no weights."""
import numpy as np

from ..ops import pooling as pool_ops
from ..ops.padding import as_pair, check_padding
from .base import Layer
from .conv import require_images


class _ImagePooling(Layer):
    """What every pooling layer shares: weightless, images ``(N, H, W, C)`` in."""

    def _check_input_shape(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"{self.name}: expected input_shape (height, width, channels), "
                             f"got {tuple(input_shape)}")

    def check_input(self, x):
        require_images(self.name, x)
        super().check_input(x)

    def _start(self, x):
        if not self.built:
            self.build(require_images(self.name, x).shape[1:])
        self.check_input(x)
        self.last_input = x


class _Pooling2D(_ImagePooling):
    """Shared arguments of the window pooling layers.

    Parameters
    ----------
    pool_size : int or (int, int), default (2, 2)
    strides : int or (int, int), optional
        Defaults to ``pool_size`` (Keras' default).
    padding : {'valid', 'same'}, default 'valid'

    Shapes
    ------
    x ``(N, H, W, C)`` -> ``(N, H_out, W_out, C)``, with
    ``H_out = floor((H - p_h) / s_h) + 1`` ('valid') or ``ceil(H / s_h)`` ('same').
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", input_shape=None,
                 name=None):
        super().__init__(name=name, input_shape=input_shape)
        self.pool_size = as_pair(pool_size, self.name, "pool_size")
        self.strides = self.pool_size if strides is None else as_pair(strides, self.name, "strides")
        self.padding = check_padding(padding, self.name)

    def compute_output_shape(self, input_shape):
        self._check_input_shape(input_shape)
        *_, out_hw = pool_ops.pool_geometry((1,) + tuple(input_shape), self.pool_size,
                                            self.strides, self.padding, self.name)
        return out_hw + (input_shape[2],)


class MaxPooling2D(_Pooling2D):
    """Keep the largest value of each ``pool_size`` window, per channel.

    A 2x2 window with stride 2 halves height and width (26x26 -> 13x13). The
    gradient flows back only to the pixel that was the maximum of its window.
    """

    def forward(self, x, training=False):
        self._start(x)
        self.a, self._argmax = pool_ops.max_pool2d_forward(x, self.pool_size, self.strides,
                                                           self.padding)
        return self.a

    def backward(self, grad_out, input_gradient=True):
        """``dC/dx = dC/da`` at the pixel that was its window's maximum, 0 elsewhere
        (a pixel that won several overlapping windows collects all their gradients)."""
        self.grad_input = pool_ops.max_pool2d_backward(
            grad_out, self._argmax, self.last_input.shape, self.pool_size, self.strides,
            self.padding)
        return self.grad_input


class AveragePooling2D(_Pooling2D):
    """Replace each ``pool_size`` window by its mean, per channel.

    With 'same' padding the mean is over the window's real pixels only, as in
    Keras. The gradient is shared equally by the pixels of each window.
    """

    def forward(self, x, training=False):
        self._start(x)
        self.a = pool_ops.average_pool2d_forward(x, self.pool_size, self.strides, self.padding)
        return self.a

    def backward(self, grad_out, input_gradient=True):
        """``dC/dx = dC/da / (pixels in the window)`` for every pixel of each window
        (summed where windows overlap)."""
        self.grad_input = pool_ops.average_pool2d_backward(
            grad_out, self.last_input.shape, self.pool_size, self.strides, self.padding)
        return self.grad_input


class _GlobalPooling2D(_ImagePooling):
    """Shared shape logic: ``(N, H, W, C)`` -> ``(N, C)``, or ``(N, 1, 1, C)`` with ``keepdims``."""

    def __init__(self, keepdims=False, input_shape=None, name=None):
        super().__init__(name=name, input_shape=input_shape)
        self.keepdims = bool(keepdims)

    def compute_output_shape(self, input_shape):
        self._check_input_shape(input_shape)
        return (1, 1, input_shape[2]) if self.keepdims else (input_shape[2],)

    def _shaped(self, pooled):
        """``pooled`` (N, C) in this layer's output shape."""
        return pooled[:, np.newaxis, np.newaxis, :] if self.keepdims else pooled

    def _flat_grad(self, grad_out):
        """``grad_out`` as (N, 1, C), one row per image, to broadcast over its pixels."""
        return grad_out.reshape(len(grad_out), 1, -1)


class GlobalAveragePooling2D(_GlobalPooling2D):
    """Mean of each channel over the whole image: ``a[n, c] = mean_{i, j} x[n, i, j, c]``.

    A common head for a convolutional base (instead of ``Flatten``): it keeps
    one number per filter, whatever the image size. The gradient is shared
    equally by all ``H * W`` pixels.

    Parameters
    ----------
    keepdims : bool, default False
        Output ``(N, 1, 1, C)`` instead of ``(N, C)``, as in Keras.
    """

    def forward(self, x, training=False):
        self._start(x)
        self.a = self._shaped(x.mean(axis=(1, 2)))
        return self.a

    def backward(self, grad_out, input_gradient=True):
        """``dC/dx[n, i, j, c] = dC/da[n, c] / (H * W)`` for every pixel."""
        n, h, w, c = self.last_input.shape
        share = self._flat_grad(grad_out) / (h * w)
        self.grad_input = np.repeat(share, h * w, axis=1).reshape(n, h, w, c)
        return self.grad_input


class GlobalMaxPooling2D(_GlobalPooling2D):
    """Largest value of each channel over the whole image: ``a[n, c] = max_{i, j} x[n, i, j, c]``.

    The gradient goes to the pixel that held the maximum (the first in
    row-major order on ties, as PyTorch). ``keepdims`` as in
    :class:`GlobalAveragePooling2D`.
    """

    def forward(self, x, training=False):
        self._start(x)
        flat = x.reshape(len(x), -1, x.shape[3])
        self._argmax = flat.argmax(axis=1)[:, np.newaxis, :]  # (N, 1, C)
        self.a = self._shaped(np.take_along_axis(flat, self._argmax, axis=1)[:, 0, :])
        return self.a

    def backward(self, grad_out, input_gradient=True):
        """``dC/dx = dC/da[n, c]`` at the pixel holding channel c's maximum, 0 elsewhere."""
        n, h, w, c = self.last_input.shape
        grad = np.zeros((n, h * w, c), dtype=grad_out.dtype)
        np.put_along_axis(grad, self._argmax, self._flat_grad(grad_out), axis=1)
        self.grad_input = grad.reshape(n, h, w, c)
        return self.grad_input
