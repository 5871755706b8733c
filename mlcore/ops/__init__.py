"""Stateless array functions behind the convolutional layers.

Each operation has a fast vectorised version (used by the layers) and, for
teaching and testing, a naive loop version that reads like the course:

- :mod:`.padding`: geometry: the output-size formula ``conv_output_size(n, f, p, s)``,
  TensorFlow's 'same' padding rule, padding an image with zeros;
- :mod:`.windows`: moving window contents: ``gather_windows`` (every window
  offset of a batch copied at once) and its adjoint ``gather_windows_adjoint``
  (gradients added back where they came from);
- :mod:`.conv`: ``conv2d_forward``, ``conv2d_backward`` and their loop versions
  ``conv2d_forward_naive``, ``conv2d_backward_naive``; ``im2col``;
- :mod:`.pooling`: max and average pooling forward/backward, ``pool2d_forward_naive``.

Layout is channels-last: images ``(N, H, W, C)``, kernels ``(k_h, k_w, C_in, C_out)``.
"""
from .conv import (conv2d_backward, conv2d_backward_naive, conv2d_forward, conv2d_forward_naive,
                   im2col)
from .padding import conv_output_size, padding_amounts, same_padding
from .windows import gather_windows, gather_windows_adjoint
from .pooling import (average_pool2d_backward, average_pool2d_forward, max_pool2d_backward,
                      max_pool2d_forward, pool2d_forward_naive)

__all__ = [
    "conv_output_size", "same_padding", "padding_amounts",
    "conv2d_forward", "conv2d_backward", "conv2d_forward_naive", "conv2d_backward_naive",
    "im2col", "gather_windows", "gather_windows_adjoint",
    "max_pool2d_forward", "max_pool2d_backward", "average_pool2d_forward",
    "average_pool2d_backward", "pool2d_forward_naive",
]
