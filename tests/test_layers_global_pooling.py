"""GlobalAveragePooling2D and GlobalMaxPooling2D: values, gradients, shapes, PyTorch, errors."""
import numpy as np
import pytest

from mlcore import (Adam, Conv2D, Dense, GlobalAveragePooling2D, GlobalMaxPooling2D, Sequential,
                    set_seed)
from mlcore.teaching.gradcheck import check_layer

from helpers import random_array as _x

pytestmark = pytest.mark.usefixtures("float64")  # conftest.py
LAYERS = [GlobalAveragePooling2D, GlobalMaxPooling2D]


@pytest.mark.parametrize("cls", LAYERS)
@pytest.mark.parametrize("keepdims", [False, True])
def test_gradients(cls, keepdims):
    layer = cls(keepdims=keepdims)
    errors = check_layer(layer, _x((3, 5, 4, 2)))
    assert errors["input"] < 1e-7, errors
    assert layer.grad_input.flags.writeable and layer.grad_input.shape == (3, 5, 4, 2)


@pytest.mark.parametrize("cls, reduce", [(GlobalAveragePooling2D, np.mean),
                                         (GlobalMaxPooling2D, np.max)])
def test_one_value_per_channel(cls, reduce):
    x = _x((2, 6, 5, 3))
    flat, kept = cls(), cls(keepdims=True)
    np.testing.assert_allclose(flat.forward(x), reduce(x, axis=(1, 2)))
    assert kept.forward(x).shape == (2, 1, 1, 3) and flat.output_shape == (3,)
    assert kept.output_shape == (1, 1, 3) and flat.count_params() == 0


def test_max_gradient_goes_to_the_first_maximum_on_ties():
    x = np.zeros((1, 2, 2, 1))
    x[0, 0, 1, 0] = x[0, 1, 0, 0] = 5.0
    layer = GlobalMaxPooling2D()
    layer.forward(x)
    grad = layer.backward(np.array([[3.0]]))
    assert grad[0, 0, 1, 0] == 3.0 and grad.sum() == 3.0  # (0, 1) comes first row by row


@pytest.mark.parametrize("cls", LAYERS)
def test_matches_pytorch(torch, cls):
    x = _x((3, 7, 6, 4))
    layer = cls()
    out = layer.forward(x)
    r = _x(out.shape, 1)
    grad_x = layer.backward(r)
    xt = torch.tensor(x).permute(0, 3, 1, 2).contiguous().requires_grad_()
    F = torch.nn.functional
    pooled = F.adaptive_avg_pool2d(xt, 1) if cls is GlobalAveragePooling2D \
        else F.adaptive_max_pool2d(xt, 1)
    out_t = pooled.flatten(1)
    (out_t * torch.tensor(r)).sum().backward()
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(grad_x, xt.grad.permute(0, 2, 3, 1).numpy(), rtol=1e-12)


@pytest.mark.parametrize("cls", LAYERS)
def test_a_convolutional_base_with_a_global_head_learns(cls):
    set_seed(0)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 64)
    x = rng.standard_normal((64, 6, 6, 1)) * 0.3
    x[y == 1, 2:4, 2:4, 0] += 2.0  # class 1 has a bright centre
    model = Sequential([Conv2D(4, 3, activation="relu", input_shape=(6, 6, 1)), cls(),
                        Dense(2, activation="softmax")])
    model.compile(Adam(0.05), "sparse_categorical_crossentropy", ["accuracy"])
    history = model.fit(x, y, batch_size=16, epochs=15, verbose=0)
    assert history.history["accuracy"][-1] > 0.9 > history.history["accuracy"][0]


@pytest.mark.parametrize("cls", LAYERS)
def test_clear_errors(cls):
    with pytest.raises(ValueError, match=r"g: expected input of shape \(batch, height, width"):
        cls(name="g").forward(np.zeros((4, 4, 2)))
    with pytest.raises(ValueError, match=r"g: expected input_shape \(height, width, channels\)"):
        cls(name="g").build((4, 4))
