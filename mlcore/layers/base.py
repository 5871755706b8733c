"""The Layer base class every layer derives from, and its default names."""
import contextlib
import copy
import re

import numpy as np

from .. import backend, initializers, regularizers

_name_counts = {}  # per type: how many layers got a default name so far


def _default_name(cls_name):
    """Keras-style unique names: dense, dense_1, dense_2, ..."""
    base = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", cls_name).lower()
    count = _name_counts.get(base, 0)
    _name_counts[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def clear_session():
    """Start the default layer names again: the next ``Dense()`` is ``'dense'``.

    As ``keras.utils.clear_session()`` does for names. Layers that exist
    keep their names; call it before building models whose names should
    not depend on what ran before (e.g. at the top of a notebook).
    """
    _name_counts.clear()


@contextlib.contextmanager
def private_layer_names():
    """Name the layers created inside the block from a counter of their own.

    The block's layers are named ``dense``, ``dense_1``, ... independently of
    the notebook's, and afterwards the next default name is the one it
    would have been without the block. Widgets build their internal models
    this way, so moving a slider never shifts the ``dense_N`` names a
    notebook prints. Usable as a decorator too: ``@private_layer_names()``.
    """
    global _name_counts
    outer, _name_counts = _name_counts, {}
    try:
        yield
    finally:
        _name_counts = outer


class Layer:
    """A differentiable step of a network.

    A layer owns two dicts of arrays, ``params`` (trainable weights, e.g.
    ``kernel`` and ``bias``) and ``grads`` (their gradients after the last
    backward pass, same keys and shapes), plus ``state`` for weights that are
    not trained by gradient descent (batch-norm moving averages). Weights are
    made by :meth:`add_weight`, which also records a weight's regularizer:
    the base class then adds every penalty to the loss
    (:meth:`regularization_loss`) and its gradient to ``grads``
    (:meth:`add_penalty_gradients`), as Keras' base layer collects them.

    Subclasses implement ``build``, ``compute_output_shape``, ``forward`` and
    ``backward``. The forward pass keeps what the backward pass needs, and
    also what a teacher wants to show:

    - ``last_input``: the input of the last forward pass, ``a^(l-1)``;
    - ``z``: the pre-activation ``z^(l)`` (layers with an activation);
    - ``a``: the output ``a^(l)``;
    - ``grad_z``: ``dC/dz^(l)`` after the last backward pass;
    - ``grad_input``: ``dC/da^(l-1)`` after the last backward pass.

    A pass that must leave these alone (a widget reading a learner's model)
    runs on the layer's ``twin``.

    Parameters
    ----------
    name : str, optional
        Unique name shown by ``summary()``; defaults to a Keras-style one.
    trainable : bool
        If False, ``fit`` leaves the layer's weights unchanged.
    input_shape : tuple of int, optional
        Shape of one sample (no batch axis), for the first layer of a model.
    """

    def __init__(self, name=None, trainable=True, input_shape=None):
        self.name = name or _default_name(type(self).__name__)
        self.trainable = trainable
        self.params = {}
        self.grads = {}
        self.state = {}
        self.built = False
        self.input_shape = None if input_shape is None else as_shape(self.name, input_shape)
        self.output_shape = None
        self.last_input = None
        self.z = None
        self.a = None
        self.grad_z = None
        self.grad_input = None
        self.regularizers = {}  # weight name -> Regularizer, filled by add_weight

    # -- building -------------------------------------------------------
    def build(self, input_shape):
        """Create the weights for samples of ``input_shape`` (no batch axis)."""
        self.input_shape = tuple(input_shape)
        self.output_shape = self.compute_output_shape(self.input_shape)
        self.built = True

    def compute_output_shape(self, input_shape):
        """Shape of one output sample for one input sample of ``input_shape``."""
        return tuple(input_shape)

    def resolve(self, argument, get, identifier):
        """``get(identifier)`` for the constructor's ``argument`` (e.g.
        ``initializers.get`` for ``kernel_initializer``), so a bad name fails
        at once, with the layer's name, the argument and the valid names."""
        try:
            return get(identifier)
        except ValueError as error:
            raise ValueError(f"{self.name}: {argument}: {error}") from None

    def add_weight(self, name, shape, initializer, regularizer=None, trainable=True):
        """Create a weight, as Keras' ``Layer.add_weight`` does.

        Parameters
        ----------
        name : str
            Its key in ``params`` (trainable) or ``state`` (not trained by
            gradient descent, e.g. batch norm's moving mean).
        shape : tuple of int
        initializer : str, Initializer or callable ``f(shape)``
            Draws the starting values, in the current float type.
        regularizer : str or Regularizer, optional
            Its penalty joins :meth:`regularization_loss`, its gradient
            ``grads[name]`` (see :meth:`add_penalty_gradients`).
        trainable : bool, default True

        Returns
        -------
        array of shape ``shape``
        """
        init = self.resolve(f"initializer of weight '{name}'", initializers.get, initializer)
        value = np.asarray(init(tuple(shape)), dtype=backend.floatx())
        if trainable:
            self.params[name] = value
            self.grads[name] = np.zeros_like(value)
        else:
            self.state[name] = value
        if regularizer is not None:
            self.regularizers[name] = self.resolve(f"regularizer of weight '{name}'",
                                                   regularizers.get, regularizer)
        return value

    # -- computing ------------------------------------------------------
    def forward(self, x, training=False):
        """Compute the output for a batch ``x``; keep what backward needs."""
        raise NotImplementedError

    def backward(self, grad_out, input_gradient=True):
        """Given ``dC/da`` for the last output, fill ``grads`` and return ``dC/dx``.

        Every layer states its gradient formulas in chapter 06's notation:
        ``a^(l-1)`` is the layer's input (``last_input``), ``z^(l)`` its
        pre-activation, ``a^(l) = g(z^(l))`` its output, ``C`` the loss.

        Parameters
        ----------
        grad_out : array, shaped like the last output
            ``dC/da^(l)``.
        input_gradient : bool, default True
            False means nobody needs ``dC/da^(l-1)`` (``fit`` says so to the
            lowest layer it trains): the layer may skip that work and return
            None.

        Returns
        -------
        array shaped like the last input, or None
            ``dC/da^(l-1)``, the ``grad_out`` of the layer below.
        """
        raise NotImplementedError

    def regularization_loss(self):
        """The penalties of the weights made with a regularizer, summed (0 without any)."""
        return sum(regularizer.penalty(self._weight(name))
                   for name, regularizer in self.regularizers.items())

    def add_penalty_gradients(self):
        """Add each penalty's gradient to its weight's ``grads`` (``backward`` ends with this):
        ``dC/dw = dLoss/dw + dPenalty/dw``."""
        for name, regularizer in self.regularizers.items():
            self.grads[name] += regularizer.gradient(self.params[name])

    def twin(self):
        """A copy of this layer for passes that must leave the layer as it is.

        The twin computes with the same trainable weights (the arrays are
        shared: a pass only reads them) but keeps its own ``last_input``,
        ``z``, ``a``, ``grads`` and a copy of ``state`` (a batch norm run in
        training mode moves the twin's moving averages, not the layer's).
        Views read a learner's model through twins, so what the learner
        stored by hand (``model.forward(x)``, then ``layer.a``) stays.
        """
        twin = copy.copy(self)
        twin.grads = {name: np.zeros_like(grad) for name, grad in self.grads.items()}
        twin.state = {name: value.copy() for name, value in self.state.items()}
        return twin

    def check_input(self, x):
        """Raise a clear error if a batch ``x`` does not fit this layer."""
        if self.input_shape is not None and tuple(x.shape[1:]) != self.input_shape:
            raise ValueError(
                f"{self.name}: expected input of shape (batch, {_fmt(self.input_shape)}), "
                f"got {tuple(x.shape)}"
            )

    # -- weights --------------------------------------------------------
    @property
    def weight_names(self):
        """Names of all weights, trainable first, in the order of ``get_weights``."""
        return list(self.params) + list(self.state)

    def get_weights(self):
        """Copies of all weights, in the order of ``weight_names``."""
        return [self._weight(n).copy() for n in self.weight_names]

    def set_weights(self, weights):
        """Overwrite the weights in place (shapes must match ``get_weights``)."""
        names = self.weight_names
        if len(weights) != len(names):
            raise ValueError(
                f"{self.name}: expected {len(names)} weight arrays {names}, got {len(weights)}"
            )
        for n, w in zip(names, weights):
            target = self._weight(n)
            w = np.asarray(w)
            if w.shape != target.shape:
                raise ValueError(
                    f"{self.name}: weight '{n}' expected shape {target.shape}, got {w.shape}"
                )
            target[...] = w

    def _weight(self, name):
        return self.params[name] if name in self.params else self.state[name]

    def count_params(self):
        """Number of scalars in all weights, trainable or not."""
        return sum(int(np.prod(self._weight(n).shape)) for n in self.weight_names)

    def count_trainable_params(self):
        """Scalars that ``fit`` updates: 0 for a frozen layer."""
        if not self.trainable:
            return 0
        return sum(int(p.size) for p in self.params.values())

    def __repr__(self):
        shape = "unbuilt" if self.output_shape is None else f"output (None, {_fmt(self.output_shape)})"
        return f"<{type(self).__name__} '{self.name}' {shape}, {self.count_params()} params>"


def as_shape(where, shape, what="input_shape"):
    """``shape`` as a tuple of positive ints (``5 -> (5,)``), or a ValueError naming ``where``."""
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        shape = tuple(int(s) for s in shape)
    except TypeError:
        raise ValueError(f"{where}: {what} must be a tuple of ints, got {shape!r}") from None
    if any(s <= 0 for s in shape):
        raise ValueError(f"{where}: {what} sizes must be positive, got {shape}")
    return shape


def _fmt(shape):
    return ", ".join(str(s) for s in shape)


class LayerWithActivation(Layer):
    """A layer whose output is ``a = g(z)`` for its ``activation`` g.

    Its backward pass has two steps: ``dC/dz = g'(z) dC/da`` (softmax: its
    Jacobian product), then ``backward_from_z``, which subclasses implement.
    A model whose loss is fused with its last activation (cross-entropy from
    the logits, see :mod:`mlcore.losses`) has dC/dz already and calls
    ``backward_from_z`` on its last layer directly.
    """

    def backward(self, grad_out, input_gradient=True):
        """``dC/dz = g'(z) dC/da``, then ``backward_from_z`` (see ``Layer.backward``)."""
        return self.backward_from_z(self.activation.backward(self.z, self.a, grad_out),
                                    input_gradient)

    def backward_from_z(self, grad_z, input_gradient=True):
        """Like ``backward``, but given ``dC/dz^(l)`` instead of ``dC/da^(l)``."""
        raise NotImplementedError
