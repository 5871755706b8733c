"""Conv2D, pooling and BatchNormalization against PyTorch CPU, forward and backward.

PyTorch is channels-first and pads symmetrically, so each check converts the
layout, and 'same' padding is done TensorFlow's way (extra zero at the
bottom/right) with ``F.pad`` before a padding-free PyTorch op.
"""
import numpy as np
import pytest

import mlcore
from mlcore import (Adam, AveragePooling2D, BatchNormalization, Conv2D, Dense, Flatten,
                    MaxPooling2D, Sequential, ops)
from mlcore.data import load_mnist

from helpers import random_array as _x


pytestmark = pytest.mark.usefixtures("float64")  # conftest.py


def _nchw(torch, x, grad=False):
    return torch.tensor(x).permute(0, 3, 1, 2).contiguous().requires_grad_(grad)


def _nhwc(t):
    return t.detach().permute(0, 2, 3, 1).numpy()


def _tf_pad(torch, t, x_shape, window, strides, padding, value=0.0):
    (top, bottom), (left, right) = ops.padding_amounts(x_shape[1:3], window, strides, padding)
    return torch.nn.functional.pad(t, (left, right, top, bottom), value=value)


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


@pytest.mark.parametrize("x_shape, filters, kernel, strides, padding", [
    ((2, 8, 8, 1), 4, 3, 1, "valid"),
    ((2, 8, 8, 3), 5, 3, 1, "same"),
    ((2, 9, 7, 2), 3, 2, 1, "same"),
    ((3, 10, 9, 4), 6, (3, 5), 2, "same"),
    ((2, 11, 11, 2), 3, 4, 3, "same"),
    ((2, 12, 10, 3), 2, (5, 3), (2, 3), "valid"),
    ((1, 28, 28, 1), 8, 3, 1, "valid"),
    ((4, 14, 14, 16), 32, 3, 1, "same"),
    ((2, 8, 9, 3), 4, 2, 2, "same"),           # windows side by side ...
    ((2, 8, 9, 1), 2, 2, (3, 2), "valid"),     # ... and with gaps between them
])
def test_conv2d_matches_pytorch(torch, x_shape, filters, kernel, strides, padding):
    layer = Conv2D(filters, kernel, strides=strides, padding=padding,
                   bias_initializer="random_normal")
    x = _x(x_shape)
    out = layer.forward(x, training=True)
    r = _x(out.shape, 1)
    grad_x = layer.backward(r)

    xt = _nchw(torch, x, grad=True)
    weight = torch.tensor(layer.params["kernel"]).permute(3, 2, 0, 1).contiguous().requires_grad_()
    bias = torch.tensor(layer.params["bias"]).requires_grad_()
    padded = _tf_pad(torch, xt, x_shape, _pair(kernel), _pair(strides), padding)
    out_t = torch.nn.functional.conv2d(padded, weight, bias, stride=_pair(strides))
    (out_t * _nchw(torch, r)).sum().backward()

    np.testing.assert_allclose(out, _nhwc(out_t), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(grad_x, _nhwc(xt.grad), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(layer.grads["kernel"], weight.grad.permute(2, 3, 1, 0).numpy(),
                               rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(layer.grads["bias"], bias.grad.numpy(), rtol=1e-10, atol=1e-10)


POOL_GRID = [
    ((2, 8, 8, 3), 2, None, "valid"), ((2, 7, 9, 2), 2, None, "valid"),
    ((2, 7, 9, 2), 2, None, "same"), ((2, 9, 8, 3), 3, 2, "same"),
    ((1, 10, 10, 2), 3, 1, "same"), ((2, 9, 11, 1), (2, 3), (3, 2), "valid"),
    ((2, 26, 26, 4), 2, 2, "valid"),
]


def _torch_pool(torch, mode, xt, x_shape, pool, stride, padding):
    """PyTorch pooling with TensorFlow's 'same': padding never wins a max, nor joins a mean."""
    F = torch.nn.functional
    if mode == "max":
        padded = _tf_pad(torch, xt, x_shape, pool, stride, padding, value=-np.inf)
        return F.max_pool2d(padded, pool, stride)

    def pool_mean(t):
        return F.avg_pool2d(_tf_pad(torch, t, x_shape, pool, stride, padding), pool, stride)

    return pool_mean(xt) / pool_mean(torch.ones_like(xt))  # sum over real pixels / their count


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("x_shape, pool, strides, padding", POOL_GRID)
def test_pooling_matches_pytorch(torch, mode, x_shape, pool, strides, padding):
    layer = (MaxPooling2D if mode == "max" else AveragePooling2D)(pool, strides, padding)
    x = _x(x_shape)
    out = layer.forward(x)
    r = _x(out.shape, 1)
    grad_x = layer.backward(r)

    xt = _nchw(torch, x, grad=True)
    stride = _pair(pool) if strides is None else _pair(strides)
    out_t = _torch_pool(torch, mode, xt, x_shape, _pair(pool), stride, padding)
    (out_t * _nchw(torch, r)).sum().backward()
    np.testing.assert_allclose(out, _nhwc(out_t), rtol=1e-12)
    np.testing.assert_allclose(grad_x, _nhwc(xt.grad), rtol=1e-12)


@pytest.mark.parametrize("x_shape, axis", [((8, 5), -1), ((6, 4, 4, 3), -1), ((7, 1, 32), 1),
                                           ((5, 3, 6), 1)])
def test_batchnorm_matches_pytorch(torch, x_shape, axis):
    layer = BatchNormalization(axis=axis, momentum=0.9, gamma_initializer="random_normal",
                               beta_initializer="random_normal")
    x = _x(x_shape) * 3 + 1
    out = layer.forward(x, training=True)
    r = _x(out.shape, 1)
    grad_x = layer.backward(r)

    # PyTorch wants the feature axis at position 1.
    feature = axis % len(x_shape)
    xt = torch.tensor(np.moveaxis(x, feature, 1).copy(), requires_grad=True)
    gamma = torch.tensor(layer.params["gamma"]).requires_grad_()
    beta = torch.tensor(layer.params["beta"]).requires_grad_()
    running_mean, running_var = torch.zeros(gamma.shape, dtype=torch.float64), \
        torch.ones(gamma.shape, dtype=torch.float64)
    # PyTorch's momentum is the weight of the NEW statistic: 1 - Keras' momentum.
    out_t = torch.nn.functional.batch_norm(xt, running_mean, running_var, gamma, beta,
                                           training=True, momentum=0.1, eps=1e-3)
    (out_t * torch.tensor(np.moveaxis(r, feature, 1).copy())).sum().backward()

    np.testing.assert_allclose(out, np.moveaxis(out_t.detach().numpy(), 1, feature), atol=1e-10)
    np.testing.assert_allclose(grad_x, np.moveaxis(xt.grad.numpy(), 1, feature), atol=1e-10)
    np.testing.assert_allclose(layer.grads["gamma"], gamma.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(layer.grads["beta"], beta.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(layer.state["moving_mean"], running_mean.numpy(), atol=1e-12)
    # PyTorch keeps the UNBIASED variance (m/(m-1)) in its running average; Keras the biased one.
    m = x.size // x_shape[feature]
    torch_biased = (running_var.numpy() - 0.9) * (m - 1) / m + 0.9
    np.testing.assert_allclose(layer.state["moving_variance"], torch_biased, rtol=1e-10)

    # inference: both use the moving statistics
    out_inf = layer.forward(x, training=False)
    mm, mv = (torch.tensor(layer.state[k]) for k in ("moving_mean", "moving_variance"))
    expected = torch.nn.functional.batch_norm(torch.tensor(np.moveaxis(x, feature, 1).copy()),
                                              mm, mv, gamma.detach(), beta.detach(),
                                              training=False, eps=1e-3)
    np.testing.assert_allclose(out_inf, np.moveaxis(expected.numpy(), 1, feature), atol=1e-10)


def test_cnn_training_steps_match_pytorch(torch):
    """conv -> relu -> pool -> conv -> flatten -> dense softmax: 3 Adam steps on digits, float32."""
    with mlcore.float_precision("float32"):
        images, labels = load_mnist(normalize=True, channel_axis=True)
        pick = np.random.default_rng(0).choice(len(images), 48, replace=False)
        x, y = images[pick], labels[pick]
        mlcore.set_seed(1)
        model = Sequential([Conv2D(4, 3, padding="same", activation="relu",
                                   bias_initializer="random_normal", input_shape=(28, 28, 1)),
                            MaxPooling2D(2), Conv2D(6, 3, strides=2, activation="relu"),
                            Flatten(), Dense(10, activation="softmax")])
        # epsilon 1e-12: mlcore adds it as Keras does, PyTorch after the bias correction;
        # the two forms coincide up to 3e-11 / |gradient| relative (see Adam's docstring).
        model.compile(Adam(learning_rate=1e-3, epsilon=1e-12), "sparse_categorical_crossentropy")

        nn = torch.nn
        conv1, conv2, dense = nn.Conv2d(1, 4, 3), nn.Conv2d(4, 6, 3, stride=2), nn.Linear(216, 10)
        with torch.no_grad():
            for module, layer in ((conv1, model.layers[0]), (conv2, model.layers[2])):
                module.weight.copy_(torch.tensor(layer.params["kernel"]).permute(3, 2, 0, 1))
                module.bias.copy_(torch.tensor(layer.params["bias"]))
            dense.weight.copy_(torch.tensor(model.layers[4].params["kernel"].T))
            dense.bias.copy_(torch.tensor(model.layers[4].params["bias"]))
        initial = [w.copy() for w in model.get_weights()]
        params = [conv1.weight, conv1.bias, conv2.weight, conv2.bias, dense.weight, dense.bias]
        optimizer = torch.optim.Adam(params, lr=1e-3, eps=1e-12)

        def torch_model(xb):
            h = torch.relu(conv1(torch.nn.functional.pad(xb, (1, 1, 1, 1))))
            h = torch.relu(conv2(torch.nn.functional.max_pool2d(h, 2)))
            return dense(h.permute(0, 2, 3, 1).reshape(len(xb), -1))  # flatten in NHWC order

        for step in range(3):
            xb, yb = x[step * 16:(step + 1) * 16], y[step * 16:(step + 1) * 16]
            loss = model.train_on_batch(xb, yb)["loss"]
            optimizer.zero_grad()
            loss_t = nn.functional.cross_entropy(torch_model(_nchw(torch, xb)), torch.tensor(yb))
            loss_t.backward()
            optimizer.step()
            assert abs(loss - loss_t.item()) < 1e-4
        mine = [model.layers[i].params[n] for i in (0, 2, 4) for n in ("kernel", "bias")]
        theirs = [conv1.weight.detach().permute(2, 3, 1, 0), conv1.bias.detach(),
                  conv2.weight.detach().permute(2, 3, 1, 0), conv2.bias.detach(),
                  dense.weight.detach().T, dense.bias.detach()]
        for a, b in zip(mine, theirs):
            np.testing.assert_allclose(a, b.numpy(), atol=1e-4)
        # Adam moves every weight by about lr per step: far more than the tolerance above.
        assert all(np.abs(a - b).max() > 1e-3 for a, b in zip(model.get_weights(), initial))


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
def test_same_padding_matches_torch_own_same_at_stride_1_and_torch_refuses_a_stride(torch):
    # Chapter 10's "Where mlcore differs" note: for an even filter PyTorch's own
    # padding='same' also puts the extra zero bottom/right, but only at stride 1.
    x, kernel = _x((1, 6, 7, 2)), _x((4, 4, 2, 3), seed=1)
    conv = torch.nn.Conv2d(2, 3, 4, padding="same", bias=False).double()
    with torch.no_grad():
        conv.weight.copy_(torch.tensor(kernel).permute(3, 2, 0, 1))
        expected = _nhwc(conv(_nchw(torch, x)))
    np.testing.assert_allclose(ops.conv2d_forward(x, kernel, padding="same"), expected, atol=1e-10)
    with pytest.raises(ValueError, match="strided"):
        torch.nn.Conv2d(2, 3, 3, stride=2, padding="same")


def test_same_average_pooling_leaves_padding_out_like_keras_and_unlike_torch_default(torch):
    # Chapter 11's "Where mlcore differs" note, on a 3x3 map holding 1..9.
    x = np.arange(1.0, 10.0).reshape(1, 3, 3, 1)
    ours = ops.average_pool2d_forward(x, 3, 1, "same")
    t = _nchw(torch, x)
    assert torch.nn.AvgPool2d(3, 1, padding=1)(t)[0, 0, 0, 0].item() == pytest.approx(12 / 9)
    np.testing.assert_allclose(ours, _nhwc(torch.nn.AvgPool2d(3, 1, padding=1, count_include_pad=False)(t)))
    assert ours[0, 0, 0, 0] == 3.0
    zeros = torch.zeros(1, 1, 2, 2, requires_grad=True)      # a tie: PyTorch picks the first too
    torch.nn.MaxPool2d(2)(zeros).sum().backward()
    _, argmax = ops.max_pool2d_forward(np.zeros((1, 2, 2, 1)), 2)
    ours_tie = ops.max_pool2d_backward(np.ones((1, 1, 1, 1)), argmax, (1, 2, 2, 1), 2)
    np.testing.assert_array_equal(ours_tie[0, :, :, 0], zeros.grad[0, 0].numpy())
