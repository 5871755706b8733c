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
