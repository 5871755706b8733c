"""2-D convolution (really cross-correlation, as in Keras), channels-last.

Shapes, everywhere in this module:

- ``x``: ``(N, H, W, C_in)``, a batch of N images;
- ``kernel``: ``(k_h, k_w, C_in, C_out)``, one ``k_h x k_w x C_in`` filter per output channel;
- ``bias``: ``(C_out,)``;
- output: ``(N, H_out, W_out, C_out)`` with
  ``H_out = floor((H + pad_top + pad_bottom - k_h) / s_h) + 1`` (same for W).

Output pixel ``(n, i, j, c)`` is the sum of the element-wise products of the
filter ``kernel[:, :, :, c]`` with the window of ``x[n]`` whose top-left corner
is at ``(i * s_h, j * s_w)`` of the padded image, plus ``bias[c]``.

The fast path lays every window out as one row of a matrix ("im2col"), so the
whole batch is a single matrix product; the naive path is the loop a person
would write from that description, and the tests hold the two equal.
"""
import numpy as np

from .padding import as_pair, check_padding, output_hw, pad2d, remembered, window_pads
from .windows import gather_windows, gather_windows_adjoint, strided_view


@remembered
def conv_geometry(x_shape, kernel_shape, stride, padding, where="conv2d"):
    """Check shapes and return ``(strides, pads, (H_out, W_out))``.

    Raises a ValueError naming ``where`` for a wrong rank, a channel mismatch,
    an unknown padding string, a non-positive stride, or a kernel larger than
    the padded input.
    """
    if len(x_shape) != 4:
        raise ValueError(f"{where}: expected x of shape (N, H, W, C) (4 axes), "
                         f"got {tuple(x_shape)}")
    if len(kernel_shape) != 4:
        raise ValueError(f"{where}: expected a kernel of shape (k_h, k_w, C_in, C_out), "
                         f"got {tuple(kernel_shape)}")
    if x_shape[3] != kernel_shape[2]:
        raise ValueError(f"{where}: the kernel expects {kernel_shape[2]} input channels, "
                         f"got x with {x_shape[3]} channels (shape {tuple(x_shape)})")
    strides = as_pair(stride, where, "strides")
    padding = check_padding(padding, where)
    pads = window_pads(x_shape[1:3], kernel_shape[:2], strides, padding, where, "kernel")
    return strides, pads, output_hw(x_shape[1:3], kernel_shape[:2], strides, pads)


def im2col(x, kernel_hw, strides, pads, out_hw):
    """Every window of the padded ``x`` as one row of a matrix, followed by a 1.

    Returns
    -------
    cols : array, shape (N*H_out*W_out, k_h*k_w*C + 1)
        Row ``m`` is the window of output pixel ``m`` (pixels in row-major
        ``(n, i, j)`` order), its entries in ``(a, b, c)`` order, matching
        ``kernel.reshape(-1, C_out)``. The last column is all ones, so
        ``cols @ [kernel; bias]`` adds the bias inside the one matrix product
        (adding it afterwards cost more than the product itself for 8 filters),
        and ``cols.T @ grad`` gives the bias gradient as its last row.

    Notes
    -----
    With one input channel the windows are gathered offset by offset into a
    ``(k_h*k_w + 1, N*H_out*W_out)`` array of long contiguous rows and its
    transpose (a view, which BLAS reads as it is) is returned: about 5x
    faster than copying 9-value windows one by one.
    """
    xp = np.ascontiguousarray(pad2d(x, pads))  # a copy only for a sliced x without padding
    (kh, kw), (sh, sw), (ho, wo) = kernel_hw, strides, out_hw
    n, _, _, c = xp.shape
    rows, k = n * ho * wo, kh * kw * c
    if c == 1:
        cols_t = np.empty((k + 1, rows), dtype=x.dtype)
        gather_windows(xp, kernel_hw, strides, out_hw, out=cols_t[:k].reshape(k, n, ho, wo, 1))
        cols_t[k] = 1
        return cols_t.T
    s0, s1, s2, s3 = xp.strides
    # A read-only strided view (no copy): axes (n, i, j, a, b, c).
    windows = strided_view(xp, (n, ho, wo, kh, kw, c), (s0, s1 * sh, s2 * sw, s1, s2, s3))
    cols = np.empty((n, ho, wo, k + 1), dtype=x.dtype)
    cols[..., :k].reshape(windows.shape)[...] = windows  # the one copy
    cols[..., k] = 1
    return cols.reshape(rows, k + 1)


