"""Optimizers: rules that turn gradients into weight updates.

The plain rule the course teaches is ``new weight = old weight - lr * gradient``
(``SGD()``). The others keep per-weight running statistics ("slots") to pick
better steps. ``learning_rate`` can be changed at any time, e.g.
``model.optimizer.learning_rate = 0.01`` after ``compile``, and the next
step uses it.

The update rules are Keras 3's, step for step (tests/test_keras_parity.py
checks them against real Keras); each class says where PyTorch's differs.
"""
import math

import numpy as np

from .arguments import check_number, lookup, valid_names


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
        self._slots = {}   # id(weight) -> (weight, its slots)
        self._pack = None  # the weights of the last step laid end to end

    @property
    def learning_rate(self):
        """The step size; must stay a finite number > 0."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self._learning_rate = check_number(type(self).__name__, "learning_rate", value, 0,
                                           include_low=False)

    def apply_gradients(self, pairs):
        """Update every weight in place.

        Parameters
        ----------
        pairs : list of (weight, gradient) arrays of equal shape

        Notes
        -----
        When every weight and gradient has one dtype, the rule runs once on
        all of them laid end to end (:class:`_Pack`) instead of once per
        weight: a small network's step is then a dozen NumPy calls instead
        of a dozen per weight, which was a fifth of a 1-16-32-2 network's
        training time. Each element goes through the same operations as it
        would alone, so the result is the same to the last bit.
        """
        self.iterations += 1
        pairs = list(pairs)
        pack = self._pack_for(pairs)
        if pack is None:
            for weight, grad in pairs:
                self.update(weight, grad, self._slots_of(weight))
        else:
            pack.apply(self, [grad for _, grad in pairs])

    def _slots_of(self, weight):
        """The running state of ``weight``, created on its first update."""
        slots = self._slots.get(id(weight))
        if slots is None or slots[0] is not weight:  # a new array that reuses a freed id
            slots = self._slots[id(weight)] = (weight, self.new_slots(weight))
        return slots[1]

    def _pack_for(self, pairs):
        """The :class:`_Pack` of these weights (kept while they stay the same), or None."""
        weights = [weight for weight, _ in pairs]
        pack = self._pack
        if pack is not None and len(pack.weights) == len(weights) \
                and all(a is b for a, b in zip(pack.weights, weights)):
            return pack
        dtype = weights[0].dtype if weights else None
        if len(weights) < 2 or any(w.dtype != dtype or g.dtype != dtype or g.shape != w.shape
                                   for w, g in pairs):
            return None
        slots = [self._slots_of(w) for w in weights]
        scalars = {k: v for k, v in slots[0].items() if not isinstance(v, np.ndarray)}
        if any({k: v for k, v in s.items() if not isinstance(v, np.ndarray)} != scalars
               for s in slots[1:]):
            return None  # e.g. Adam's step counts differ: a layer joined training later
        self._pack = _Pack(weights, slots, scalars)
        return self._pack

    def update(self, weight, grad, slots):
        """Change ``weight`` in place, one step: ``weight -= step(grad, slots)``."""
        weight -= self.step(grad, slots)

    def new_slots(self, weight):
        """Per-weight running state (dict of arrays) for a new weight."""
        return {}

    def step(self, grad, slots):
        """The amount to subtract from a weight with gradient ``grad``; advances ``slots``."""
        raise NotImplementedError

    def get_config(self):
        """The hyper-parameters, for printing and comparing."""
        return {"learning_rate": self.learning_rate}

    def __repr__(self):
        args = ", ".join(f"{k}={v}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum, in Keras 3's form.

    Without momentum: ``w <- w - lr g``. With momentum mu, a velocity ``v``
    (zero at first) carries past steps: ``v <- mu v - lr g``, then
    ``w <- w + v``; with ``nesterov=True`` the step looks ahead:
    ``w <- w + mu v - lr g`` (with the new ``v``).

    PyTorch keeps the velocity without the learning rate, ``b <- mu b + g``,
    and steps ``w <- w - lr b`` (nesterov: ``w <- w - lr (g + mu b)``). For a
    constant learning rate that is the same trajectory (``v = -lr b``). When
    the learning rate changes from lr1 to lr2, Keras' velocity still carries
    the old steps made with lr1 while PyTorch rescales all past gradients by
    lr2: the next step differs by ``mu (lr2 - lr1) b``.

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

    def step(self, grad, slots):
        lr = self.learning_rate
        if not self.momentum:
            return lr * grad
        v = slots["velocity"]
        v *= self.momentum
        v -= lr * grad
        # w - (-d) and w - (b - a) round exactly as w + d and w + (a - b): Keras' w += ...
        if self.nesterov:
            return lr * grad - self.momentum * v
        return -v

    def get_config(self):
        return {"learning_rate": self.learning_rate, "momentum": self.momentum,
                "nesterov": self.nesterov}


class Adam(Optimizer):
    """Adam: momentum on the gradient and on its square, with bias correction (Keras 3's form).

    With ``g`` the gradient and ``t`` the step number (1, 2, ...)::

        m <- m + (1 - b1) (g - m)             # = b1 m + (1 - b1) g
        v <- v + (1 - b2) (g^2 - v)
        w <- w - lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)

    The bias corrections are folded into the step size and eps is added to
    ``sqrt(v)`` itself, as in Keras 3 (and Section 2 of Kingma & Ba).
    PyTorch (Algorithm 1 of the paper) adds eps after the correction,
    ``w <- w - lr * m_hat / (sqrt(v_hat) + eps)`` with ``m_hat = m / (1 - b1^t)``
    and ``v_hat = v / (1 - b2^t)``: that is Keras' formula with eps replaced by
    ``eps * sqrt(1 - b2^t)``, 32 times smaller at the first step (b2 = 0.999).
    The two agree for eps = 0; otherwise Keras' steps are smaller by about
    ``eps / (sqrt(1 - b2^t) |g|)`` relative, which fades once t is well past
    ``1 / (1 - b2)`` steps. For a steady gradient of 1e-5 the first step is
    0.76 lr in Keras and 0.99 lr in PyTorch; for 1e-3 they differ by 0.3 %.

    Parameters
    ----------
    learning_rate : float, default 0.001
    beta_1, beta_2 : float, defaults 0.9 and 0.999
    epsilon : float, default 1e-7 (Keras' default; PyTorch's is 1e-8)
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

    def step(self, grad, slots):
        slots["t"] += 1
        t, b1, b2 = slots["t"], self.beta_1, self.beta_2
        m, v = slots["m"], slots["v"]
        m += (1 - b1) * (grad - m)
        v += (1 - b2) * (grad * grad - v)
        step_size = self.learning_rate * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        denom = np.sqrt(v)
        denom += self.epsilon
        return step_size * m / denom

    def get_config(self):
        return {"learning_rate": self.learning_rate, "beta_1": self.beta_1,
                "beta_2": self.beta_2, "epsilon": self.epsilon}


