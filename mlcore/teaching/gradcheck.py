"""Finite-difference gradient checks: is backpropagation computing dC/dw right?

The centred difference ``(C(w + h) - C(w - h)) / 2h`` approximates dC/dw
with an error of order h^2. Compared with the analytic gradient by the
relative error ``|a - b| / max(1e-8, |a| + |b|)``, a correct layer in
float64 gives about 1e-7 or less; a wrong one gives something near 1.

Run checks inside ``with float_precision('float64'):`` (float32 rounding
alone gives errors of about 1e-3).
"""
import numpy as np

from .. import backend


def relative_error(analytic, numeric):
    """Largest element-wise ``|a - b| / max(1e-8, |a| + |b|)``."""
    analytic, numeric = np.asarray(analytic, float), np.asarray(numeric, float)
    return float(np.max(np.abs(analytic - numeric) /
                        np.maximum(1e-8, np.abs(analytic) + np.abs(numeric)), initial=0.0))


def numerical_gradient(f, x, h=1e-5):
    """dC/dx of the scalar function ``f()`` by centred differences.

    Parameters
    ----------
    f : callable
        Takes no arguments and returns a float that depends on ``x``.
    x : ndarray
        Perturbed in place, one element at a time, and restored.
    h : float
        Step size.

    Returns
    -------
    ndarray, shape of x
    """
    grad = np.zeros(x.shape, dtype=np.float64)
    flat, out = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("numerical_gradient: x must be a contiguous array (it is modified in place)")
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        plus = f()
        flat[i] = old - h
        minus = f()
        flat[i] = old
        out[i] = (plus - minus) / (2 * h)
    return grad


def check_layer(layer, x, training=True, seed=0, h=1e-5):
    """Compare a layer's backward pass with finite differences.

    Uses the scalar C = sum(output * r) for a fixed random r, so
    dC/d(output) = r. Every forward pass draws from a generator seeded
    with ``seed``, so a random layer (dropout) sees the same mask each
    time; the engine's own random sequence is left untouched.

    Parameters
    ----------
    layer : Layer
        Built automatically from ``x.shape[1:]`` if needed.
    x : ndarray, shape (N, ...)
    training : bool
        Mode for the forward passes.

    Returns
    -------
    dict
        ``'input'`` and each weight name -> relative error.
    """
    x = np.array(x, dtype=backend.floatx())
    if not layer.built:
        layer.build(x.shape[1:])

    def forward():
        with backend.seeded(seed):
            return layer.forward(x, training)

    r = np.random.default_rng(seed + 1).standard_normal(forward().shape)

    def cost():
        return float(np.sum(forward() * r)) + layer.regularization_loss()

    forward()
    grad_x = layer.backward(r)
    errors = {"input": relative_error(grad_x, numerical_gradient(cost, x, h))}
    analytic = {name: g.copy() for name, g in layer.grads.items()}
    for name, weight in layer.params.items():
        errors[name] = relative_error(analytic[name], numerical_gradient(cost, weight, h))
    return errors


def check_model(model, x, y, seed=0, h=1e-5):
    """Compare a compiled model's gradients of its loss with finite differences.

    The loss is the one ``fit`` trains on: cross-entropy after the model's own
    softmax or sigmoid is computed from the logits (see :mod:`mlcore.losses`).

    Returns
    -------
    dict
        ``'layer_name/weight_name'`` -> relative error, for every weight.
    """
    x = model._check_x(x, "check_model")
    y = model._prepare_y(y, x, "check_model")

    def cost():
        with backend.seeded(seed):
            out = model._forward(x, training=True)
        return model._loss_value(y, out, model.layers[-1].z)

    cost()
    model._backpropagate_loss(y, model.layers[-1].a, only_trainable=False)
    analytic = {(layer.name, name): g.copy()
                for layer in model.layers for name, g in layer.grads.items()}
    errors = {}
    for layer in model.layers:
        for name, weight in layer.params.items():
            numeric = numerical_gradient(cost, weight, h)
            errors[f"{layer.name}/{name}"] = relative_error(analytic[(layer.name, name)], numeric)
    return errors
