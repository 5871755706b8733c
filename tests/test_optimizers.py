"""Optimizers: the update rule by hand, PyTorch where its form is Keras', and where it is not.

Keras 3 is the reference (tests/test_keras_parity.py compares with it directly).
"""
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


# Where PyTorch's form and Keras' coincide: any momentum at a constant learning rate,
# and Adam and RMSprop without epsilon (both place it differently, see below).
CASES = [
    ("sgd", dict(learning_rate=0.05), lambda t, p: t.optim.SGD(p, lr=0.05)),
    ("momentum", dict(learning_rate=0.05, momentum=0.9), lambda t, p: t.optim.SGD(p, lr=0.05, momentum=0.9)),
    ("nesterov", dict(learning_rate=0.05, momentum=0.8, nesterov=True),
     lambda t, p: t.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True)),
    ("adam", dict(learning_rate=0.01, epsilon=0), lambda t, p: t.optim.Adam(p, lr=0.01, eps=0)),
    ("rmsprop", dict(learning_rate=0.01, rho=0.9, epsilon=0),
     lambda t, p: t.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=0)),
    ("rmsprop_momentum", dict(learning_rate=0.01, rho=0.9, momentum=0.5, epsilon=0),
     lambda t, p: t.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=0, momentum=0.5)),
    ("rmsprop_centered", dict(learning_rate=0.01, rho=0.9, centered=True, epsilon=0),
     lambda t, p: t.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=0, centered=True)),
]
FACTORIES = {"sgd": SGD, "momentum": SGD, "nesterov": SGD, "adam": Adam, "rmsprop": RMSprop,
             "rmsprop_momentum": RMSprop, "rmsprop_centered": RMSprop}


@pytest.mark.parametrize("name, kwargs, make_torch", CASES, ids=[c[0] for c in CASES])
def test_trajectory_matches_pytorch_where_the_forms_coincide(name, kwargs, make_torch, torch):
    rng = np.random.default_rng(0)
    start = rng.standard_normal((3, 4))
    target = rng.standard_normal((3, 4))
    w = start.copy()
    optimizer = FACTORIES[name](**kwargs)
    wt = torch.tensor(start.copy(), requires_grad=True)
    torch_optimizer = make_torch(torch, [wt])
    for _ in range(25):
        optimizer.apply_gradients([(w, _quadratic_grad(w, target))])
        torch_optimizer.zero_grad()
        wt.grad = torch.tensor(_quadratic_grad(wt.detach().numpy(), target))
        torch_optimizer.step()
    np.testing.assert_allclose(w, wt.detach().numpy(), rtol=1e-10, atol=1e-12)
    assert not np.allclose(w, start)


def _first_step(optimizer, grad):
    w = np.zeros(1)
    optimizer.apply_gradients([(w, np.array([grad]))])
    return -w[0]


def test_adam_epsilon_as_keras_places_it(torch):
    """The documented difference: at a gradient of 1e-5 Keras' (and mlcore's) first step
    is 0.76 lr, PyTorch's 0.99 lr; at a gradient of 1 both are lr to 1e-5."""
    lr, b2, eps = 0.001, 0.999, 1e-7
    keras_form = lr * np.sqrt(1 - b2) / 0.1 * (0.1 * 1e-5) / (np.sqrt((1 - b2) * 1e-10) + eps)
    assert _first_step(Adam(learning_rate=lr), 1e-5) == pytest.approx(keras_form, rel=1e-12)
    assert keras_form / lr == pytest.approx(0.7597, abs=1e-4)
    wt = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    torch_optimizer = torch.optim.Adam([wt], lr=lr, eps=eps)
    wt.grad = torch.tensor([1e-5], dtype=torch.float64)
    torch_optimizer.step()
    assert -wt.item() / lr == pytest.approx(1e-5 / (1e-5 + eps), rel=1e-12)  # 0.990
    assert _first_step(Adam(learning_rate=lr), 1.0) == pytest.approx(lr, rel=1e-5)