def conv2d_forward(x, kernel, bias=None, stride=1, padding="valid"):
    """Convolve a batch of images with a bank of filters (fast, vectorised).

    ``z[n, i, j, c] = sum_{a, b, k} xp[n, i*s_h + a, j*s_w + b, k] * kernel[a, b, k, c] + bias[c]``
    where ``xp`` is ``x`` zero-padded as ``padding`` says.

    Parameters
    ----------
    x : array, shape (N, H, W, C_in)
    kernel : array, shape (k_h, k_w, C_in, C_out)
    bias : array, shape (C_out,), optional
    stride : int or (int, int), default 1
    padding : {'valid', 'same'}, default 'valid'

    Returns
    -------
    array, shape (N, H_out, W_out, C_out)
        ``H_out = floor((H + p_top + p_bottom - k_h) / s_h) + 1``; with 'same'
        this is ``ceil(H / s_h)``.
    """
    strides, pads, out_hw = conv_geometry(x.shape, kernel.shape, stride, padding, "conv2d_forward")
    cols = im2col(x, kernel.shape[:2], strides, pads, out_hw)
    return conv2d_from_cols(cols, kernel, bias, (x.shape[0],) + out_hw)


def conv2d_from_cols(cols, kernel, bias, out_nhw):
    """The matrix product at the heart of :func:`conv2d_forward`: ``cols @ [kernel; bias]``.

    Parameters
    ----------
    cols : array, shape (N*H_out*W_out, k_h*k_w*C_in + 1)
        From :func:`im2col` (its last column is ones).
    kernel : array, shape (k_h, k_w, C_in, C_out)
    bias : array, shape (C_out,), or None
    out_nhw : (N, H_out, W_out)

    Returns
    -------
    array, shape (N, H_out, W_out, C_out)
    """
    k = cols.shape[1] - 1
    if bias is None:
        out = np.matmul(cols[:, :k], kernel.reshape(k, -1))
    else:
        out = np.matmul(cols, np.concatenate([kernel.reshape(k, -1), bias[np.newaxis]]))
    return out.reshape(tuple(out_nhw) + (kernel.shape[3],))


def conv2d_backward(grad_out, x, kernel, stride=1, padding="valid", cols=None,
                    input_gradient=True):
    """Gradients of a convolution, given ``grad_out = dC/dz``.

    Parameters
    ----------
    grad_out : array, shape (N, H_out, W_out, C_out)
    x : array, shape (N, H, W, C_in)
        The input of the forward pass.
    kernel : array, shape (k_h, k_w, C_in, C_out)
    stride, padding
        As in the forward pass.
    cols : array, optional
        :func:`im2col` of ``x`` kept from the forward pass (saves recomputing it).
    input_gradient : bool, default True
        False skips ``grad_x`` (returned as None): a network's first layer
        does not need the gradient with respect to the data.

    Returns
    -------
    grad_x : array, shape (N, H, W, C_in)
        ``dC/dx``: each ``grad_out`` pixel sends ``grad_out * kernel`` back to
        the window it came from (windows that overlap add up).
    grad_kernel : array, shape (k_h, k_w, C_in, C_out)
        ``dC/dkernel[a, b, k, c] =
        sum_{n, i, j} xp[n, i*s_h + a, j*s_w + b, k] * grad_out[n, i, j, c]``.
    grad_bias : array, shape (C_out,)
        ``sum_{n, i, j} grad_out[n, i, j, c]``.
    """
    strides, pads, out_hw = conv_geometry(x.shape, kernel.shape, stride, padding, "conv2d_backward")
    expected = (x.shape[0],) + out_hw + (kernel.shape[3],)
    if grad_out.shape != expected:
        raise ValueError(f"conv2d_backward: expected grad_out of shape {expected}, "
                         f"got {grad_out.shape}")
    if cols is None:
        cols = im2col(x, kernel.shape[:2], strides, pads, out_hw)
    kh, kw, c_in, c_out = kernel.shape
    g2 = grad_out.reshape(-1, c_out)
    # The ones column of cols makes the last row of this product the bias gradient.
    grad_weights = np.matmul(cols.T, g2)
    grad_kernel, grad_bias = grad_weights[:-1].reshape(kernel.shape), grad_weights[-1]
    if not input_gradient:
        return None, grad_kernel, grad_bias
    # dC/d(window entry at offset (a, b)) = grad_out @ kernel[a, b].T, for all offsets in one
    # batched product laid out (k_h*k_w, N*H_out*W_out, C_in) for gather_windows_adjoint.
    grad_cols = np.matmul(g2, kernel.reshape(kh * kw, c_in, c_out).transpose(0, 2, 1))
    grad_x = gather_windows_adjoint(grad_cols.reshape((kh * kw,) + grad_out.shape[:3] + (c_in,)), x.shape,
                    (kh, kw), strides, pads)
    return grad_x, grad_kernel, grad_bias


