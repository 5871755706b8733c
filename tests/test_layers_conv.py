"""Conv2D, MaxPooling2D, AveragePooling2D: gradients, shapes, teaching attributes, errors."""
import numpy as np
import pytest

import mlcore
from mlcore import (AveragePooling2D, BatchNormalization, Conv2D, Dense, MaxPooling2D, Sequential,
                    l2, ops)
from mlcore.teaching.gradcheck import check_layer

from helpers import random_array as _x


pytestmark = pytest.mark.usefixtures("float64")  # conftest.py


@pytest.mark.parametrize("x_shape, filters, kernel, strides, padding", [
    ((2, 5, 5, 1), 2, 3, 1, "valid"),
    ((2, 6, 6, 3), 4, 3, 1, "same"),
    ((1, 7, 6, 2), 3, 2, 1, "same"),          # even kernel, odd/even image sizes
    ((2, 7, 8, 2), 2, (3, 2), 2, "same"),
    ((2, 9, 7, 3), 2, 3, (2, 3), "valid"),
    ((1, 6, 6, 2), 1, 4, 3, "same"),
    ((2, 4, 5, 2), 3, 1, 1, "valid"),
])
@pytest.mark.parametrize("activation", [None, "relu", "tanh"])
def test_conv2d_gradients(x_shape, filters, kernel, strides, padding, activation):
    layer = Conv2D(filters, kernel, strides=strides, padding=padding, activation=activation)
    errors = check_layer(layer, _x(x_shape))
    assert max(errors.values()) < 1e-6, errors


def test_conv2d_regularizer_and_no_bias():
    layer = Conv2D(2, 3, use_bias=False, kernel_regularizer=l2(0.1))
    errors = check_layer(layer, _x((2, 5, 5, 2)))
    assert list(layer.params) == ["kernel"] and max(errors.values()) < 1e-6, errors
    assert np.isclose(layer.regularization_loss(), 0.1 * np.sum(layer.params["kernel"] ** 2))


@pytest.mark.parametrize("cls", [MaxPooling2D, AveragePooling2D])
@pytest.mark.parametrize("x_shape, pool, strides, padding", [
    ((2, 4, 4, 2), 2, None, "valid"), ((2, 5, 7, 2), 2, None, "same"),
    ((1, 7, 6, 3), 3, 2, "same"), ((2, 6, 5, 1), (2, 3), (1, 2), "valid"),
])
def test_pooling_gradients(cls, x_shape, pool, strides, padding):
    errors = check_layer(cls(pool, strides, padding), _x(x_shape))
    assert errors["input"] < 1e-6, errors


def test_conv2d_keeps_the_course_quantities():
    layer = Conv2D(3, 3, activation="relu", input_shape=(6, 6, 2))
    layer.build((6, 6, 2))
    x = _x((2, 6, 6, 2))
    out = layer.forward(x)
    assert layer.last_input is x and out is layer.a
    np.testing.assert_allclose(layer.z, ops.conv2d_forward_naive(x, layer.params["kernel"],
                                                                 layer.params["bias"]))
    np.testing.assert_allclose(layer.a, np.maximum(layer.z, 0))
    kernel_grad = layer.grads["kernel"]
    grad_in = layer.backward(np.ones_like(out))
    assert layer.grad_input is grad_in and grad_in.shape == x.shape
    np.testing.assert_allclose(layer.grad_z, (layer.z > 0).astype(float))
    assert layer.grads["kernel"] is kernel_grad  # written in place, never rebound


@pytest.mark.parametrize("layer, input_shape, output_shape, params", [
    (Conv2D(2, 3, padding="same"), (20, 20, 3), (20, 20, 2), 56),   # the course's 56
    (Conv2D(3, 3, padding="same"), (20, 20, 2), (20, 20, 3), 57),   # ... and 57
    (Conv2D(32, (3, 3)), (20, 20, 16), (18, 18, 32), 4640),
    (Conv2D(4, 3, strides=2, padding="same"), (7, 6, 1), (4, 3, 4), 40),
    (Conv2D(4, (2, 5), strides=(1, 3)), (5, 11, 2), (4, 3, 4), 84),
    (MaxPooling2D(), (26, 26, 8), (13, 13, 8), 0),
    (MaxPooling2D(2, padding="same"), (5, 5, 1), (3, 3, 1), 0),
    (AveragePooling2D(3, strides=1), (5, 6, 2), (3, 4, 2), 0),
])
def test_output_shapes_and_parameter_counts(layer, input_shape, output_shape, params):
    layer.build(input_shape)
    assert layer.output_shape == output_shape
    assert layer.count_params() == params
    assert layer.forward(_x((2,) + input_shape)).shape == (2,) + output_shape