def test_rmsprop_epsilon_inside_the_root(torch):
    """Keras: g / sqrt(v + eps); PyTorch: g / (sqrt(v) + eps). At g = 1e-4, rho = 0.9: v = 1e-9."""
    eps = 1e-7
    ours = _first_step(RMSprop(learning_rate=1.0, rho=0.9, epsilon=eps), 1e-4)
    assert ours == pytest.approx(1e-4 / np.sqrt(1e-9 + eps), rel=1e-12)  # 0.315
    wt = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    torch_optimizer = torch.optim.RMSprop([wt], lr=1.0, alpha=0.9, eps=eps)
    wt.grad = torch.tensor([1e-4], dtype=torch.float64)
    torch_optimizer.step()
    assert -wt.item() == pytest.approx(1e-4 / (np.sqrt(1e-9) + eps), rel=1e-12)  # 3.06


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_keeps_old_steps_when_the_learning_rate_changes(nesterov, torch):
    """Keras' velocity holds lr-scaled steps, PyTorch's buffer raw gradients: after lr1 -> lr2
    the next step differs by mu (lr2 - lr1) b (nesterov: mu^2 (lr2 - lr1) b), b PyTorch's buffer."""
    mu, lr1, lr2 = 0.9, 0.05, 0.2
    rng = np.random.default_rng(1)
    start, target = rng.standard_normal((2, 5))
    w, optimizer = start.copy(), SGD(learning_rate=lr1, momentum=mu, nesterov=nesterov)
    wt = torch.tensor(start.copy(), requires_grad=True)
    torch_optimizer = torch.optim.SGD([wt], lr=lr1, momentum=mu, nesterov=nesterov)
    for _ in range(10):
        optimizer.apply_gradients([(w, _quadratic_grad(w, target))])
        wt.grad = torch.tensor(_quadratic_grad(wt.detach().numpy(), target))
        torch_optimizer.step()
    np.testing.assert_allclose(w, wt.detach().numpy(), rtol=1e-10)  # the same so far
    buffer = torch_optimizer.state[wt]["momentum_buffer"].numpy().copy()
    before = w.copy()
    optimizer.learning_rate = lr2
    for group in torch_optimizer.param_groups:
        group["lr"] = lr2
    optimizer.apply_gradients([(w, _quadratic_grad(w, target))])
    wt.grad = torch.tensor(_quadratic_grad(before, target))
    torch_optimizer.step()
    factor = mu * mu if nesterov else mu
    np.testing.assert_allclose(w - wt.detach().numpy(), factor * (lr2 - lr1) * buffer, rtol=1e-8)
    assert np.abs(w - wt.detach().numpy()).max() > 1e-3


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


@pytest.mark.parametrize("make", [
    lambda: SGD(0.1), lambda: SGD(0.1, momentum=0.9), lambda: SGD(0.1, momentum=0.9, nesterov=True),
    lambda: Adam(0.01), lambda: RMSprop(0.01), lambda: RMSprop(0.01, momentum=0.5, centered=True),
])
def test_one_step_for_all_weights_equals_one_per_weight_to_the_bit(make):
    """apply_gradients lays the weights end to end (one pass of the rule); every element
    must come out as if its weight were updated alone, also when the set of weights
    changes (a layer frozen, then one joining later with its own step count)."""
    rng = np.random.default_rng(0)
    shapes = [(3, 4), (4,), (2, 2, 3)]
    together = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    alone = [w.copy() for w in together]
    opt_together, opt_alone = make(), make()
    schedule = [[0, 1]] * 3 + [[0, 1, 2]] * 3 + [[1, 2]] * 2 + [[0, 1, 2]] * 3
    for step, active in enumerate(schedule):
        grads = {i: rng.standard_normal(shapes[i]).astype(np.float32) for i in active}
        opt_together.apply_gradients([(together[i], grads[i]) for i in active])
        for i in active:
            opt_alone.apply_gradients([(alone[i], grads[i])])
        for a, b in zip(together, alone):
            np.testing.assert_array_equal(a, b, err_msg=f"step {step}")
    assert opt_together._pack is not None  # the weights were updated end to end
