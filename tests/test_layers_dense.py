"""Dense, Activation, Flatten, Dropout: gradients, PyTorch, teaching attributes."""
import numpy as np
import pytest

import mlcore
from mlcore import Activation, Dense, Dropout, Flatten, l1_l2, l2
from mlcore.teaching.gradcheck import check_layer

from helpers import random_array as _x


pytestmark = pytest.mark.usefixtures("float64")  # conftest.py


@pytest.mark.parametrize("activation", [None, "relu", "sigmoid", "tanh", "softmax", "leaky_relu"])
@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 5), (2, 2, 3, 4)])
def test_dense_gradients(activation, shape):
    errors = check_layer(Dense(6, activation=activation), _x(shape))
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("regularizer", [l2(0.1), l1_l2(0.05, 0.2)])
def test_dense_regularizer_gradient(regularizer):
    layer = Dense(4, kernel_regularizer=regularizer)
    errors = check_layer(layer, _x((5, 3)))
    assert max(errors.values()) < 1e-6, errors
    assert layer.regularization_loss() > 0


def test_dense_without_bias():
    layer = Dense(3, use_bias=False, input_shape=(2,))
    layer.build((2,))
    assert list(layer.params) == ["kernel"] and layer.count_params() == 6
    assert max(check_layer(layer, _x((4, 2))).values()) < 1e-6


@pytest.mark.parametrize("layer", [Activation("tanh"), Activation("softmax"), Flatten()])
def test_shape_layers_gradients(layer):
    assert max(check_layer(layer, _x((3, 2, 4))).values()) < 1e-6


def test_dropout_gradient_uses_the_same_mask():
    assert max(check_layer(Dropout(0.4), _x((6, 5)), training=True).values()) < 1e-6


def test_dropout_is_identity_at_inference_and_scaled_in_training():
    layer = Dropout(0.5)
    x = np.ones((200, 50))
    assert layer.forward(x, training=False) is x
    out = layer.forward(x, training=True)
    assert set(np.unique(out)) <= {0.0, 2.0}
    assert abs((out == 0).mean() - 0.5) < 0.03
    assert abs(out.mean() - 1.0) < 0.06  # inverted dropout keeps the expected value


def test_dense_keeps_the_course_quantities():
    layer = Dense(2, activation="relu")
    layer.build((3,))
    x = _x((1, 3))
    layer.forward(x)
    np.testing.assert_allclose(layer.z, x @ layer.params["kernel"] + layer.params["bias"])
    np.testing.assert_allclose(layer.a, np.maximum(layer.z, 0))
    assert layer.last_input is x
    grad = layer.backward(np.ones((1, 2)))
    assert layer.grad_input is grad and layer.grad_z.shape == (1, 2)


def test_dense_on_images_acts_on_last_axis():
    layer = Dense(16, input_shape=(20, 20, 3))
    layer.build((20, 20, 3))
    assert layer.output_shape == (20, 20, 16)
    assert layer.count_params() == 3 * 16 + 16


def test_dense_matches_pytorch(torch):
    with mlcore.float_precision("float32"):
        layer = Dense(5, activation="tanh")
        layer.build((7,))
    x = _x((4, 7), 1).astype(np.float32)
    r = _x((4, 5), 2).astype(np.float32)
    linear = torch.nn.Linear(7, 5)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor(layer.params["kernel"].T))
        linear.bias.copy_(torch.tensor(layer.params["bias"]))
    xt = torch.tensor(x, requires_grad=True)
    out = torch.tanh(linear(xt))
    (out * torch.tensor(r)).sum().backward()
    np.testing.assert_allclose(layer.forward(x), out.detach().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.backward(r), xt.grad.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.grads["kernel"], linear.weight.grad.numpy().T, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.grads["bias"], linear.bias.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_dropout_at_inference_matches_pytorch(torch):
    x = _x((3, 8)).astype(np.float32)
    drop = torch.nn.Dropout(0.3).eval()
    np.testing.assert_array_equal(Dropout(0.3).forward(x, training=False),
                                  drop(torch.tensor(x)).numpy())


@pytest.mark.parametrize("make, match", [
    (lambda: Dense(0), "units must be a positive int, got 0"),
    (lambda: Dense(2.5), "units must be a positive int, got 2.5"),
    (lambda: Dense(3, activation="rectified"), "unknown activation 'rectified'; valid names"),
    (lambda: Dense(3, kernel_initializer="xavier"), "unknown initializer 'xavier'; valid names"),
    (lambda: Dropout(1.0), r"rate must be a number in \[0, 1\), got 1.0"),
    (lambda: Dense(3, input_shape=(0,)), "input_shape sizes must be positive"),
])
def test_bad_arguments_are_named(make, match):
    with pytest.raises(ValueError, match=match):
        layer = make()
        layer.build((2,))


def test_layer_names_are_keras_like():
    names = [type_(*args).name for type_, args in ((Dense, (1,)), (Dense, (1,)), (Flatten, ()))]
    assert names[0].startswith("dense") and names[1].startswith("dense_") and names[2].startswith("flatten")
