"""Sequential: a stack of layers, trained with compile / fit, as in Keras.

The model is here: its layers, how they connect (``add``, ``build``), the
forward and backward pass and the weights. Training (``compile``, ``fit``,
``evaluate``, ``predict``) is inherited from :class:`mlcore.training.trainer.Trainer`,
which uses nothing of the model but the ``TrainableModel`` protocol
(:mod:`mlcore.training.protocol`); ``summary`` and the weight files delegate
to :mod:`mlcore.summary` and :mod:`mlcore.saving`.
"""
import copy

import numpy as np

from . import saving, summary
from .arguments import check_int
from .layers.base import Layer, as_shape
from .training import input_checks
from .training.trainer import DivergenceWarning, Trainer  # noqa: F401  (DivergenceWarning: mlcore.model's API)


class Input:
    """The shape of one sample, given as the first entry of a model (Keras 3's style).

    ``Sequential([Input((28, 28, 1)), Conv2D(8, 3)])`` is the same model as
    ``Sequential([Conv2D(8, 3, input_shape=(28, 28, 1))])``. It is not a
    layer: it has no weights, no row in ``summary()`` and no place in
    ``model.layers``, as in Keras.

    Parameters
    ----------
    shape : tuple of int
        One sample's shape, without the batch axis.
    """

    def __init__(self, shape):
        self.shape = as_shape("Input", shape, "shape")

    def __repr__(self):
        return f"Input(shape={self.shape})"


