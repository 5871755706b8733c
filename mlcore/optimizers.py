"""Optimizers: rules that turn gradients into weight updates.

The plain rule the course teaches is ``new weight = old weight - lr * gradient``
(``SGD()``). The others keep per-weight running statistics ("slots") to pick
better steps. ``learning_rate`` can be changed at any time, e.g.
``model.optimizer.learning_rate = 0.01`` after ``compile``, and the next
step uses it.
"""
import math

import numpy as np


class Optimizer:
    """Base class.

    Parameters
    ----------
    learning_rate : float
        Step size, > 0.
    """

    name = None

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate
        self.iterations = 0
        self._slots = {}

    @property
    def learning_rate(self):
        """The step size; must stay a finite number > 0."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) \
                or not math.isfinite(value) or value <= 0:
            raise ValueError(
                f"{type(self).__name__}: learning_rate must be a finite number > 0, got {value!r}"
            )
        self._learning_rate = float(value)

    def apply_gradients(self, pairs):
        """Update every weight in place.

        Parameters
        ----------
        pairs : list of (weight, gradient) arrays of equal shape
        """
        self.iterations += 1
        for weight, grad in pairs:
            key = id(weight)
            slots = self._slots.get(key)
            if slots is None or slots[0] is not weight:
                slots = self._slots[key] = (weight, self.new_slots(weight))
            self.update(weight, grad, slots[1])

    def new_slots(self, weight):
        """Per-weight running state (dict of arrays) for a new weight."""
        return {}

    def update(self, weight, grad, slots):
        """Change ``weight`` in place, one step."""
        raise NotImplementedError

    def get_config(self):
        """The hyper-parameters, for printing and comparing."""
        return {"learning_rate": self.learning_rate}

    def __repr__(self):
        args = ", ".join(f"{k}={v}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (Keras' form).

    Without momentum: ``w <- w - lr * g``. With momentum m:
    ``v <- m v - lr g`` then ``w <- w + v``; with ``nesterov=True``
    ``w <- w + m v - lr g`` (a look-ahead step). For a constant learning rate
    this is the same trajectory as PyTorch's SGD.

    Parameters
    ----------
    learning_rate : float, default 0.01
    momentum : float in [0, 1), default 0
    nesterov : bool, default False
    """

    name = "sgd"

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False):
        super().__init__(learning_rate)
        if not 0 <= momentum < 1:
            raise ValueError(f"SGD: momentum must be in [0, 1), got {momentum!r}")
        self.momentum, self.nesterov = float(momentum), bool(nesterov)

    def new_slots(self, weight):
        return {"velocity": np.zeros_like(weight)} if self.momentum else {}

    def update(self, weight, grad, slots):
        lr = self.learning_rate
        if not self.momentum:
            weight -= lr * grad
            return
        v = slots["velocity"]
        v *= self.momentum
        v -= lr * grad
        if self.nesterov:
            weight += self.momentum * v - lr * grad
        else:
            weight += v

    def get_config(self):
        return {"learning_rate": self.learning_rate, "momentum": self.momentum,
                "nesterov": self.nesterov}


class Adam(Optimizer):
    """Adam: momentum on the gradient and on its square, with bias correction.

    ``m <- b1 m + (1 - b1) g``, ``v <- b2 v + (1 - b2) g^2``,
    ``w <- w - lr * m_hat / (sqrt(v_hat) + eps)`` with
    ``m_hat = m / (1 - b1^t)``, ``v_hat = v / (1 - b2^t)``.
    This is Algorithm 1 of Kingma & Ba and PyTorch's form. Keras adds eps to
    sqrt(v) before the bias correction, which differs only when gradients
    are as small as eps.

    Parameters
    ----------
    learning_rate : float, default 0.001
    beta_1, beta_2 : float, defaults 0.9 and 0.999
    epsilon : float, default 1e-7 (Keras' default)
    """

    name = "adam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__(learning_rate)
        for what, value in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0 <= value < 1:
                raise ValueError(f"Adam: {what} must be in [0, 1), got {value!r}")
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)

    def new_slots(self, weight):
        return {"m": np.zeros_like(weight), "v": np.zeros_like(weight), "t": 0}

    def update(self, weight, grad, slots):
        slots["t"] += 1
        t, b1, b2 = slots["t"], self.beta_1, self.beta_2
        m, v = slots["m"], slots["v"]
        m *= b1
        m += (1 - b1) * grad
        v *= b2
        v += (1 - b2) * (grad * grad)
        denom = np.sqrt(v)
        denom *= 1 / math.sqrt(1 - b2 ** t)
        denom += self.epsilon
        weight -= (self.learning_rate / (1 - b1 ** t)) * m / denom

    def get_config(self):
        return {"learning_rate": self.learning_rate, "beta_1": self.beta_1,
                "beta_2": self.beta_2, "epsilon": self.epsilon}


class RMSprop(Optimizer):
    """RMSprop: divide the step by a running root-mean-square of the gradient.

    ``v <- rho v + (1 - rho) g^2``, ``w <- w - lr * g / (sqrt(v) + eps)``;
    with momentum m, ``b <- m b + lr g / (sqrt(v) + eps)``, ``w <- w - b``.

    Parameters
    ----------
    learning_rate : float, default 0.001
    rho : float, default 0.9 (Keras; PyTorch calls it alpha, default 0.99)
    momentum : float, default 0
    epsilon : float, default 1e-7
    """

    name = "rmsprop"

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7):
        super().__init__(learning_rate)
        if not 0 <= rho < 1:
            raise ValueError(f"RMSprop: rho must be in [0, 1), got {rho!r}")
        if not 0 <= momentum < 1:
            raise ValueError(f"RMSprop: momentum must be in [0, 1), got {momentum!r}")
        self.rho, self.momentum, self.epsilon = float(rho), float(momentum), float(epsilon)

    def new_slots(self, weight):
        slots = {"v": np.zeros_like(weight)}
        if self.momentum:
            slots["buffer"] = np.zeros_like(weight)
        return slots

    def update(self, weight, grad, slots):
        v = slots["v"]
        v *= self.rho
        v += (1 - self.rho) * (grad * grad)
        step = self.learning_rate * grad / (np.sqrt(v) + self.epsilon)
        if self.momentum:
            buffer = slots["buffer"]
            buffer *= self.momentum
            buffer += step
            step = buffer
        weight -= step

    def get_config(self):
        return {"learning_rate": self.learning_rate, "rho": self.rho,
                "momentum": self.momentum, "epsilon": self.epsilon}


_REGISTRY = {cls.name: cls for cls in (SGD, Adam, RMSprop)}


def names():
    """The names ``get`` accepts."""
    return sorted(_REGISTRY)


def get(identifier):
    """Return an optimizer for a name (``'adam'``: default settings) or an instance."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _REGISTRY:
        return _REGISTRY[identifier.lower()]()
    raise ValueError(f"unknown optimizer {identifier!r}; valid names are {names()}")
