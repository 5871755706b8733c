"""The contract between the model and the training loop: ``TrainableModel`` (mlcore/training/protocol.py).

``Trainer`` is mixed into ``Sequential`` as Keras' ``Trainer`` is into ``Model``;
the protocol is all the loop may use of the model, so ``mlcore.training``
never imports ``mlcore.model`` (tests/test_import_graph.py holds that).
"""
import ast
import inspect

import pytest

import mlcore
from mlcore.training import trainer as trainer_module
from mlcore.training.protocol import TrainableModel, missing_members
from mlcore.training.trainer import Trainer


def test_sequential_implements_the_protocol():
    model = mlcore.Sequential([mlcore.Dense(2, input_shape=(3,))])
    assert isinstance(model, TrainableModel) and isinstance(model, Trainer)
    assert missing_members(mlcore.Sequential) == []


def test_a_model_class_without_the_protocol_fails_when_defined():
    with pytest.raises(TypeError, match=r"Half mixes in Trainer but does not define \['_forward'"):
        class Half(Trainer):  # noqa: F841  (defining it is the test)
            name, layers, built, output_shape = "half", [], True, (None, 1)

            def _check_x(self, x, what):
                return x

            def regularization_loss(self):
                return 0.0

            def get_weights(self):
                return []


def test_a_small_model_of_its_own_trains_through_the_protocol():
    """Any class with the protocol's members gets fit: here a model of one Dense layer,
    written without Sequential."""
    import numpy as np

    class OneLayer(Trainer):
        def __init__(self):
            super().__init__()
            self.name, self.layers = "one_layer", [mlcore.Dense(1, input_shape=(2,))]
            self.layers[0].build((2,))

        built = True
        output_shape = property(lambda self: (None, 1))

        def _check_x(self, x, what):
            return np.asarray(x, dtype=mlcore.floatx())

        def _forward(self, x, training):
            return self.layers[0].forward(x, training)

        def regularization_loss(self):
            return 0.0

        def get_weights(self):
            return self.layers[0].get_weights()

    mlcore.set_seed(0)
    model = OneLayer()
    model.compile(mlcore.SGD(learning_rate=0.1), loss="mse")
    x = np.random.default_rng(0).normal(size=(64, 2))
    y = x @ np.array([[2.0], [-1.0]])
    history = model.fit(x, y, epochs=30, verbose=0)
    assert history.history["loss"][-1] < 0.01 * history.history["loss"][0]


def self_attributes(cls):
    """Every ``self.<name>`` that ``cls``'s own source reads or calls."""
    tree = ast.parse(inspect.getsource(cls))
    return {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == "self"}


def test_trainer_uses_nothing_of_the_model_beyond_the_protocol():
    """Anything the loop reads of ``self`` is Trainer's own or declared by the protocol."""
    own = set(vars(Trainer))
    assigned = {target.attr for node in ast.walk(ast.parse(inspect.getsource(Trainer)))
                if isinstance(node, (ast.Assign, ast.AugAssign))
                for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                for target in (target.elts if isinstance(target, ast.Tuple) else [target])
                if isinstance(target, ast.Attribute)}
    declared = set(vars(TrainableModel)) | set(TrainableModel.__annotations__)
    undeclared = self_attributes(Trainer) - own - assigned - declared
    assert undeclared == set(), (f"Trainer reads {sorted(undeclared)} of the model; declare them "
                                 f"in TrainableModel ({trainer_module.__name__})")