class Sequential(Trainer):
    """A linear stack of layers: the output of each is the input of the next.

    Parameters
    ----------
    layers : list of Layer, optional
        The layers in order; the first one should get ``input_shape`` so the
        model is built (and ``summary()`` works) before it sees data.
    name : str, default 'sequential'

    Examples
    --------
    >>> model = Sequential([
    ...     Dense(16, input_shape=(1,), activation='relu'),
    ...     Dense(32, activation='relu'),
    ...     Dense(2, activation='softmax'),
    ... ])
    >>> model.compile(optimizer=Adam(learning_rate=1e-4),
    ...               loss='sparse_categorical_crossentropy', metrics=['accuracy'])
    >>> history = model.fit(x, y, batch_size=10, epochs=30, verbose=2)
    """

    def __init__(self, layers=None, name="sequential"):
        super().__init__()
        self.name = name
        self.layers = []
        self._input = None
        for layer in layers or []:
            self.add(layer)

    # -- structure ------------------------------------------------------
    def add(self, layer):
        """Append a layer, building it if the input shape is known.

        An :class:`Input` is accepted before the first layer: it gives that
        layer its ``input_shape``.
        """
        if isinstance(layer, Input):
            if self.layers or self._input is not None:
                raise ValueError(f"{self.name}.add: an Input can only come first, before any "
                                 f"layer; got {layer!r} after {self.layers or [self._input]}")
            self._input = layer
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"{self.name}.add: expected a Layer, got {type(layer).__name__}")
        if not self.layers and self._input is not None:
            if layer.input_shape not in (None, self._input.shape):
                raise ValueError(f"{self.name}.add: layer '{layer.name}' has input_shape "
                                 f"{layer.input_shape} but the model's {self._input!r} says "
                                 f"{self._input.shape}")
            layer.input_shape = self._input.shape
        if any(existing is layer for existing in self.layers):
            raise ValueError(f"{self.name}.add: layer '{layer.name}' is already in the model")
        if any(existing.name == layer.name for existing in self.layers):
            raise ValueError(f"{self.name}.add: a layer named '{layer.name}' is already in the model")
        self.layers.append(layer)
        try:
            self._build_from(len(self.layers) - 1, "add")
        except (ValueError, TypeError):
            self.layers.pop()  # a layer that cannot be built is not added
            raise

    def pop(self):
        """Remove and return the last layer (e.g. to replace a model's head)."""
        if not self.layers:
            raise IndexError(f"{self.name}.pop: the model has no layers")
        return self.layers.pop()

    def get_layer(self, name):
        """Return the layer called ``name``."""
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"{self.name}.get_layer: no layer named {name!r}; layers are "
                         f"{[layer.name for layer in self.layers]}")

    def build(self, input_shape):
        """Build every layer for samples of ``input_shape`` (no batch axis)."""
        if not self.layers:
            raise ValueError(f"{self.name}.build: add layers before building the model")
        first = self.layers[0]
        if first.input_shape is None:
            first.input_shape = as_shape(f"{self.name}.build", input_shape)
        self._build_from(0, "build")

    def _build_from(self, index, what):
        """Build layers from ``index`` on, each from the previous output shape
        (errors name ``self.<what>``)."""
        for i in range(index, len(self.layers)):
            layer = self.layers[i]
            shape = self.layers[i - 1].output_shape if i else layer.input_shape
            if shape is None:
                return
            if layer.built:
                if tuple(layer.input_shape) != tuple(shape):
                    raise ValueError(
                        f"{self.name}.{what}: layer '{layer.name}' was built for input "
                        f"{summary.batch_shape(layer.input_shape)} but receives "
                        f"{summary.batch_shape(shape)}")
            else:
                layer.build(tuple(shape))

    @property
    def built(self):
        return bool(self.layers) and all(layer.built for layer in self.layers)

    @property
    def input_shape(self):
        """Shape of one input sample, with ``None`` for the batch axis."""
        if self.layers and self.layers[0].input_shape is not None:
            return (None,) + tuple(self.layers[0].input_shape)
        return None if self._input is None else (None,) + self._input.shape

    @property
    def output_shape(self):
        """Shape of the output, with ``None`` for the batch axis."""
        if not self.built:
            return None
        return (None,) + tuple(self.layers[-1].output_shape)

    # -- computing ------------------------------------------------------
    def forward(self, x, training=False):
        """Run ``x`` through every layer and return the last output.

        Each layer keeps its input, ``z`` and ``a`` for inspection
        (``activations`` runs the same pass and keeps nothing).
        """
        x = self._check_x(x, "forward")
        return self._forward(x, training)

    def _check_x(self, x, what):
        """``x`` checked for ``self.<what>`` (see ``input_checks.check_x``); builds the
        model from its shape on first sight, as Keras does."""
        where = f"{self.name}.{what}"
        if not self.layers:
            raise ValueError(f"{where}: the model has no layers")
        x = input_checks.check_x(x, self.layers[0], where)
        if not self.built:
            self.build(x.shape[1:])
            if self.loss is not None:
                self._resolve_metrics(where)
        return x

    def _forward(self, x, training):
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def backward(self, grad_out):
        """Propagate dC/d(output) back through every layer; return dC/d(input).

        Afterwards each layer's ``grads`` hold dC/dw for its weights.
        """
        for layer in reversed(self.layers):
            grad_out = layer.backward(grad_out)
        return grad_out

    def twin(self):
        """A model that computes with this model's weights but keeps its own record.

        Its layers are ``Layer.twin()``s: running ``forward`` or ``backward``
        on the twin fills the twin's ``a``, ``z``, ``last_input`` and
        ``grads``, never this model's. The weights are shared, so the twin
        always computes with the current ones (and must not be trained).
        """
        twin = copy.copy(self)
        twin.layers = [layer.twin() for layer in self.layers]
        return twin

    def activations(self, x, training=False):
        """Every layer's output for ``x``, leaving the model's stored values alone.

        The same forward pass as ``forward`` (run on a ``twin``), so the
        arrays are exactly what the engine computes; ``layer.a``, ``z``,
        ``last_input`` keep what the last ``forward`` or ``fit`` put there.

        Parameters
        ----------
        x : array (N,) + input shape
        training : bool, default False
            Inference mode (dropout off, batch norm on its moving averages),
            as ``predict``.

        Returns
        -------
        list of arrays
            ``a^(l)`` of layer l, shaped ``(N,) + layer.output_shape``, in order.
        """
        twin = self.twin()
        twin.forward(x, training)
        return [layer.a for layer in twin.layers]

    def input_gradient(self, x, output_index):
        """``d output[n, output_index] / d x[n]`` for every sample ``n`` of ``x``.

        How much each input value moves one output of the model (a saliency
        map, Simonyan et al. 2013): the engine's own backward pass, started
        from 1 at that output and 0 elsewhere, in inference mode. It runs on
        a ``twin``, so no layer's ``grads`` or stored values change.

        Parameters
        ----------
        x : array (N,) + input shape
        output_index : int
            Index into one sample's output, flattened (a class for a classifier).

        Returns
        -------
        array shaped like ``x``
        """
        twin = self.twin()
        out = twin.forward(x)
        size = out[0].size if len(out) else 0
        check_int(f"{self.name}.input_gradient", "output_index", output_index, 0, size - 1)
        grad_out = np.zeros_like(out)
        grad_out.reshape(len(out), -1)[:, output_index] = 1
        return twin.backward(grad_out)

    def regularization_loss(self):
        """Sum of all layers' weight penalties."""
        return sum(layer.regularization_loss() for layer in self.layers)

    # -- weights ----------------------------------------------------------
    def count_params(self):
        """Total number of weights (trainable and not)."""
        return sum(layer.count_params() for layer in self.layers)

    def count_trainable_params(self):
        """Weights that ``fit`` updates."""
        return sum(layer.count_trainable_params() for layer in self.layers)

    def get_weights(self):
        """Copies of all weights, layer by layer (Keras order)."""
        return [w for layer in self.layers for w in layer.get_weights()]

    def set_weights(self, weights):
        """Overwrite all weights in place from a list like ``get_weights()``."""
        expected = sum(len(layer.weight_names) for layer in self.layers)
        if len(weights) != expected:
            raise ValueError(f"{self.name}.set_weights: expected {expected} arrays, got {len(weights)}")
        start = 0
        for layer in self.layers:
            count = len(layer.weight_names)
            layer.set_weights(weights[start:start + count])
            start += count

    def save_weights(self, path):
        """Save all weights to a ``.npz`` file (no pickle), with each layer's
        type and weight shapes so ``load_weights`` can check the architecture
        (see :mod:`mlcore.saving`)."""
        saving.save_weights(self, path)

    def load_weights(self, path):
        """Load weights saved by ``save_weights`` into this same architecture."""
        saving.load_weights(self, path)

    # -- display ----------------------------------------------------------
    def summary(self, print_fn=print):
        """Print the Keras-style table: layer (type), output shape, param #,
        then total / trainable / non-trainable parameter counts (see
        :mod:`mlcore.summary`)."""
        summary.print_summary(self, print_fn)

    def __repr__(self):
        inner = ", ".join(type(layer).__name__ for layer in self.layers)
        return f"<Sequential '{self.name}' [{inner}], {self.count_params():,} params>"
