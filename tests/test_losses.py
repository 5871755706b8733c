"""Losses: course values, finite-difference gradients, and PyTorch autograd."""
import numpy as np
import pytest

from mlcore import losses
from mlcore.teaching.gradcheck import numerical_gradient, relative_error

RNG = np.random.default_rng(0)


def _case(name, shape=(5, 4), seed=0):
    """(y_true, y_pred) suited to each loss, away from clipping and kinks."""
    rng = np.random.default_rng(seed)
    n, c = shape
    probs = rng.uniform(0.05, 1.0, shape)
    probs /= probs.sum(axis=1, keepdims=True)
    classes = rng.integers(0, c, n)
    one_hot = np.eye(c)[classes]
    if name in ("categorical_crossentropy", "kl_divergence", "categorical_hinge"):
        return one_hot if name != "kl_divergence" else probs[::-1].copy(), probs
    if name == "sparse_categorical_crossentropy":
        return classes, probs
    if name == "binary_crossentropy":
        return rng.integers(0, 2, shape).astype(float), rng.uniform(0.05, 0.95, shape)
    if name in ("hinge", "squared_hinge"):
        y = rng.choice([-1.0, 1.0], shape)
        p = rng.uniform(-2, 2, shape)
        p[np.abs(1 - y * p) < 1e-3] += 0.1  # off the kink
        return y, p
    if name in ("poisson", "mean_squared_logarithmic_error"):
        return rng.uniform(0.1, 3, shape), rng.uniform(0.1, 3, shape)
    y = rng.standard_normal(shape)
    p = rng.standard_normal(shape)
    return y, p


LOSS_NAMES = sorted(cls.name for cls in losses._CLASSES)


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_gradient_matches_finite_differences(name):
    loss = losses.get(name)
    y, p = _case(name)
    analytic = loss.gradient(y, p)
    numeric = numerical_gradient(lambda: loss(y, p), p)
    assert relative_error(analytic, numeric) < 1e-6


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("cls", [losses.BinaryCrossentropy, losses.CategoricalCrossentropy,
                                 losses.SparseCategoricalCrossentropy])
def test_crossentropy_gradients_with_logits(cls, from_logits):
    loss = cls(from_logits=from_logits)
    y, p = _case(cls.name, seed=2)
    if from_logits:
        p = np.random.default_rng(3).standard_normal(p.shape) * 2
    numeric = numerical_gradient(lambda: loss(y, p), p)
    assert relative_error(loss.gradient(y, p), numeric) < 1e-6


def test_course_mse_example():
    """A cat (label 0) predicted as 0.25: error 0.25, squared error 0.0625."""
    assert losses.mean_squared_error(np.array([[0.0]]), np.array([[0.25]])) == pytest.approx(0.0625)
    batch = losses.mean_squared_error(np.array([0.0, 1.0]), np.array([0.25, 0.5]))
    assert batch == pytest.approx((0.25 ** 2 + 0.5 ** 2) / 2)


def test_sparse_and_categorical_agree():
    y, p = _case("sparse_categorical_crossentropy")
    one_hot = np.eye(p.shape[1])[y]
    assert losses.sparse_categorical_crossentropy(y, p) == pytest.approx(
        losses.categorical_crossentropy(one_hot, p))
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy.gradient(y, p),
                               losses.categorical_crossentropy.gradient(one_hot, p))


def test_sparse_labels_accept_trailing_axis():
    y, p = _case("sparse_categorical_crossentropy")
    assert losses.sparse_categorical_crossentropy(y[:, None], p) == pytest.approx(
        losses.sparse_categorical_crossentropy(y, p))


def test_probabilities_are_clipped_not_infinite():
    value = losses.binary_crossentropy(np.array([[1.0]]), np.array([[0.0]]))
    assert np.isfinite(value) and value == pytest.approx(-np.log(1e-7), rel=1e-6)


@pytest.mark.parametrize("labels, match", [
    (np.array([0, 3]), r"labels must be in \[0, 3\).*from 0 to 3"),
    (np.array([-1, 0]), r"labels must be in \[0, 3\)"),
    (np.array([0.5, 1.0]), "whole numbers"),
])
def test_bad_sparse_labels(labels, match):
    with pytest.raises(ValueError, match=match):
        losses.sparse_categorical_crossentropy(labels, np.full((2, 3), 1 / 3))


