"""Gathering and scattering the contents of sliding windows (convolution, pooling).

A ``k_h x k_w`` window slides with stride ``(s_h, s_w)`` over a padded image
``xp`` of shape ``(N, H, W, C)``. Instead of looping over output pixels, the
fast paths loop over the ``k_h * k_w`` offsets ``(a, b)`` inside a window:
offset ``(a, b)`` of every window of the batch is one strided slice of
``xp`` (:func:`window_slices`). :func:`gather_windows` copies all of them at
once into contiguous slabs; :func:`gather_windows_adjoint` adds slabs back
where they came from, which is what a backward pass needs.
"""
import numpy as np

from .padding import crop2d, padded_zeros


def window_slices(window_hw, strides, out_hw):
    """For each window offset ``(a, b)``, the slices of the padded image it touches.

    Yields ``(a, b, index)`` where ``xp[index]`` has shape ``(N, H_out, W_out, C)``
    and holds, for every output pixel, the input at offset ``(a, b)`` of its window.
    Looping over the ``k_h * k_w`` offsets (not over pixels) keeps this vectorised.
    """
    (kh, kw), (sh, sw), (ho, wo) = window_hw, strides, out_hw
    for a in range(kh):
        for b in range(kw):
            yield a, b, (slice(None), slice(a, a + sh * (ho - 1) + 1, sh),
                         slice(b, b + sw * (wo - 1) + 1, sw), slice(None))


def pixels(a):
    """``a`` of shape (..., C) seen as an array of shape (...) whose elements are
    whole pixels, C values each (a view; the channel axis must be contiguous).

    NumPy copies strided data along the innermost axis. For a window slice of
    a channels-last image that axis holds only C values (1 to 16 here), and
    the copy crawls; copied pixel by pixel it runs about twice as fast at C = 8.
    """
    return a.view(f"V{a.shape[-1] * a.itemsize}")[..., 0]


def strided_view(a, shape, strides, writeable=False):
    """A view of the C-contiguous array ``a`` with other ``shape`` and ``strides`` (bytes).

    What ``np.lib.stride_tricks.as_strided`` makes, ten times cheaper (about
    5 us a call there; a small CNN's step made six such views). NumPy still
    checks that every element lies inside ``a``. Read-only unless ``writeable``.
    """
    view = np.ndarray(shape, a.dtype, a, 0, strides)
    if not writeable:
        view.flags.writeable = False
    return view


def _window_view(xp, window_hw, strides, out_hw, writeable=False):
    """Pixels of ``xp`` (N, H, W, C) by window offset: a view of shape (k_h, k_w, N, H_out, W_out)."""
    (kh, kw), (sh, sw), (ho, wo) = window_hw, strides, out_hw
    # A slice or a Fortran-ordered input is copied (read only: a writeable xp is always
    # a gradient buffer this module allocated, contiguous).
    xp = np.ascontiguousarray(xp)
    pix = pixels(xp)
    s_n, s_h, s_w = pix.strides
    return strided_view(pix, (kh, kw, xp.shape[0], ho, wo),
                        (s_h, s_w, s_n, s_h * sh, s_w * sw), writeable)


def gather_windows(xp, window_hw, strides, out_hw, out=None):
    """Copy what every window offset sees, offset by offset, in one pass.

    Returns ``out``, shape (k_h*k_w, N, H_out, W_out, C), contiguous: slab
    ``a*k_w + b`` is ``xp[index]`` of :func:`window_slices`' offset ``(a, b)``.
    """
    kh, kw = window_hw
    if out is None:
        out = np.empty((kh * kw, xp.shape[0]) + tuple(out_hw) + (xp.shape[3],), dtype=xp.dtype)
    pixels(out).reshape((kh, kw) + out.shape[1:4])[...] = _window_view(xp, window_hw, strides,
                                                                       out_hw)
    return out


def scatter_windows(grad_xp, slabs, window_hw, strides):
    """Write slabs shaped like :func:`gather_windows`' output back where they came from.

    Only for windows that do not overlap (stride >= window): each pixel of
    ``grad_xp`` receives at most one value.
    """
    kh, kw = window_hw
    view = _window_view(grad_xp, window_hw, strides, slabs.shape[2:4], writeable=True)
    view[...] = pixels(slabs).reshape((kh, kw) + slabs.shape[1:4])


def gather_windows_adjoint(slabs, x_shape, window_hw, strides, pads):
    """The adjoint (transpose) of ``x -> gather_windows(pad2d(x, pads), ...)``.

    Every slab entry is added back onto the input pixel it was read from:
    where windows overlap the contributions add up, and the padding is
    cropped away. This is how a gradient with respect to the windows becomes
    a gradient with respect to the image: the input gradient of a
    convolution (``im2col``'s rows are these slabs side by side) and of
    pooling.

    Parameters
    ----------
    slabs : array, shape (k_h*k_w, N, H_out, W_out, C)
        One slab per window offset ``(a, b)`` in row-major order, as
        :func:`gather_windows` lays them out.
    x_shape : tuple
        ``(N, H, W, C)`` of the unpadded input.
    window_hw, strides : pair of int
    pads : ((top, bottom), (left, right))

    Returns
    -------
    array, shape x_shape
        ``grad_x[n, r, s, c] = sum of slabs[a*k_w + b, n, i, j, c]`` over all
        ``(a, b, i, j)`` with ``i*s_h + a = r + top`` and ``j*s_w + b = s + left``.
    """
    grad_xp = padded_zeros(x_shape, pads, slabs.dtype)
    if all(s >= k for s, k in zip(strides, window_hw)):  # windows side by side: no sums
        scatter_windows(grad_xp, slabs, window_hw, strides)
    else:
        for (_, _, index), slab in zip(window_slices(window_hw, strides, slabs.shape[2:4]), slabs):
            grad_xp[index] += slab
    return crop2d(grad_xp, x_shape, pads)
