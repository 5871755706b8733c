"""What every layer shares: one backward signature, and a gradient formula beside it."""
import inspect

import pytest

import mlcore
from mlcore.layers import Layer

LAYERS = [cls for cls in vars(mlcore).values()
          if inspect.isclass(cls) and issubclass(cls, Layer) and cls is not Layer]


def test_the_engine_exports_every_layer():
    names = {cls.__name__ for cls in LAYERS}
    assert {"Dense", "Conv2D", "MaxPooling2D", "BatchNormalization", "Flatten"} <= names


@pytest.mark.parametrize("cls", LAYERS, ids=lambda cls: cls.__name__)
def test_one_backward_signature(cls):
    params = inspect.signature(cls.backward).parameters
    assert list(params) == ["self", "grad_out", "input_gradient"]
    assert params["input_gradient"].default is True


@pytest.mark.parametrize("cls", LAYERS, ids=lambda cls: cls.__name__)
def test_backward_states_its_gradient(cls):
    """Chapter 06's reader finds dC/d... written where the code computes it."""
    assert "dC/d" in (inspect.getdoc(cls.backward) or "")


# -- names resolved in the constructor, as keras.initializers.get does in Keras' Dense ----------
@pytest.mark.parametrize("make, argument, kind", [
    (lambda: mlcore.Dense(3, kernel_initializer="glorot"), "kernel_initializer", "initializer"),
    (lambda: mlcore.Dense(3, bias_initializer="zero"), "bias_initializer", "initializer"),
    (lambda: mlcore.Dense(3, activation="rectified"), "activation", "activation"),
    (lambda: mlcore.Dense(3, kernel_regularizer="l3"), "kernel_regularizer", "regularizer"),
    (lambda: mlcore.Conv2D(2, 3, kernel_initializer="glorot"), "kernel_initializer", "initializer"),
    (lambda: mlcore.Activation("rectified"), "activation", "activation"),
    (lambda: mlcore.BatchNormalization(gamma_initializer="one"), "gamma_initializer",
     "initializer"),
], ids=["dense-kernel", "dense-bias", "dense-activation", "dense-regularizer", "conv-kernel",
        "activation", "batchnorm-gamma"])
def test_an_unknown_name_fails_in_the_constructor_naming_the_layer(make, argument, kind):
    """de6d538 accepted Dense(3, kernel_initializer='glorot') and failed only at fit, unnamed."""
    mlcore.clear_session()
    with pytest.raises(ValueError) as caught:
        make()
    message = str(caught.value)
    layer_name = message.split(":")[0]
    assert layer_name in ("dense", "conv2d", "activation", "batch_normalization"), message
    assert f"{layer_name}: {argument}: unknown {kind}" in message
    assert "valid names are [" in message and ("'glorot_uniform'" in message or kind != "initializer")


def test_names_are_resolved_to_objects_once():
    layer = mlcore.Dense(3, activation="relu", kernel_initializer="he_normal", kernel_regularizer="l2")
    assert isinstance(layer.kernel_initializer, mlcore.initializers.HeNormal)
    assert isinstance(layer.activation, mlcore.activations.ReLU)
    assert isinstance(layer.kernel_regularizer, mlcore.regularizers.L1L2)


# -- add_weight(name, shape, initializer, regularizer, trainable), as Keras' --------------------
class Scale(Layer):
    """A layer written only with the base class's tools: a = x * w, w penalised by add_weight."""

    def __init__(self, regularizer=None, **kwargs):
        super().__init__(**kwargs)
        self.regularizer = regularizer

    def build(self, input_shape):
        self.add_weight("w", input_shape, "ones", regularizer=self.regularizer)
        self.add_weight("count", (1,), "zeros", trainable=False)
        super().build(input_shape)

    def forward(self, x, training=False):
        self.last_input = x
        self.a = x * self.params["w"]
        return self.a

    def backward(self, grad_out, input_gradient=True):
        """``dC/dw = sum over samples of dC/da * x``; ``dC/dx = dC/da * w``."""
        self.grads["w"][...] = (grad_out * self.last_input).sum(axis=0)
        self.add_penalty_gradients()
        return grad_out * self.params["w"]


@pytest.mark.usefixtures("float64")
def test_add_weight_collects_the_penalty_and_its_gradient():
    from mlcore.teaching.gradcheck import check_layer

    from helpers import random_array

    layer = Scale(regularizer=mlcore.l1_l2(0.3, 0.2))
    errors = check_layer(layer, random_array((4, 3)))  # the loss includes regularization_loss()
    assert max(errors.values()) < 1e-6, errors
    w = layer.params["w"]
    assert layer.regularization_loss() == pytest.approx(0.3 * abs(w).sum() + 0.2 * (w ** 2).sum())
    assert list(layer.regularizers) == ["w"] and list(layer.state) == ["count"]


def test_add_weight_resolves_names_and_names_the_weight():
    layer = Scale(regularizer="l2", name="scale")
    layer.build((2,))
    assert isinstance(layer.regularizers["w"], mlcore.regularizers.L1L2)
    assert layer.regularization_loss() == pytest.approx(0.01 * 2)  # Keras' default l2 strength
    with pytest.raises(ValueError, match=r"scale: initializer of weight 'v': unknown initializer"):
        layer.add_weight("v", (2,), "glorot")


def test_no_regularizer_no_penalty():
    layer = Scale()
    layer.build((3,))
    assert layer.regularization_loss() == 0 and layer.regularizers == {}


@pytest.mark.parametrize("cls", [mlcore.Dense, mlcore.Conv2D])
def test_dense_and_conv_leave_penalties_to_the_base_class(cls):
    """No layer writes its own regularizer code (de6d538 had it in both): add_weight
    records the regularizer, the base class sums the penalties and adds their gradients."""
    source = inspect.getsource(cls)
    assert "regularization_loss" not in vars(cls)
    assert ".penalty(" not in source and "regularizer.gradient(" not in source
    layer = cls(2, **({"kernel_size": 1} if cls is mlcore.Conv2D else {}), kernel_regularizer="l2")
    layer.build((3, 3, 1) if cls is mlcore.Conv2D else (3,))
    assert list(layer.regularizers) == ["kernel"]