def test_shape_mismatch_is_reported():
    with pytest.raises(ValueError, match=r"mean_squared_error.*\(4, 2\).*\(3,\)"):
        losses.mean_squared_error(np.zeros(3), np.zeros((4, 2)))


def test_unknown_loss_lists_valid_names():
    with pytest.raises(ValueError, match="mean_squared_error"):
        losses.get("squared_error")


def test_aliases():
    assert isinstance(losses.get("mse"), losses.MeanSquaredError)
    assert isinstance(losses.get("cosine_proximity"), losses.CosineSimilarity)


def _torch_loss(torch, name, y, p):
    """The same loss written with torch ops; autograd supplies the gradient."""
    F = torch.nn.functional
    eps = losses.EPSILON
    if name == "mean_squared_error":
        return F.mse_loss(p, y)
    if name == "mean_absolute_error":
        return F.l1_loss(p, y)
    if name == "mean_absolute_percentage_error":
        return (100 * ((y - p) / y.abs().clamp(min=eps)).abs()).mean()
    if name == "mean_squared_logarithmic_error":
        return ((torch.log1p(p.clamp(min=eps)) - torch.log1p(y.clamp(min=eps))) ** 2).mean()
    if name == "log_cosh":
        return torch.log(torch.cosh(p - y)).mean()
    if name == "hinge":
        return F.relu(1 - y * p).mean()
    if name == "squared_hinge":
        return (F.relu(1 - y * p) ** 2).mean()
    if name == "categorical_hinge":
        pos = (y * p).sum(-1)
        neg = ((1 - y) * p).max(-1).values
        return F.relu(1 + neg - pos).mean()
    if name == "poisson":
        return F.poisson_nll_loss(p, y, log_input=False, full=False, eps=eps)
    if name == "kl_divergence":
        return F.kl_div(torch.log(p.clamp(eps, 1)), y.clamp(eps, 1), reduction="batchmean")
    if name == "cosine_similarity":
        return -F.cosine_similarity(y, p, dim=-1).mean()
    if name == "binary_crossentropy":
        return F.binary_cross_entropy(p, y)
    if name == "categorical_crossentropy":
        return -(y * torch.log(p / p.sum(-1, keepdim=True))).sum(-1).mean()
    if name == "sparse_categorical_crossentropy":
        return F.nll_loss(torch.log(p / p.sum(-1, keepdim=True)), y)
    raise KeyError(name)


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_matches_pytorch(name, torch):
    y, p = _case(name, seed=5)
    p = p.astype(np.float32)
    y = y.astype(np.int64 if name.startswith("sparse") else np.float32)
    pt = torch.tensor(p, requires_grad=True)
    expected = _torch_loss(torch, name, torch.tensor(y), pt)
    expected.backward()
    loss = losses.get(name)
    assert loss(y, p) == pytest.approx(expected.item(), rel=1e-5, abs=1e-6)
    np.testing.assert_allclose(loss.gradient(y, p), pt.grad.numpy(), rtol=1e-4, atol=1e-6)


def test_logits_variants_match_pytorch(torch):
    F = torch.nn.functional
    z = np.random.default_rng(6).standard_normal((6, 4)).astype(np.float32) * 3
    labels = np.array([0, 1, 2, 3, 1, 2])
    zt = torch.tensor(z, requires_grad=True)
    F.cross_entropy(zt, torch.tensor(labels)).backward()
    loss = losses.SparseCategoricalCrossentropy(from_logits=True)
    np.testing.assert_allclose(loss.gradient(labels, z), zt.grad.numpy(), rtol=1e-4, atol=1e-7)
    bits = (z > 0).astype(np.float32)[:, ::-1].copy()
    zt = torch.tensor(z, requires_grad=True)
    expected = F.binary_cross_entropy_with_logits(zt, torch.tensor(bits))
    expected.backward()
    loss = losses.BinaryCrossentropy(from_logits=True)
    assert loss(bits, z) == pytest.approx(expected.item(), rel=1e-5)
    np.testing.assert_allclose(loss.gradient(bits, z), zt.grad.numpy(), rtol=1e-4, atol=1e-7)
