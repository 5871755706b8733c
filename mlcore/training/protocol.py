"""What the training loop needs of a model: the ``TrainableModel`` protocol.

:class:`~mlcore.training.trainer.Trainer` (compile, fit, evaluate, predict,
train_on_batch) is mixed into the model class, as Keras' ``Model`` inherits
its ``Trainer``. This protocol is the whole contract between the two halves:
the loop uses nothing else of the model, so ``mlcore.training`` never
imports ``mlcore.model``; :class:`mlcore.Sequential` implements it.
"""
import types
from typing import Protocol, runtime_checkable


@runtime_checkable
class TrainableModel(Protocol):
    """A model ``Trainer`` can train.

    Attributes
    ----------
    name : str
        Starts every error message (``'sequential.fit: ...'``).
    layers : list of Layer
        In order. The loop reads each layer's ``params``, ``grads`` and
        ``trainable`` (what the optimizer updates), calls its
        ``backward(grad_out, input_gradient)``, and reads the last layer's
        ``output_shape`` (metrics, empty predictions).
    built : bool
        Whether every layer has its weights.
    output_shape : tuple
        ``(None,) + one output's shape`` once built.
    """

    name: str
    layers: list

    @property
    def built(self) -> bool: ...

    @property
    def output_shape(self) -> tuple: ...

    def _check_x(self, x, what):
        """``x`` checked for ``<name>.<what>`` as a float array of samples; builds the
        model from its shape if it is not built yet."""

    def _forward(self, x, training):
        """The output for a checked batch ``x``; every layer keeps what its backward needs."""

    def regularization_loss(self) -> float:
        """The weight penalties, added to the loss."""

    def get_weights(self) -> list:
        """Copies of all weights (the size of an explosion is reported from them)."""


def missing_members(cls):
    """The methods and properties of :class:`TrainableModel` that class ``cls`` lacks.

    (``name`` and ``layers`` are set per instance, so only an instance can
    show them: ``isinstance(model, TrainableModel)`` checks everything.)
    """
    return [name for name, member in vars(TrainableModel).items()
            if isinstance(member, (property, types.FunctionType)) and not name.startswith("__")
            and not hasattr(cls, name)]
