"""What a user passes: one look-up rule for every registry (a name, a class, an instance; a
miss lists the names), and one check for counts and numbers."""
import numpy as np
import pytest

import mlcore
from mlcore import Dense, activations, initializers, losses, optimizers, regularizers
from mlcore.arguments import check_int, check_number, is_int, lookup

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


# -- check_int / check_number: the one argument check every module uses -------------------------
@pytest.mark.parametrize("value", [3, np.int64(3), np.uint8(3)])
def test_check_int_accepts_python_and_numpy_ints(value):
    assert check_int("here", "n", value, 1) == 3 and type(check_int("here", "n", value)) is int


@pytest.mark.parametrize("value, low, high, message", [
    (True, None, None, "here: n must be an int, got True"),  # a bool is an int to Python
    (np.bool_(True), None, None, "here: n must be an int, got"),
    (2.0, None, None, "here: n must be an int, got 2.0"),
    (0, 1, None, "here: n must be a positive int, got 0"),
    (-1, 0, None, r"here: n must be an int >= 0, got -1"),
    (7, 1, 6, r"here: n must be an int in \[1, 6\], got 7"),
])
def test_check_int_message_names_place_argument_range_and_value(value, low, high, message):
    with pytest.raises(ValueError, match=message):
        check_int("here", "n", value, low, high)
    assert not is_int(value) or not (low is None or value >= low) or not (high is None or value <= high)


def test_check_int_note_follows_the_range():
    with pytest.raises(ValueError, match=r"kmeans: k must be an int in \[1, 6\] \(number of samples\), got 9"):
        check_int("kmeans", "k", 9, 1, 6, note=" (number of samples)")


@pytest.mark.parametrize("value, kwargs, message", [
    (1.0, dict(low=0, high=1, include_high=False), r"must be a number in \[0, 1\), got 1.0"),
    (0, dict(low=0, high=1, include_low=False), r"must be a number in \(0, 1\], got 0"),
    (0.0, dict(low=0, include_low=False), "must be a finite number > 0, got 0.0"),
    (float("inf"), dict(low=0), "must be a finite number >= 0, got inf"),
    (float("nan"), dict(), "must be a finite number, got nan"),
    (True, dict(), "must be a finite number, got True"),
    ("0.1", dict(low=0, high=1), r"must be a number in \[0, 1\], got '0.1'"),
])
def test_check_number_rejects_with_the_range_in_words(value, kwargs, message):
    with pytest.raises(ValueError, match="here: rate " + message):
        check_number("here", "rate", value, **kwargs)


def test_check_number_returns_a_float_inside_the_range():
    assert check_number("here", "rate", np.float32(0.5), 0, 1) == 0.5
    assert check_number("here", "rate", 1, 0, 1) == 1.0 and check_number("here", "rate", 0, 0) == 0.0


def test_no_module_writes_the_int_but_not_bool_check_out_again():
    """The check lives in mlcore/arguments.py; de6d538 had it written out in 16 files."""
    import re
    from pathlib import Path
    root = Path(mlcore.__file__).parent
    owned_elsewhere = ("exercises",)  # a bool is a kind of answer there, not a miswritten int
    copies = [f"{path.relative_to(root)}:{number}"
              for path in sorted(root.rglob("*.py")) if path.name != "arguments.py"
              and not any(part in str(path.relative_to(root)) for part in owned_elsewhere)
              for number, line in enumerate(path.read_text().splitlines(), 1)
              if re.search(r"isinstance\([^)]*\bbool\b", line)]
    assert copies == [], copies
