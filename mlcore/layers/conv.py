"""Conv2D: a bank of filters slid over images."""
from .. import activations, initializers, regularizers
from ..ops import conv as conv_ops
from ..ops.padding import as_pair, check_padding
from ..arguments import check_int
from .base import LayerWithActivation


def require_images(layer_name, x):
    """Return ``x`` if it is a batch of images ``(N, H, W, C)``, else raise naming the layer."""
    if x.ndim != 4:
        raise ValueError(f"{layer_name}: expected input of shape (batch, height, width, "
                         f"channels), got {x.shape} ({x.ndim} axes)")
    return x


class Conv2D(LayerWithActivation):
    """2-D convolution layer: ``a = g(conv(x, kernel) + bias)``, channels-last.

    Each of the ``filters`` filters is a ``k_h x k_w x C_in`` block of weights.
    At every position it covers a window of the input, and the output pixel is
    the sum of the element-wise products plus that filter's bias (see
    :func:`mlcore.ops.conv2d_forward`). Parameters: ``k_h * k_w * C_in *
    filters`` weights + ``filters`` biases.

    Parameters
    ----------
    filters : int
        Number of filters = output channels ``C_out``.
    kernel_size : int or (int, int)
        ``(k_h, k_w)``; ``3`` means ``(3, 3)``.
    strides : int or (int, int), default 1
    padding : {'valid', 'same'}, default 'valid'
        'valid': no padding, output ``floor((H - k_h) / s) + 1``;
        'same': zeros as TensorFlow adds them, output ``ceil(H / s)``.
    activation : str or ActivationFunction, optional
    use_bias : bool, default True
    kernel_initializer, bias_initializer : default 'glorot_uniform', 'zeros'
    kernel_regularizer : str or Regularizer, optional
        Names are resolved in the constructor, as in :class:`Dense`.
    input_shape : (H, W, C_in), optional

    Shapes
    ------
    x ``(N, H, W, C_in)`` -> output ``(N, H_out, W_out, filters)``;
    ``params['kernel']`` ``(k_h, k_w, C_in, filters)``, ``params['bias']`` ``(filters,)``.
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, input_shape=None, name=None, trainable=True):
        super().__init__(name=name, trainable=trainable, input_shape=input_shape)
        self.filters = check_int(self.name, "filters", filters, 1)
        self.kernel_size = as_pair(kernel_size, self.name, "kernel_size")
        self.strides = as_pair(strides, self.name, "strides")
        self.padding = check_padding(padding, self.name)
        self.activation = self.resolve("activation", activations.get, activation)
        self.use_bias = use_bias
        self.kernel_initializer = self.resolve("kernel_initializer", initializers.get,
                                               kernel_initializer)
        self.bias_initializer = self.resolve("bias_initializer", initializers.get, bias_initializer)
        self.kernel_regularizer = self.resolve("kernel_regularizer", regularizers.get,
                                               kernel_regularizer)
        self._cols = None

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"{self.name}: expected input_shape (height, width, channels), "
                             f"got {tuple(input_shape)}")
        self.compute_output_shape(input_shape)  # raises if the kernel does not fit
        self.add_weight("kernel", self.kernel_size + (input_shape[2], self.filters),
                        self.kernel_initializer, self.kernel_regularizer)
        if self.use_bias:
            self.add_weight("bias", (self.filters,), self.bias_initializer)
        super().build(input_shape)

    def compute_output_shape(self, input_shape):
        kernel_shape = self.kernel_size + (input_shape[2], self.filters)
        _, _, out_hw = conv_ops.conv_geometry((1,) + tuple(input_shape), kernel_shape,
                                              self.strides, self.padding, self.name)
        return out_hw + (self.filters,)

    def check_input(self, x):
        require_images(self.name, x)
        if x.shape[3] != self.input_shape[2]:
            raise ValueError(f"{self.name}: expected {self.input_shape[2]} input channels, "
                             f"got {x.shape[3]} (input shape {x.shape})")
        super().check_input(x)

    def forward(self, x, training=False):
        if not self.built:
            self.build(require_images(self.name, x).shape[1:])
        self.check_input(x)
        strides, pads, out_hw = conv_ops.conv_geometry(x.shape, self.params["kernel"].shape,
                                                       self.strides, self.padding, self.name)
        self.last_input = x
        self._cols = conv_ops.im2col(x, self.kernel_size, strides, pads, out_hw)
        self.z = conv_ops.conv2d_from_cols(self._cols, self.params["kernel"],
                                           self.params.get("bias"), (len(x),) + out_hw)
        self.a = self.activation(self.z)
        return self.a

    def backward_from_z(self, grad_z, input_gradient=True):
        """Dense's three factors, with the weight shared by every window position.

        ``z[n, i, j, c] = sum_{a, b, k} xp[n, i*s_h + a, j*s_w + b, k] * W[a, b, k, c] + b[c]``, so
        from ``dC/dz = dC/da * g'(z)`` (``grad_z``, computed by ``backward``):

        - ``dC/dW[a, b, k, c] = sum_{n, i, j} xp[n, i*s_h + a, j*s_w + b, k] * dC/dz[n, i, j, c]``
        - ``dC/db[c] = sum_{n, i, j} dC/dz[n, i, j, c]``
        - ``dC/dx``: each ``dC/dz[n, i, j, c] * W[:, :, :, c]`` is added back onto
          the window it came from (overlapping windows add up).

        ``mlcore.ops.conv.conv2d_backward`` computes this with matrix products;
        ``conv2d_backward_naive`` beside it is the same as loops.
        """
        self.grad_z = grad_z
        grad_x, grad_kernel, grad_bias = conv_ops.conv2d_backward(
            self.grad_z, self.last_input, self.params["kernel"], self.strides, self.padding,
            cols=self._cols, input_gradient=input_gradient)
        self.grads["kernel"][...] = grad_kernel
        if self.use_bias:
            self.grads["bias"][...] = grad_bias
        self.add_penalty_gradients()
        self.grad_input = grad_x
        return grad_x