def test_float32_model_stays_float32():
    with mlcore.float_precision("float32"):
        model = Sequential([Conv2D(4, 3, padding="same", activation="relu", input_shape=(8, 8, 1)),
                            MaxPooling2D(), AveragePooling2D()])
        x = _x((3, 8, 8, 1)).astype("float32")
        out = model.forward(x, training=True)
        assert out.dtype == np.float32
        assert model.backward(np.ones_like(out)).dtype == np.float32
        assert model.layers[0].grads["kernel"].dtype == np.float32


@pytest.mark.parametrize("make, message", [
    (lambda: Conv2D(0, 3), r"conv2d\w*: filters must be a positive int, got 0"),
    (lambda: Conv2D(2, (3, 0)), r"kernel_size must be a positive int or a pair"),
    (lambda: Conv2D(2, 3, strides=0), r"strides must be a positive int or a pair"),
    (lambda: Conv2D(2, 3, padding="full"),
     r"padding must be one of \['valid', 'same'\], got 'full'"),
    (lambda: MaxPooling2D(pool_size=-2), r"max_pooling2d\w*: pool_size must be a positive int"),
    (lambda: AveragePooling2D(strides=(1, 2, 3)), r"strides must be a positive int or a pair"),
    (lambda: MaxPooling2D(padding="valid "), r"padding must be one of"),
])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_kernel_larger_than_input_names_the_layer():
    with pytest.raises(ValueError, match=r"big: the kernel \(5, 5\) is larger than the input "
                                         r"\(3, 3\) \(padding='valid'\)"):
        Sequential([Conv2D(2, 5, input_shape=(3, 3, 1), name="big")])
    Conv2D(2, 5, padding="same", input_shape=(3, 3, 1)).build((3, 3, 1))  # fine when padded


def test_pool_larger_than_input_names_the_layer():
    with pytest.raises(ValueError, match=r"pool: the pool window \(3, 3\) is larger"):
        MaxPooling2D(3, name="pool").build((2, 2, 4))


def test_channel_mismatch_and_wrong_rank():
    layer = Conv2D(2, 3, name="c")
    layer.build((5, 5, 3))
    with pytest.raises(ValueError, match=r"c: expected 3 input channels, got 1"):
        layer.forward(np.zeros((1, 5, 5, 1)))
    with pytest.raises(ValueError, match=r"c: expected input of shape \(batch, height, width, "
                                         r"channels\), got \(5, 5, 3\) \(3 axes\)"):
        layer.forward(np.zeros((5, 5, 3)))
    with pytest.raises(ValueError, match=r"c: expected input_shape \(height, width, channels\)"):
        Conv2D(2, 3, name="c").build((5, 5))
    with pytest.raises(ValueError, match=r"p: expected input of shape \(batch, height, width"):
        MaxPooling2D(name="p").forward(np.zeros((4, 4)))


@pytest.mark.parametrize("make, x_shape", [
    (lambda: Conv2D(3, 3, padding="same", activation="relu"), (2, 6, 6, 2)),
    (lambda: Conv2D(3, 3, activation="relu"), (2, 6, 6, 1)),      # one input channel
    (lambda: Dense(3, activation="tanh"), (2, 6, 6, 2)),
    (lambda: BatchNormalization(), (4, 6, 6, 2)),
])
def test_skipping_the_input_gradient_keeps_the_weight_gradients(make, x_shape):
    layer = make()
    x = _x(x_shape)
    layer.build(x.shape[1:])
    layer.forward(x, training=True)
    r = _x(layer.a.shape, 1)
    assert layer.backward(r).shape == x.shape
    expected = {name: g.copy() for name, g in layer.grads.items()}
    layer.forward(x, training=True)
    assert layer.backward(r, input_gradient=False) is None and layer.grad_input is None
    for name, g in layer.grads.items():
        np.testing.assert_array_equal(g, expected[name])


@pytest.mark.parametrize("make", [lambda: Conv2D(3, 3, padding="same"), lambda: Conv2D(2, 2),
                                  lambda: MaxPooling2D(2), lambda: AveragePooling2D(3, 2)])
@pytest.mark.parametrize("channels", [1, 3])
def test_any_memory_layout_gives_the_same_result(make, channels):
    """Fortran order or a channel slice (channels not side by side in memory) change nothing."""
    x = _x((2, 7, 6, 2 * channels))
    layer = make()
    layer.build((7, 6, channels))
    expected = layer.forward(np.ascontiguousarray(x[..., ::2]))
    grad = _x(expected.shape, 1)
    expected_grad = layer.backward(grad)
    for odd in (x[..., ::2], np.asfortranarray(x[..., ::2])):
        np.testing.assert_array_equal(layer.forward(odd), expected)
        np.testing.assert_array_equal(layer.backward(np.asfortranarray(grad)), expected_grad)
