"""mlcore.ops pooling: fast == naive, the course's examples, gradients, 'same' semantics."""
import numpy as np
import pytest

from mlcore import ops
from mlcore.teaching.gradcheck import numerical_gradient, relative_error

from helpers import random_array as _rand


def _max(x, *args):
    return ops.max_pool2d_forward(x, *args)[0]


GRID = [  # (x shape, pool_size, stride, padding)
    ((2, 4, 4, 1), 2, None, "valid"),
    ((2, 5, 7, 3), 2, None, "valid"),     # odd sizes: the last row/column is dropped
    ((1, 5, 7, 2), 2, None, "same"),      # ... or padded
    ((2, 7, 6, 2), 3, 2, "valid"),        # overlapping windows
    ((2, 7, 6, 2), 3, 2, "same"),
    ((1, 6, 6, 2), (2, 3), (1, 2), "same"),
    ((1, 5, 5, 1), 3, 1, "same"),
]


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("x_shape, pool, stride, padding", GRID)
def test_fast_equals_naive(mode, x_shape, pool, stride, padding):
    x = _rand(x_shape)
    fast = _max(x, pool, stride, padding) if mode == "max" else \
        ops.average_pool2d_forward(x, pool, stride, padding)
    np.testing.assert_allclose(fast, ops.pool2d_forward_naive(x, pool, stride, padding, mode),
                               rtol=1e-12)


def test_the_course_4x4_example():
    """2x2 windows, stride 2: the maxima of the four regions are 9, 8, 6 and 5."""
    x = np.array([[1, 9, 2, 8],
                  [3, 4, 7, 1],
                  [6, 0, 5, 3],
                  [2, 1, 4, 2]], dtype=float).reshape(1, 4, 4, 1)
    np.testing.assert_array_equal(_max(x, 2, 2, "valid")[0, :, :, 0], [[9, 8], [6, 5]])
    np.testing.assert_array_equal(ops.average_pool2d_forward(x, 2, 2)[0, :, :, 0],
                                  [[17 / 4, 18 / 4], [9 / 4, 14 / 4]])


def test_26_to_13():
    assert _max(_rand((1, 26, 26, 1)), 2).shape == (1, 13, 13, 1)
    assert ops.conv_output_size(28, 3) == 26 and ops.conv_output_size(26, 2, 0, 2) == 13


def test_same_padding_never_wins_a_max_and_is_not_averaged():
    x = -np.ones((1, 3, 3, 1))  # all negative: a zero pad would win a max
    assert (_max(x, 2, 2, "same") == -1).all()
    assert (ops.average_pool2d_forward(x, 2, 2, "same") == -1).all()


@pytest.mark.parametrize("x_shape, pool, stride, padding", GRID)
def test_backward_matches_finite_differences(x_shape, pool, stride, padding):
    x = _rand(x_shape)
    out, argmax = ops.max_pool2d_forward(x, pool, stride, padding)
    r = _rand(out.shape, 1)
    grad_max = ops.max_pool2d_backward(r, argmax, x.shape, pool, stride, padding)
    numeric = numerical_gradient(lambda: float(np.sum(_max(x, pool, stride, padding) * r)), x)
    assert relative_error(grad_max, numeric) < 1e-6
    grad_avg = ops.average_pool2d_backward(r, x.shape, pool, stride, padding)
    numeric = numerical_gradient(
        lambda: float(np.sum(ops.average_pool2d_forward(x, pool, stride, padding) * r)), x)
    assert relative_error(grad_avg, numeric) < 1e-6


def test_max_gradient_goes_to_the_first_maximum_on_ties():
    x = np.zeros((1, 2, 2, 1))
    out, argmax = ops.max_pool2d_forward(x, 2)
    grad = ops.max_pool2d_backward(np.ones_like(out), argmax, x.shape, 2)
    np.testing.assert_array_equal(grad[0, :, :, 0], [[1, 0], [0, 0]])


def test_float32_stays_float32():
    x = _rand((2, 6, 6, 3)).astype("float32")
    out, argmax = ops.max_pool2d_forward(x, 2, None, "same")
    assert out.dtype == np.float32
    assert ops.max_pool2d_backward(out, argmax, x.shape, 2, None, "same").dtype == np.float32
    assert ops.average_pool2d_forward(x, 3, 2, "same").dtype == np.float32


@pytest.mark.parametrize("x_shape, kwargs, message", [
    ((1, 2, 2, 1), {"pool_size": 3}, r"pool window \(3, 3\) is larger than the input \(2, 2\)"),
    ((1, 4, 4, 1), {"padding": "SAME!"}, r"padding must be one of \['valid', 'same'\]"),
    ((1, 4, 4, 1), {"pool_size": 0}, "pool_size must be a positive int"),
    ((1, 4, 4, 1), {"stride": -1}, "strides must be a positive int"),
    ((4, 4, 1), {}, r"expected x of shape \(N, H, W, C\)"),
])
def test_clear_errors(x_shape, kwargs, message):
    with pytest.raises(ValueError, match="max_pool2d_forward: .*" + message):
        ops.max_pool2d_forward(np.zeros(x_shape), **kwargs)


@pytest.mark.parametrize("channels", [1, 3, 8])
@pytest.mark.parametrize("window, stride", [((3, 2), (2, 2)), ((2, 2), (2, 2)), ((2, 3), (3, 3))])
def test_window_copies_are_plain_slices(channels, window, stride):
    """gather_windows / scatter_windows move whole pixels; they equal ordinary slicing."""
    from mlcore.ops.padding import output_hw
    from mlcore.ops.windows import gather_windows, scatter_windows, window_slices

    x = _rand((2, 7, 8, channels)).astype("float32")
    out_hw = output_hw(x.shape[1:3], window, stride, ((0, 0), (0, 0)))
    slabs = gather_windows(x, window, stride, out_hw)
    assert slabs.flags.c_contiguous and slabs.shape == (window[0] * window[1], 2) + out_hw + (
        channels,)
    indexes = [index for _, _, index in window_slices(window, stride, out_hw)]
    for slab, index in zip(slabs, indexes):
        np.testing.assert_array_equal(slab, x[index])
    if all(s >= w for s, w in zip(stride, window)):  # scatter is for windows side by side
        target, expected = np.zeros_like(x), np.zeros_like(x)
        scatter_windows(target, slabs[::-1].copy(), window, stride)
        for slab, index in zip(slabs[::-1], indexes):
            expected[index] = slab
        np.testing.assert_array_equal(target, expected)
