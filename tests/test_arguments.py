"""One look-up rule for every registry: a name, a class, an instance; a miss lists the names."""
import numpy as np
import pytest

import mlcore
from mlcore import Dense, activations, initializers, losses, optimizers, regularizers
from mlcore.arguments import lookup

# (module, a name, its class, the base class, a name that is not registered)
REGISTRIES = [
    (activations, "relu", activations.ReLU, activations.ActivationFunction, "rectified"),
    (losses, "mean_squared_error", losses.MeanSquaredError, losses.Loss, "crossentropy"),
    (initializers, "he_normal", initializers.HeNormal, initializers.Initializer, "xavier"),
    (regularizers, "l2", regularizers.L1L2, regularizers.Regularizer, "l3"),
    (optimizers, "adam", optimizers.Adam, optimizers.Optimizer, "adagrad"),
]
IDS = [module.__name__.split(".")[-1] for module, *_ in REGISTRIES]


@pytest.mark.parametrize("module, name, cls, base, bad", REGISTRIES, ids=IDS)
def test_a_name_gives_a_new_default_instance(module, name, cls, base, bad):
    first, second = module.get(name), module.get(name)
    assert isinstance(first, cls) and first is not second


@pytest.mark.parametrize("module, name, cls, base, bad", REGISTRIES, ids=IDS)
def test_a_class_is_instantiated_as_keras_does(module, name, cls, base, bad):
    assert type(module.get(cls)) is cls


@pytest.mark.parametrize("module, name, cls, base, bad", REGISTRIES, ids=IDS)
def test_an_instance_is_returned_as_it_is(module, name, cls, base, bad):
    instance = module.get(name)
    assert module.get(instance) is instance


@pytest.mark.parametrize("module, name, cls, base, bad", REGISTRIES, ids=IDS)
def test_an_unknown_name_lists_the_valid_ones(module, name, cls, base, bad):
    with pytest.raises(ValueError, match=rf"unknown \w+ '{bad}'; valid names are \[") as error:
        module.get(bad)
    assert repr(name) in str(error.value)


@pytest.mark.parametrize("module, name, cls, base, bad", REGISTRIES, ids=IDS)
def test_an_unusable_object_says_what_was_given(module, name, cls, base, bad):
    with pytest.raises(ValueError, match=r"must be a name, or a subclass or instance of \w+.*"
                                         r"got 3\.5 of type float\. Valid names are \["):
        module.get(3.5)
    with pytest.raises(ValueError, match="got <class 'int'> of type type"):
        module.get(int)  # a class, but not one of this registry's


def test_dense_accepts_the_initializer_class_as_keras_code_passes_it():
    """Defect 3 of issue 11: ``kernel_initializer=initializers.he_normal`` (a class) failed."""
    mlcore.set_seed(0)
    layer = Dense(300, input_shape=(200,), kernel_initializer=initializers.he_normal)
    layer.build((200,))
    assert layer.params["kernel"].std() == pytest.approx(np.sqrt(2 / 200), rel=0.05)


def test_only_initializers_accept_plain_callables():
    ones = lambda shape: np.ones(shape)  # noqa: E731
    assert initializers.get(ones) is ones
    with pytest.raises(ValueError, match="activation must be a name, or a subclass or instance "
                                         "of ActivationFunction; got <ufunc"):
        activations.get(np.tanh)


def test_aliases_and_case():
    assert isinstance(losses.get("mse"), losses.MeanSquaredError)
    assert isinstance(optimizers.get("RMSprop"), optimizers.RMSprop)  # Keras ignores case here
    with pytest.raises(ValueError, match="unknown activation 'ReLU'"):
        activations.get("ReLU")  # ... but not for activations
    assert activations.get(None) is activations.linear and regularizers.get(None) is None


def test_lookup_calls_factories_too():
    """Registries may map names to factories (regularizers' l1, l2) instead of classes."""
    assert lookup("thing", "two", {"two": lambda: 2.0}, float) == 2.0