class RMSprop(Optimizer):
    """RMSprop: divide the step by a running root-mean-square of the gradient (Keras 3's form).

    ::

        v <- rho v + (1 - rho) g^2
        step = lr * g / sqrt(v + eps)
        w <- w - step

    With ``centered=True`` the running mean ``a <- rho a + (1 - rho) g`` is
    subtracted first: ``step = lr * g / sqrt(v - a^2 + eps)``. With momentum
    mu the steps accumulate: ``b <- mu b + step``, ``w <- w - b``.

    PyTorch differs in two places: eps goes outside the root,
    ``g / (sqrt(v) + eps)`` (the same for eps = 0), and its momentum buffer
    holds ``g / (sqrt(v) + eps)`` without the learning rate (``w <- w - lr b``),
    which is the same trajectory unless the learning rate changes mid-training.
    PyTorch calls rho ``alpha`` (default 0.99).

    Parameters
    ----------
    learning_rate : float, default 0.001
    rho : float, default 0.9
    momentum : float in [0, 1), default 0
    epsilon : float, default 1e-7
    centered : bool, default False
    """

    name = "rmsprop"

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False):
        super().__init__(learning_rate)
        if not 0 <= rho < 1:
            raise ValueError(f"RMSprop: rho must be in [0, 1), got {rho!r}")
        if not 0 <= momentum < 1:
            raise ValueError(f"RMSprop: momentum must be in [0, 1), got {momentum!r}")
        self.rho, self.momentum, self.epsilon = float(rho), float(momentum), float(epsilon)
        self.centered = bool(centered)

    def new_slots(self, weight):
        slots = {"v": np.zeros_like(weight)}
        if self.momentum:
            slots["buffer"] = np.zeros_like(weight)
        if self.centered:
            slots["mean"] = np.zeros_like(weight)
        return slots

    def step(self, grad, slots):
        rho, v = self.rho, slots["v"]
        v *= rho
        v += (1 - rho) * (grad * grad)
        if self.centered:
            mean = slots["mean"]
            mean *= rho
            mean += (1 - rho) * grad
            denom = v - mean * mean
            denom += self.epsilon
        else:
            denom = v + self.epsilon
        step = self.learning_rate * grad / np.sqrt(denom)
        if self.momentum:
            buffer = slots["buffer"]
            buffer *= self.momentum
            buffer += step
            step = buffer
        return step

    def get_config(self):
        return {"learning_rate": self.learning_rate, "rho": self.rho,
                "momentum": self.momentum, "epsilon": self.epsilon, "centered": self.centered}


class _Pack:
    """Several weights' running state laid end to end, so one rule updates them all.

    Each weight's slot arrays become views into one flat array per slot
    (their values are kept), so its state stays where ``new_slots`` put it
    if it is later updated on its own or in another pack. Scalar slots
    (Adam's step count) are shared and copied back to every weight's slots.
    """

    def __init__(self, weights, slots, scalars):
        self.weights = weights
        self.slots_of = slots
        ends = np.cumsum([w.size for w in weights])
        self.pieces = [slice(end - w.size, end) for w, end in zip(weights, ends)]
        self.grad = np.empty(int(ends[-1]), dtype=weights[0].dtype)
        self.slots = dict(scalars)
        for name, value in slots[0].items():
            if isinstance(value, np.ndarray):
                flat = np.concatenate([s[name].reshape(-1) for s in slots])
                for s, w, piece in zip(slots, weights, self.pieces):
                    s[name] = flat[piece].reshape(w.shape)
                self.slots[name] = flat

    def apply(self, optimizer, grads):
        """One step of ``optimizer`` on every weight, given their gradients in order."""
        np.concatenate([g.reshape(-1) for g in grads], out=self.grad)
        step = optimizer.step(self.grad, self.slots)
        for weight, piece in zip(self.weights, self.pieces):
            weight -= step[piece].reshape(weight.shape)
        for name, value in self.slots.items():
            if not isinstance(value, np.ndarray):
                for s in self.slots_of:
                    s[name] = value


_REGISTRY = {cls.name: cls for cls in (SGD, Adam, RMSprop)}


def names():
    """The names ``get`` accepts (in any case, as Keras: ``'Adam'`` works too)."""
    return valid_names(_REGISTRY)


def get(identifier):
    """Return an optimizer for a name (``'adam'``: default settings), a class or an instance."""
    return lookup("optimizer", identifier, _REGISTRY, Optimizer, ignore_case=True)
