"""Activations: values, slopes, gradients (finite differences) and PyTorch."""
import warnings

import numpy as np
import pytest

from mlcore import activations
from mlcore.teaching.gradcheck import numerical_gradient, relative_error

NAMES = activations.names()


def _z(shape=(4, 5), seed=0):
    # scale 2: away from saturation, where slopes ~1e-6 drown in rounding noise
    z = np.random.default_rng(seed).standard_normal(shape) * 2
    z[np.abs(z) < 1e-3] = 0.5  # relu's kink: keep finite differences away from it
    return z


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 5)])
def test_backward_matches_finite_differences(name, shape):
    act = activations.get(name)
    z = _z(shape)
    r = np.random.default_rng(1).standard_normal(shape)
    analytic = act.backward(z, act(z), r)
    numeric = numerical_gradient(lambda: float(np.sum(act(z) * r)), z)
    assert relative_error(analytic, numeric) < 1e-6


@pytest.mark.parametrize("name", [n for n in NAMES if n != "softmax"])
def test_derivative_is_backward_of_ones(name):
    act = activations.get(name)
    z = _z()
    np.testing.assert_allclose(act.derivative(z), act.backward(z, act(z), np.ones_like(z)))


def test_softmax_has_no_elementwise_derivative():
    with pytest.raises(TypeError, match="vector-Jacobian"):
        activations.softmax.derivative(np.zeros(3))


@pytest.mark.parametrize("name", NAMES)
def test_no_overflow_at_large_inputs(name):
    z = np.array([[-1000.0, -1.0, 0.0, 1.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = activations.get(name)(z)
    assert np.isfinite(a).all()


def test_known_values():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(activations.relu(z), [0, 0, 3])
    np.testing.assert_allclose(activations.sigmoid(np.array([0.0])), [0.5])
    np.testing.assert_allclose(activations.get("leaky_relu")(z), [-0.4, 0, 3])
    np.testing.assert_allclose(activations.softmax(np.array([[1.0, 1.0]])), [[0.5, 0.5]])
    assert activations.sigmoid(np.array([1000.0]))[0] == 1.0


def test_relu_is_not_odd():
    """The course's proof that relu is non-linear: f(-a) != -f(a)."""
    a = np.array([2.0])
    assert activations.relu(-a)[0] != -activations.relu(a)[0]


def test_unknown_name_lists_valid_ones():
    with pytest.raises(ValueError, match="relu"):
        activations.get("rectifier")


TORCH_FUNCTIONS = {
    "linear": lambda t, z: z,
    "relu": lambda t, z: t.relu(z),
    "leaky_relu": lambda t, z: t.nn.functional.leaky_relu(z, 0.2),
    "sigmoid": lambda t, z: t.sigmoid(z),
    "tanh": lambda t, z: t.tanh(z),
    "softmax": lambda t, z: t.softmax(z, dim=-1),
}


@pytest.mark.parametrize("name", NAMES)
def test_matches_pytorch(name, torch):
    act = activations.get(name)
    z = _z((6, 7), seed=3).astype(np.float32)
    r = np.random.default_rng(4).standard_normal(z.shape).astype(np.float32)
    zt = torch.tensor(z, requires_grad=True)
    out = TORCH_FUNCTIONS[name](torch, zt)
    (out * torch.tensor(r)).sum().backward()
    np.testing.assert_allclose(act(z), out.detach().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(act.backward(z, act(z), r), zt.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_relu_zeros_are_shared_read_only_and_fit_any_shape():
    relu = activations.get("relu")
    for shape in [(3, 4), (50, 7, 2), (2, 2)]:  # grow the cached zeros, then reuse them
        for dtype in ("float32", "float64"):
            z = np.random.default_rng(0).standard_normal(shape).astype(dtype)
            a = relu(z)
            assert a.dtype == z.dtype and a.shape == z.shape
            np.testing.assert_array_equal(a, np.where(z > 0, z, 0))
    zeros = activations.zeros_like_cached(np.ones((4, 5), "float32"))
    assert not zeros.flags.writeable and not zeros.any()
    a[...] = 7  # relu's output is its own array, never the cached zeros
    assert not activations.zeros_like_cached(a).any()


@pytest.mark.parametrize("name", NAMES)
def test_plain_numbers_and_lists_work_as_before(name):
    """A learner may call g(-0.35) or g([1, -2]) directly; every activation accepts them."""
    g = activations.get(name)
    for z in ([1.0, -2.0],) if name == "softmax" else (-0.35, [1.0, -2.0], np.float32(2.0)):
        np.testing.assert_allclose(g(z), g(np.asarray(z, dtype=float)), rtol=1e-6)
        if name != "softmax":
            np.testing.assert_allclose(g.derivative(z), g.derivative(np.asarray(z, dtype=float)),
                                       rtol=1e-6)
    if name == "relu":
        assert g(-0.35) == 0 and g(0.65) == 0.65
