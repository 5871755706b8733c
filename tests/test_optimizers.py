"""Optimizers: the update rule by hand, and 25-step trajectories against PyTorch."""
import numpy as np
import pytest

import mlcore
from mlcore import SGD, Adam, Dense, RMSprop, Sequential, optimizers


def test_sgd_is_the_course_rule():
    """new weight = old weight - learning rate * gradient."""
    w = np.array([0.5, -1.0])
    SGD(learning_rate=0.1).apply_gradients([(w, np.array([2.0, -3.0]))])
    np.testing.assert_allclose(w, [0.5 - 0.2, -1.0 + 0.3])


def _quadratic_grad(w, target):
    """Gradient of a fixed, non-trivial loss: sum((w - t)^2 * (1 + w^2))."""
    return 2 * (w - target) * (1 + w * w) + 2 * w * (w - target) ** 2


CASES = [
    ("sgd", dict(learning_rate=0.05), lambda t, p: t.optim.SGD(p, lr=0.05)),
    ("momentum", dict(learning_rate=0.05, momentum=0.9), lambda t, p: t.optim.SGD(p, lr=0.05, momentum=0.9)),
    ("nesterov", dict(learning_rate=0.05, momentum=0.8, nesterov=True),
     lambda t, p: t.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True)),
    ("adam", dict(learning_rate=0.01), lambda t, p: t.optim.Adam(p, lr=0.01, eps=1e-7)),
    ("rmsprop", dict(learning_rate=0.01, rho=0.9), lambda t, p: t.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-7)),
    ("rmsprop_momentum", dict(learning_rate=0.01, rho=0.9, momentum=0.5),
     lambda t, p: t.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-7, momentum=0.5)),
]
FACTORIES = {"sgd": SGD, "momentum": SGD, "nesterov": SGD, "adam": Adam, "rmsprop": RMSprop,
             "rmsprop_momentum": RMSprop}


@pytest.mark.parametrize("name, kwargs, make_torch", CASES, ids=[c[0] for c in CASES])
def test_trajectory_matches_pytorch(name, kwargs, make_torch, torch):
    rng = np.random.default_rng(0)
    start = rng.standard_normal((3, 4)).astype(np.float32)
    target = rng.standard_normal((3, 4)).astype(np.float32)
    w = start.copy()
    optimizer = FACTORIES[name](**kwargs)
    wt = torch.tensor(start.copy(), requires_grad=True)
    torch_optimizer = make_torch(torch, [wt])
    for _ in range(25):
        optimizer.apply_gradients([(w, _quadratic_grad(w, target).astype(np.float32))])
        torch_optimizer.zero_grad()
        wt.grad = torch.tensor(_quadratic_grad(wt.detach().numpy(), target))
        torch_optimizer.step()
    np.testing.assert_allclose(w, wt.detach().numpy(), rtol=1e-5, atol=1e-5)
    assert not np.allclose(w, start)


def test_learning_rate_change_after_compile_takes_effect():
    mlcore.set_seed(0)
    model = Sequential([Dense(1, input_shape=(1,), use_bias=False, kernel_initializer="ones")])
    model.compile(optimizer=SGD(learning_rate=0.0001), loss="mse")
    model.optimizer.learning_rate = 0.01
    assert model.optimizer.learning_rate == 0.01
    # loss (w*1 - 0)^2 with w = 1: gradient 2, so w becomes 1 - 0.01 * 2
    model.train_on_batch(np.array([[1.0]]), np.array([[0.0]]))
    assert model.layers[0].params["kernel"][0, 0] == pytest.approx(0.98)


@pytest.mark.parametrize("value", [0, -0.1, float("nan"), float("inf"), "fast", True])
def test_bad_learning_rate(value):
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        Adam(learning_rate=value)
    optimizer = SGD()
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        optimizer.learning_rate = value


def test_unknown_optimizer_lists_names():
    with pytest.raises(ValueError, match=r"valid names are \['adam', 'rmsprop', 'sgd'\]"):
        optimizers.get("adagrad")


def test_slots_follow_each_weight():
    a, b = np.zeros(2), np.zeros(3)
    optimizer = Adam()
    optimizer.apply_gradients([(a, np.ones(2)), (b, np.ones(3))])
    assert len(optimizer._slots) == 2 and optimizer.iterations == 1
