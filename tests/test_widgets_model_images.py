"""model_batch: the one image check the views that read a CNN share."""
import numpy as np
import pytest

from mlcore import Conv2D, Sequential
from mlcore.widgets.base.model_images import model_batch


def cnn(channels):
    return Sequential([Conv2D(2, 3, input_shape=(5, 4, channels), name="conv")])


def test_one_image_or_a_batch_in_the_model_s_float_type():
    gray = cnn(1)
    batch, single = model_batch(gray, np.ones((5, 4), dtype=int), "here")
    assert single and batch.shape == (1, 5, 4, 1) and batch.dtype == np.float32
    batch, single = model_batch(gray, np.ones((3, 5, 4)), "here")
    assert not single and batch.shape == (3, 5, 4, 1)
    batch, single = model_batch(cnn(3), np.ones((2, 5, 4, 3)), "here")
    assert not single and batch.shape == (2, 5, 4, 3)


def test_errors_name_the_caller_the_expected_and_the_given_shape():
    with pytest.raises(ValueError, match=r"here: model 'sequential.*' expects one image of shape "
                                         r"\(5, 4, 1\) or \(5, 4\), got an array of shape "
                                         r"\(3, 5, 4\)"):
        model_batch(cnn(1), np.ones((3, 5, 4)), "here", batch=False)
    with pytest.raises(ValueError, match=r"or a batch \(N, 5, 4, 3\), got an array of shape "
                                         r"\(5, 4\)"):
        model_batch(cnn(3), np.ones((5, 4)), "here")
    with pytest.raises(ValueError, match="here: the images must be numbers, got dtype <U1"):
        model_batch(cnn(1), np.array([["a"]]), "here")
    with pytest.raises(ValueError, match="here: the model is not built"):
        model_batch(Sequential([Conv2D(2, 3)]), np.ones((5, 4)), "here")
