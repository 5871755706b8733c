"""mlcore.ops: output-size formula, 'same' padding rule, conv2d fast == naive, gradients."""
import numpy as np
import pytest

from mlcore import ops
from mlcore.teaching.gradcheck import numerical_gradient, relative_error
from mlcore.ops.conv import conv_geometry
from mlcore.ops.windows import gather_windows_adjoint

from helpers import random_array as _rand


@pytest.mark.parametrize("n, f, p, s, expected", [
    (28, 3, 0, 1, 26),   # the course's 7: 28x28 -> 26x26
    (4, 3, 0, 1, 2),     # the course's 4x4 input, 3x3 filter
    (4, 3, 1, 1, 4),     # one border of zeros keeps 4x4
    (20, 3, 0, 1, 18), (18, 5, 0, 1, 14), (14, 7, 0, 1, 8),  # the course's valid model
    (26, 2, 0, 2, 13),   # 2x2 max pool, stride 2
    (7, 3, 0, 2, 3), (8, 3, 1, 3, 3), (5, 5, 0, 1, 1),
])
def test_conv_output_size(n, f, p, s, expected):
    assert ops.conv_output_size(n, f, p, s) == expected


@pytest.mark.parametrize("args, message", [
    ((3, 5), "larger than the padded input"),
    ((0, 1), "n must be a positive int"),
    ((5, 3, -1), "p must be an int >= 0"),
    ((5, 3, 0, 0), "s must be a positive int"),
    ((5.0, 3), "n must be a positive int"),
])
def test_conv_output_size_rejects_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        ops.conv_output_size(*args)


