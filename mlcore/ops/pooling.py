"""2-D max and average pooling, channels-last.

Shapes: ``x`` is ``(N, H, W, C)``; a ``p_h x p_w`` window moves with stride
``(s_h, s_w)``; the output is ``(N, H_out, W_out, C)`` with
``H_out = floor((H + pad_top + pad_bottom - p_h) / s_h) + 1`` (same for W).
Each channel is pooled on its own. Pooling has no weights.

'same' padding follows TensorFlow/Keras: the padded cells never win a max
(they count as -inf) and are left out of an average (the window's mean is
over its real pixels only).

What each of the ``p_h * p_w`` offsets inside a window sees, for every
window of the batch, is copied once into a contiguous slab
(:func:`~mlcore.ops.windows.gather_windows`), so the arithmetic runs over
whole arrays, never over pixels. The backward passes hand one slab of
gradients per offset to :func:`~mlcore.ops.windows.gather_windows_adjoint`,
the same adjoint the convolution uses.
"""
import numpy as np

from .padding import as_pair, check_padding, output_hw, pad2d, remembered, window_pads
from .windows import gather_windows, gather_windows_adjoint, window_slices


@remembered
def pool_geometry(x_shape, pool_size, stride, padding, where):
    """Check arguments; return ``(pool_hw, strides, pads, (H_out, W_out))``.

    ``stride=None`` means ``stride = pool_size`` (Keras' default).
    """
    if len(x_shape) != 4:
        raise ValueError(f"{where}: expected x of shape (N, H, W, C) (4 axes), "
                         f"got {tuple(x_shape)}")
    pool_hw = as_pair(pool_size, where, "pool_size")
    strides = pool_hw if stride is None else as_pair(stride, where, "strides")
    padding = check_padding(padding, where)
    pads = window_pads(x_shape[1:3], pool_hw, strides, padding, where, "pool window")
    return pool_hw, strides, pads, output_hw(x_shape[1:3], pool_hw, strides, pads)


def max_pool2d_forward(x, pool_size=(2, 2), stride=None, padding="valid"):
    """Largest value in each window: ``out[n, i, j, c] = max over the window of x[n, ., ., c]``.

    Parameters
    ----------
    x : array, shape (N, H, W, C)
    pool_size : int or (int, int), default (2, 2)
    stride : int or (int, int), optional
        Defaults to ``pool_size`` (windows side by side).
    padding : {'valid', 'same'}

    Returns
    -------
    out : array, shape (N, H_out, W_out, C)
    argmax : small int array, shape (N, H_out, W_out, C)
        Which offset ``a * p_w + b`` of the window held the maximum (the
        first one in row-major order on ties, as PyTorch); backward needs it.
    """
    pool_hw, strides, pads, out_hw = pool_geometry(x.shape, pool_size, stride, padding,
                                                   "max_pool2d_forward")
    xp = pad2d(x, pads, value=-np.inf)
    # Every window offset as a contiguous slab (K, N, H_out, W_out, C), K = p_h * p_w:
    # comparing strided views of channels-last data is about 3x slower.
    slabs = gather_windows(xp, pool_hw, strides, out_hw)
    out = slabs.max(axis=0)
    # Index of the first offset holding the maximum, from the "not the maximum" flags ne_k:
    # argmax = ne_0 * (1 + ne_1 * (1 + ... ne_{K-2})), in small ints (twice as fast as np.where).
    argmax = np.zeros(out.shape, dtype=np.min_scalar_type(len(slabs)))
    for slab in slabs[-2::-1]:
        argmax += 1
        argmax *= np.not_equal(slab, out)
    return out, argmax


