"""Output sizes and zero padding for sliding-window layers (convolution, pooling).

A window of size f slides over n positions with stride s after p zeros are
added on each side. It fits

    floor((n + 2p - f) / s) + 1

times (the course's ``n - f + 1`` is the case p = 0, s = 1).

``padding='valid'`` adds nothing. ``padding='same'`` follows TensorFlow/Keras
exactly: the output has ``ceil(n / s)`` positions and the padding needed for
that,

    pad_total = max((ceil(n / s) - 1) * s + f - n, 0),

is split ``pad_total // 2`` before (top/left) and the rest after
(bottom/right), so an odd total puts the extra zero at the bottom/right.

Moving window contents around (gathering and scattering) lives in
:mod:`.windows`; this module only says how large things are and pads them.
"""
import functools
import math

import numpy as np

from ..arguments import check_int, is_int

PADDINGS = ("valid", "same")


_PLAIN = frozenset((str, int, type(None)))


def _plain(args):
    """True if every argument is a str, an int, None or a tuple of them (recursively).

    Equal plain arguments always get the same answer; a bool, a float, a
    NumPy int or a list may compare equal to a valid value yet must be
    checked (and rejected or accepted) on its own.
    """
    for arg in args:
        kind = type(arg)
        if kind is tuple:
            if not _plain(arg):
                return False
        elif kind not in _PLAIN:
            return False
    return True


def remembered(geometry):
    """``geometry(*args)`` with its answers kept for plain arguments (see :func:`_plain`).

    A training loop asks a layer's shape questions again every batch, and the
    checks behind one answer cost about 6 us (some 1 % of a small CNN's step
    for the four layers, both passes). Errors are not kept: a bad argument
    raises every time. Other arguments (and keywords) are worked out afresh.
    """
    kept = functools.lru_cache(maxsize=256)(geometry)

    @functools.wraps(geometry)
    def answer(*args, **kwargs):
        return geometry(*args, **kwargs) if kwargs or not _plain(args) else kept(*args)
    return answer


def check_padding(padding, where):
    """Return ``padding`` lower-cased, or raise naming ``where`` and the valid strings."""
    if isinstance(padding, str) and padding.lower() in PADDINGS:
        return padding.lower()
    raise ValueError(f"{where}: padding must be one of {list(PADDINGS)}, got {padding!r}")


def as_pair(value, where, what):
    """``3 -> (3, 3)``; ``(3, 2)`` stays; anything but positive ints raises."""
    pair = (value, value) if isinstance(value, (int, np.integer)) else tuple(value) \
        if isinstance(value, (tuple, list)) else None
    if pair is None or len(pair) != 2 or not all(is_int(v) and v > 0 for v in pair):
        raise ValueError(f"{where}: {what} must be a positive int or a pair of them, got {value!r}")
    return int(pair[0]), int(pair[1])


def conv_output_size(n, f, p=0, s=1):
    """Number of positions of a window of size ``f`` on ``n`` inputs.

    Parameters
    ----------
    n : int
        Input size (height or width), > 0.
    f : int
        Window (filter) size, > 0.
    p : int, default 0
        Zeros added on EACH side, >= 0.
    s : int, default 1
        Stride, > 0.

    Returns
    -------
    int
        ``floor((n + 2p - f) / s) + 1``. Example: n=28, f=3 -> 26.

    Raises
    ------
    ValueError
        If the window is larger than the padded input (``f > n + 2p``).
    """
    for what, value, low in (("n", n, 1), ("f", f, 1), ("p", p, 0), ("s", s, 1)):
        check_int("conv_output_size", what, value, low)
    if f > n + 2 * p:
        raise ValueError(f"conv_output_size: the window (f={f}) is larger than the padded "
                         f"input (n + 2p = {n + 2 * p})")
    return (n + 2 * p - f) // s + 1


def same_padding(n, f, s):
    """TensorFlow's 'same' padding for one axis: ``(before, after)``.

    ``pad_total = max((ceil(n / s) - 1) * s + f - n, 0)``, ``before = pad_total // 2``,
    ``after = pad_total - before``. Example: n=5, f=4, s=1 -> (1, 2).
    """
    total = max((math.ceil(n / s) - 1) * s + f - n, 0)
    return total // 2, total - total // 2


def padding_amounts(input_hw, window_hw, strides, padding):
    """Zeros to add: ``((top, bottom), (left, right))`` for a 2-D window.

    Parameters
    ----------
    input_hw, window_hw, strides : pair of int
        ``(H, W)``, ``(f_h, f_w)``, ``(s_h, s_w)``.
    padding : {'valid', 'same'}
    """
    if padding == "valid":
        return (0, 0), (0, 0)
    return tuple(same_padding(n, f, s) for n, f, s in zip(input_hw, window_hw, strides))


def output_hw(input_hw, window_hw, strides, pads):
    """``(H_out, W_out)`` from :func:`conv_output_size` on each axis with ``pads``.

    With 'same' pads this is ``(ceil(H / s_h), ceil(W / s_w))``.
    """
    return tuple((n + before + after - f) // s + 1
                 for n, f, s, (before, after) in zip(input_hw, window_hw, strides, pads))


def pad2d(x, pads, value=0.0):
    """Pad the height and width axes of ``x`` (N, H, W, C) with ``value``.

    Returns ``x`` itself when there is nothing to add.
    """
    (top, bottom), (left, right) = pads
    if top == bottom == left == right == 0:
        return x
    # Allocate and copy in: several times faster than np.pad for these small batches.
    xp = padded_zeros(x.shape, pads, x.dtype)
    if value != 0:
        xp.fill(value)
    crop2d(xp, x.shape, pads)[...] = x
    return xp


def padded_zeros(x_shape, pads, dtype):
    """Zeros shaped like ``x`` (N, H, W, C) after :func:`pad2d` (to accumulate gradients in)."""
    n, h, w, c = x_shape
    (top, bottom), (left, right) = pads
    return np.zeros((n, h + top + bottom, w + left + right, c), dtype=dtype)


def crop2d(xp, x_shape, pads):
    """Undo :func:`pad2d`: the ``x_shape`` part of a padded array (a view)."""
    (top, _), (left, _) = pads
    return xp[:, top:top + x_shape[1], left:left + x_shape[2], :]


def window_pads(input_hw, window_hw, strides, padding, where, what):
    """Padding amounts, after checking the window fits the padded input."""
    pads = padding_amounts(input_hw, window_hw, strides, padding)
    padded = tuple(n + sum(p) for n, p in zip(input_hw, pads))
    if any(f > n for f, n in zip(window_hw, padded)):
        raise ValueError(f"{where}: the {what} {tuple(window_hw)} is larger than the "
                         f"{'padded ' if padding == 'same' else ''}input {padded} "
                         f"(padding='{padding}')")
    return pads