@pytest.mark.parametrize("n, f, s, expected", [
    # TensorFlow: pad_total = max((ceil(n/s) - 1)*s + f - n, 0); the odd one goes after.
    (5, 3, 1, (1, 1)), (5, 4, 1, (1, 2)), (6, 2, 1, (0, 1)), (7, 3, 2, (1, 1)),
    (6, 3, 2, (0, 1)), (4, 1, 3, (0, 0)), (10, 7, 1, (3, 3)), (5, 3, 3, (0, 1)),
    (2, 5, 1, (2, 2)), (8, 2, 2, (0, 0)),
])
def test_same_padding_follows_tensorflow(n, f, s, expected):
    assert ops.same_padding(n, f, s) == expected
    before, after = expected
    assert ops.conv_output_size(n + before + after, f, 0, s) == -(-n // s)  # ceil(n / s)


GRID = [  # (x shape, kernel shape, stride, padding)
    ((2, 5, 5, 1), (3, 3, 1, 2), 1, "valid"),
    ((2, 6, 7, 3), (3, 3, 3, 4), 1, "same"),
    ((1, 7, 6, 2), (2, 2, 2, 3), 1, "same"),       # even kernel: extra zero bottom/right
    ((2, 8, 9, 2), (3, 4, 2, 2), 2, "same"),
    ((2, 9, 8, 3), (3, 3, 3, 2), (2, 3), "valid"),
    ((1, 6, 6, 2), (4, 4, 2, 1), 3, "same"),
    ((3, 4, 4, 1), (1, 1, 1, 2), 2, "valid"),
    ((1, 3, 3, 2), (5, 5, 2, 2), 1, "same"),       # kernel larger than the image, padded
]


@pytest.mark.parametrize("x_shape, k_shape, stride, padding", GRID)
def test_fast_equals_naive(x_shape, k_shape, stride, padding):
    x, kernel, bias = _rand(x_shape, 1), _rand(k_shape, 2), _rand(k_shape[-1:], 3)
    fast = ops.conv2d_forward(x, kernel, bias, stride, padding)
    naive = ops.conv2d_forward_naive(x, kernel, bias, stride, padding)
    assert fast.shape == naive.shape
    np.testing.assert_allclose(fast, naive, rtol=1e-12, atol=1e-12)


def test_naive_reads_like_the_course():
    """A 3x3 filter on a 4x4 image: 2x2 output, each the sum of element-wise products."""
    image = np.arange(16.0).reshape(1, 4, 4, 1)
    kernel = np.array([[1.0, 0, -1], [1, 0, -1], [1, 0, -1]]).reshape(3, 3, 1, 1)
    out = ops.conv2d_forward_naive(image, kernel)
    assert out.shape == (1, 2, 2, 1)
    assert out[0, 0, 0, 0] == np.sum(image[0, :3, :3, 0] * kernel[:, :, 0, 0]) == -6.0
    np.testing.assert_array_equal(out, ops.conv2d_forward(image, kernel))


@pytest.mark.parametrize("x_shape, k_shape, stride, padding", GRID)
def test_backward_matches_finite_differences(x_shape, k_shape, stride, padding):
    x, kernel, bias = _rand(x_shape, 1), _rand(k_shape, 2), _rand(k_shape[-1:], 3)
    r = _rand(ops.conv2d_forward(x, kernel, bias, stride, padding).shape, 4)

    def cost():
        return float(np.sum(ops.conv2d_forward(x, kernel, bias, stride, padding) * r))

    grads = ops.conv2d_backward(r, x, kernel, stride, padding)
    for analytic, wrt in zip(grads, (x, kernel, bias)):
        assert analytic.shape == wrt.shape
        assert relative_error(analytic, numerical_gradient(cost, wrt)) < 1e-6


@pytest.mark.parametrize("x_shape, k_shape, stride, padding", GRID)
def test_backward_fast_equals_naive(x_shape, k_shape, stride, padding):
    x, kernel = _rand(x_shape, 1), _rand(k_shape, 2)
    grad_out = _rand(ops.conv2d_forward(x, kernel, None, stride, padding).shape, 4)
    fast = ops.conv2d_backward(grad_out, x, kernel, stride, padding)
    naive = ops.conv2d_backward_naive(grad_out, x, kernel, stride, padding)
    for f, n in zip(fast, naive):
        assert f.shape == n.shape
        np.testing.assert_allclose(f, n, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("channels", [1, 3])  # im2col has a separate path for one channel
def test_gather_windows_adjoint_is_the_adjoint_of_im2col(channels):
    x = _rand((2, 7, 5, channels))
    strides, pads, out_hw = conv_geometry(x.shape, (3, 2, channels, 1), 2, "same")
    cols = ops.im2col(x, (3, 2), strides, pads, out_hw)      # (N*H_out*W_out, 3*2*C + 1)
    n_rows = 2 * out_hw[0] * out_hw[1]
    assert cols.shape == (n_rows, 6 * channels + 1) and np.all(cols[:, -1] == 1)
    y = _rand((n_rows, 6 * channels), 1)
    slabs = np.moveaxis(y.reshape((2,) + out_hw + (6, channels)), 3, 0)  # (3*2, N, H_out, W_out, C)
    # <im2col(x), y> == <x, gather_windows_adjoint(y)> for every x, y
    assert np.isclose(np.sum(cols[:, :-1] * y),
                      np.sum(x * gather_windows_adjoint(slabs, x.shape, (3, 2), strides, pads)))


def test_float32_stays_float32():
    x, kernel = _rand((2, 6, 6, 3)).astype("float32"), _rand((3, 3, 3, 4)).astype("float32")
    bias = np.zeros(4, "float32")
    out = ops.conv2d_forward(x, kernel, bias, 1, "same")
    assert out.dtype == np.float32
    assert all(g.dtype == np.float32 for g in ops.conv2d_backward(out, x, kernel, 1, "same"))


@pytest.mark.parametrize("x_shape, k_shape, kwargs, message", [
    ((1, 4, 4, 1), (5, 5, 1, 1), {}, r"kernel \(5, 5\) is larger than the input \(4, 4\)"),
    ((1, 4, 4, 3), (3, 3, 2, 1), {}, "expects 2 input channels, got x with 3 channels"),
    ((1, 4, 4, 1), (3, 3, 1, 1), {"padding": "full"},
     r"padding must be one of \['valid', 'same'\]"),
    ((1, 4, 4, 1), (3, 3, 1, 1), {"stride": 0}, "strides must be a positive int"),
    ((4, 4, 1), (3, 3, 1, 1), {}, r"expected x of shape \(N, H, W, C\)"),
])
def test_clear_errors(x_shape, k_shape, kwargs, message):
    with pytest.raises(ValueError, match="conv2d_forward: .*" + message):
        ops.conv2d_forward(np.zeros(x_shape), np.zeros(k_shape), **kwargs)


@pytest.mark.parametrize("good, bad, message", [
    ((1, "same"), (True, "same"), "strides must be a positive int"),
    (((1, 1), "same"), ((1, True), "same"), "strides must be a positive int"),
    ((1, "same"), (1.0, "same"), "strides must be a positive int"),
    ((1, "same"), (1, "SAMEISH"), "padding must be one of"),
])
def test_remembered_geometry_still_checks_every_argument(good, bad, message):
    """conv_geometry and pool_geometry keep their answers for repeated calls; an argument
    equal to a remembered good one (True == 1, 1.0 == 1) must still be rejected."""
    from mlcore.ops.pooling import pool_geometry

    for _ in range(2):  # the second call would be the remembered one
        assert conv_geometry((2, 5, 5, 1), (3, 3, 1, 4), *good) == \
            conv_geometry((2, 5, 5, 1), (3, 3, 1, 4), *good, where="conv2d")
        pool_geometry((2, 5, 5, 1), 2, good[0], good[1], "pool")
        with pytest.raises(ValueError, match=message):
            conv_geometry((2, 5, 5, 1), (3, 3, 1, 4), *bad)
        with pytest.raises(ValueError, match=message):
            pool_geometry((2, 5, 5, 1), 2, bad[0], bad[1], "pool")


@pytest.mark.parametrize("channels", [1, 3])
def test_sliced_and_fortran_inputs_give_the_same_answers(channels):
    """The window views need contiguous pixels: a strided or Fortran-ordered input
    (no padding, so nothing else copies it) must give what its contiguous copy gives."""
    x = _rand((3, 12, 10, channels), seed=4)
    kernel = _rand((3, 3, channels, 2), seed=5)
    for odd in (x[:, ::2, 1::2], np.asfortranarray(x[:, ::2, 1::2])):
        plain = np.ascontiguousarray(odd)
        np.testing.assert_array_equal(ops.conv2d_forward(odd, kernel),
                                      ops.conv2d_forward(plain, kernel))
        for got, expected in zip(ops.max_pool2d_forward(odd), ops.max_pool2d_forward(plain)):
            np.testing.assert_array_equal(got, expected)