def every_window(batch, out_hw, kernel_hw, strides):
    """The loops of the naive versions: for every image ``n`` and output pixel
    ``(i, j)``, yield ``(n, i, j, rows, cols)``, the slices of the padded image
    under the window (top-left corner at ``(i * s_h, j * s_w)``)."""
    for n in range(batch):
        for i in range(out_hw[0]):
            for j in range(out_hw[1]):
                top, left = i * strides[0], j * strides[1]
                yield (n, i, j, slice(top, top + kernel_hw[0]),
                       slice(left, left + kernel_hw[1]))


def conv2d_forward_naive(x, kernel, bias=None, stride=1, padding="valid"):
    """The same as :func:`conv2d_forward`, written as the course describes it.

    For every image, every output position and every filter: take the window
    under the filter, multiply element by element, add everything up (and the
    bias). Slow (four nested loops); for teaching and as a test oracle.
    """
    strides, pads, (ho, wo) = conv_geometry(x.shape, kernel.shape, stride, padding,
                                            "conv2d_forward_naive")
    xp = pad2d(x, pads)
    kh, kw, _, c_out = kernel.shape
    out = np.zeros((x.shape[0], ho, wo, c_out), dtype=np.result_type(x, kernel))
    for n, i, j, rows, cols in every_window(x.shape[0], (ho, wo), (kh, kw), strides):
        window = xp[n, rows, cols, :]
        for c in range(c_out):
            out[n, i, j, c] = np.sum(window * kernel[:, :, :, c])
            if bias is not None:
                out[n, i, j, c] += bias[c]
    return out


def conv2d_backward_naive(grad_out, x, kernel, stride=1, padding="valid"):
    """The same as :func:`conv2d_backward`, written as the chain rule says it.

    Every output pixel ``z[n, i, j, c]`` was ``sum(window * kernel[..., c]) +
    bias[c]``, so its gradient ``grad_out[n, i, j, c]`` flows back to each
    factor of each product: to ``kernel[a, b, k, c]`` times the window value
    it met, to the window value times ``kernel[a, b, k, c]``, and to
    ``bias[c]`` once. Loops over every pixel; for teaching and as a test oracle.

    Returns
    -------
    (grad_x, grad_kernel, grad_bias)
        As :func:`conv2d_backward`.
    """
    strides, pads, (ho, wo) = conv_geometry(x.shape, kernel.shape, stride, padding,
                                            "conv2d_backward_naive")
    xp = pad2d(x, pads)
    grad_xp = np.zeros_like(xp, dtype=np.result_type(x, kernel, grad_out))
    grad_kernel = np.zeros(kernel.shape, dtype=grad_xp.dtype)
    grad_bias = np.zeros(kernel.shape[3], dtype=grad_xp.dtype)
    kh, kw, _, c_out = kernel.shape
    for n, i, j, rows, cols in every_window(x.shape[0], (ho, wo), (kh, kw), strides):
        window = xp[n, rows, cols, :]
        for c in range(c_out):
            g = grad_out[n, i, j, c]
            grad_kernel[:, :, :, c] += g * window
            grad_xp[n, rows, cols, :] += g * kernel[:, :, :, c]
            grad_bias[c] += g
    (pad_top, _), (pad_left, _) = pads
    grad_x = grad_xp[:, pad_top:pad_top + x.shape[1], pad_left:pad_left + x.shape[2], :]
    return grad_x, grad_kernel, grad_bias