def max_pool2d_backward(grad_out, argmax, x_shape, pool_size=(2, 2), stride=None,
                        padding="valid"):
    """Route each output's gradient to the input pixel that was the maximum.

    Parameters
    ----------
    grad_out : array, shape (N, H_out, W_out, C)
    argmax : int array, shape (N, H_out, W_out, C)
        From :func:`max_pool2d_forward`.
    x_shape : tuple
        ``(N, H, W, C)`` of the forward input.

    Returns
    -------
    array, shape x_shape
        Zero everywhere except at the maxima; overlapping windows add up.
    """
    pool_hw, strides, pads, _ = pool_geometry(x_shape, pool_size, stride, padding,
                                              "max_pool2d_backward")
    offsets = np.arange(pool_hw[0] * pool_hw[1], dtype=argmax.dtype).reshape(-1, 1, 1, 1, 1)
    return gather_windows_adjoint(grad_out * (argmax == offsets), x_shape, pool_hw, strides, pads)


def average_pool2d_forward(x, pool_size=(2, 2), stride=None, padding="valid"):
    """Mean of each window: ``out[n, i, j, c] = sum over the window / count``.

    ``count`` is ``p_h * p_w``, or with 'same' padding the number of real
    (not padded) pixels under the window. Arguments as in
    :func:`max_pool2d_forward`; returns ``(N, H_out, W_out, C)``.
    """
    pool_hw, strides, pads, out_hw = pool_geometry(x.shape, pool_size, stride, padding,
                                                   "average_pool2d_forward")
    total = gather_windows(pad2d(x, pads), pool_hw, strides, out_hw).sum(axis=0)
    return total / _window_counts(x.shape, pool_hw, strides, pads, out_hw, x.dtype)


def average_pool2d_backward(grad_out, x_shape, pool_size=(2, 2), stride=None, padding="valid"):
    """Each output's gradient shared equally by the ``count`` pixels of its window.

    Returns an array of shape ``x_shape``.
    """
    pool_hw, strides, pads, out_hw = pool_geometry(x_shape, pool_size, stride, padding,
                                                   "average_pool2d_backward")
    share = grad_out / _window_counts(x_shape, pool_hw, strides, pads, out_hw, grad_out.dtype)
    slabs = np.broadcast_to(share, (pool_hw[0] * pool_hw[1],) + share.shape)
    return gather_windows_adjoint(slabs, x_shape, pool_hw, strides, pads)


def pool2d_forward_naive(x, pool_size=(2, 2), stride=None, padding="valid", mode="max"):
    """Max or average pooling as loops over images, positions and channels (teaching, oracle).

    ``mode`` is ``'max'`` or ``'average'``; returns ``(N, H_out, W_out, C)``.
    """
    if mode not in ("max", "average"):
        raise ValueError(f"pool2d_forward_naive: mode must be 'max' or 'average', got {mode!r}")
    (ph, pw), (sh, sw), pads, (ho, wo) = pool_geometry(x.shape, pool_size, stride, padding,
                                                       "pool2d_forward_naive")
    xp = pad2d(x, pads, value=np.nan)  # nan marks padding, so it is skipped below
    out = np.zeros((x.shape[0], ho, wo, x.shape[3]), dtype=x.dtype)
    for n in range(x.shape[0]):
        for i in range(ho):
            for j in range(wo):
                for c in range(x.shape[3]):
                    window = xp[n, i * sh:i * sh + ph, j * sw:j * sw + pw, c]
                    real = window[~np.isnan(window)]
                    out[n, i, j, c] = real.max() if mode == "max" else real.mean()
    return out


def _window_counts(x_shape, pool_hw, strides, pads, out_hw, dtype):
    """Real pixels under each window, shape ``(H_out, W_out, 1)`` (broadcasts over N and C)."""
    if not any(sum(p) for p in pads):
        return np.asarray(pool_hw[0] * pool_hw[1], dtype=dtype)
    ones = pad2d(np.ones((1,) + tuple(x_shape[1:3]) + (1,), dtype=dtype), pads)
    counts = np.zeros((1,) + out_hw + (1,), dtype=dtype)
    for _, _, index in window_slices(pool_hw, strides, out_hw):
        counts += ones[index]
    return counts[0]

