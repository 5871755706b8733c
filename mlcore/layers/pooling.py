"""MaxPooling2D and AveragePooling2D: shrink feature maps, no weights."""
from ..ops import pooling as pool_ops
from ..ops.padding import as_pair, check_padding
from .base import Layer
from .conv import require_images


class _Pooling2D(Layer):
    """Shared arguments and checks of the 2-D pooling layers.

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
        if len(input_shape) != 3:
            raise ValueError(f"{self.name}: expected input_shape (height, width, channels), "
                             f"got {tuple(input_shape)}")
        *_, out_hw = pool_ops.pool_geometry((1,) + tuple(input_shape), self.pool_size,
                                            self.strides, self.padding, self.name)
        return out_hw + (input_shape[2],)

    def check_input(self, x):
        require_images(self.name, x)
        super().check_input(x)

    def _start(self, x):
        if not self.built:
            self.build(require_images(self.name, x).shape[1:])
        self.check_input(x)
        self.last_input = x


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

    def backward(self, grad_out):
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

    def backward(self, grad_out):
        self.grad_input = pool_ops.average_pool2d_backward(
            grad_out, self.last_input.shape, self.pool_size, self.strides, self.padding)
        return self.grad_input
