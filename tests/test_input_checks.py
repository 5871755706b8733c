"""Bad input (mlcore/training/input_checks.py): every public method's error names the method, what
it expected and what arrived, before any arithmetic."""
import warnings

import numpy as np
import pytest

from mlcore import Adam, Dense, History, Sequential


def unbuilt():
    """A model without input_shape: it learns the sample shape from its first data."""
    model = Sequential([Dense(3, activation="relu"), Dense(2, activation="softmax")])
    model.compile(Adam(), "sparse_categorical_crossentropy")
    return model


# Every public method that takes data, called as a learner would.
CALLS = {
    "fit": lambda model, x, y, **kw: model.fit(x, y, verbose=0, **kw),
    "evaluate": lambda model, x, y, **kw: model.evaluate(x, y, **kw),
    "predict": lambda model, x, y, **kw: model.predict(x, **kw),
    "train_on_batch": lambda model, x, y, **kw: model.train_on_batch(x, y, **kw),
    "forward": lambda model, x, y, **kw: model.forward(x, **kw),
}


@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_a_bad_batch_size_names_the_method_it_was_given_to(compiled, method):
    with pytest.raises(ValueError, match=rf"^sequential\.{method}: batch_size must be a positive "
                                         rf"int, got 0$"):
        CALLS[method](compiled, np.zeros((3, 2)), np.zeros(3), batch_size=0)


@pytest.mark.parametrize("method", list(CALLS))
def test_one_dimensional_x_without_input_shape_says_what_shape_it_needs(method):
    with pytest.raises(ValueError, match=rf"^sequential\.{method}: x must have shape "
                                         rf"\(samples, features, \.\.\.\), got shape \(5,\)\. .*"
                                         rf"for one feature per sample pass x\.reshape\(-1, 1\)$"):
        CALLS[method](unbuilt(), np.arange(5.0), np.zeros(5, dtype=int))


def test_one_dimensional_x_is_one_feature_per_sample_when_the_model_says_so():
    model = Sequential([Dense(2, input_shape=(1,))])
    assert model.predict(np.arange(5.0)).shape == (5, 2)


def test_one_sample_without_its_batch_axis_gets_a_hint(compiled):
    with pytest.raises(ValueError, match=r"sequential.predict: layer 'dense\S*' expects input of "
                                         r"shape \(None, 2\), got x of shape \(2,\); one sample "
                                         r"needs a batch axis too: x\[None\]"):
        compiled.predict(np.zeros(2))


@pytest.mark.parametrize("method", list(CALLS))
def test_scalar_x_and_missing_x(compiled, method):
    with pytest.raises(ValueError, match=rf"sequential\.{method}: x must have a batch axis, got a scalar"):
        CALLS[method](compiled, 3.0, 0)
    with pytest.raises(ValueError, match=rf"sequential\.{method}: x is required"):
        CALLS[method](compiled, None, 0)


def test_x_of_strings(compiled):
    with pytest.raises(TypeError, match="sequential.predict: x must be numbers, got dtype <U1"):
        compiled.predict(np.array([["a", "b"]]))


@pytest.mark.parametrize("method", ["fit", "evaluate", "train_on_batch"])
def test_scalar_and_missing_targets(compiled, method):
    with pytest.raises(ValueError, match=rf"sequential\.{method}: y must hold one target per sample "
                                         rf"\(3 for x\), got a scalar"):
        CALLS[method](compiled, np.zeros((3, 2)), 1)
    with pytest.raises(ValueError, match=rf"sequential\.{method}: y \(the targets\) is required"):
        CALLS[method](compiled, np.zeros((3, 2)), None)


@pytest.mark.parametrize("method", ["fit", "evaluate", "train_on_batch"])
def test_no_samples(compiled, method):
    with pytest.raises(ValueError, match=rf"sequential\.{method}: x has no samples \(shape \(0, 2\)\)"):
        CALLS[method](compiled, np.zeros((0, 2)), np.zeros(0, dtype=int))


def test_predict_on_no_samples_is_an_empty_result(compiled):
    assert compiled.predict(np.zeros((0, 2))).shape == (0, 2)


def test_targets_shaped_unlike_the_outputs():
    model = Sequential([Dense(2, input_shape=(1,))])
    model.compile(Adam(), "mse")
    with pytest.raises(ValueError, match=r"sequential.fit: mean_squared_error: targets must have "
                                         r"the shape of the predictions \(3, 2\), got \(3,\)"):
        model.fit(np.zeros((3, 1)), np.zeros(3), verbose=0)


def test_wrong_input_shape_names_layer_and_shapes(compiled):
    with pytest.raises(ValueError, match=r"layer 'dense\S*' expects input of shape \(None, 2\), "
                                         r"got x of shape \(4, 3\)$"):
        compiled.fit(np.zeros((4, 3)), np.zeros(4), verbose=0)


def test_labels_out_of_range(compiled):
    with pytest.raises(ValueError, match=r"labels must be in \[0, 2\) for 2 output units, got labels from 0 to 5"):
        compiled.fit(np.zeros((3, 2)), np.array([0, 1, 5]), verbose=0)


def test_nan_in_data(compiled):
    x = np.zeros((3, 2))
    x[1, 0] = np.nan
    with pytest.raises(ValueError, match=r"sequential.fit: x contains 1 NaN or infinite values "
                                         r"\(first at index \(1, 0\)\)"):
        compiled.fit(x, np.zeros(3), verbose=0)
    with pytest.raises(ValueError, match=r"sequential.evaluate: y contains 1 NaN"):
        compiled.evaluate(np.zeros((3, 2)), np.array([0.0, np.inf, 1.0]))


def test_sample_count_mismatch(compiled):
    with pytest.raises(ValueError, match="sequential.fit: x has 3 samples but y has 2"):
        compiled.fit(np.zeros((3, 2)), np.zeros(2), verbose=0)


@pytest.mark.parametrize("kwargs, match", [
    (dict(batch_size=-5), "batch_size must be a positive int, got -5"),
    (dict(epochs=-1), "epochs must be an int >= 0, got -1"),
    (dict(epochs=2.0), "epochs must be an int >= 0, got 2.0"),
    (dict(initial_epoch=-1), "initial_epoch must be an int >= 0, got -1"),
    (dict(validation_split=1.5), r"validation_split must be in \[0, 1\), got 1.5"),
    (dict(verbose=3), r"verbose must be one of \(0, 1, 2, 'auto'\), got 3"),
    (dict(validation_data=np.zeros((3, 2))), r"validation_data must be a pair \(x_val, y_val\), "
                                             r"got ndarray"),
    (dict(validation_data=(np.zeros((3, 2)), np.zeros(3), np.ones(3))),
     r"validation_data must be a pair \(x_val, y_val\), got a 3-tuple \(sample weights are not "
     r"supported\)"),
])
def test_bad_fit_arguments(compiled, kwargs, match):
    kwargs.setdefault("verbose", 0)
    with pytest.raises(ValueError, match=r"^sequential\.fit: " + match):
        compiled.fit(np.zeros((3, 2)), np.zeros(3), **kwargs)


def test_validation_data_is_checked_like_the_training_data(compiled):
    with pytest.raises(ValueError, match=r"sequential.fit \(validation_data\): x has 2 samples but y has 1"):
        compiled.fit(np.zeros((3, 2)), np.zeros(3), verbose=0,
                     validation_data=(np.zeros((2, 2)), np.zeros(1)))


@pytest.mark.parametrize("n, split", [(1, 0.9), (1, 0.5), (2, 0.6), (3, 1e-17)])
def test_a_validation_split_that_leaves_a_side_empty(compiled, n, split):
    """Keras raises here too; mlcore used to train on an empty validation set (val_loss nan)."""
    x, y = np.zeros((n, 2)), np.zeros(n)
    weights = compiled.get_weights()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no nan validation loss, no RuntimeWarning
        with pytest.raises(ValueError, match=rf"sequential.fit: {n} samples cannot be split "
                                             rf"into training and validation sets with "
                                             rf"validation_split={split}"):
            compiled.fit(x, y, validation_split=split, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(weights, compiled.get_weights()))


def test_callbacks_must_be_a_list_of_callbacks(compiled):
    with pytest.raises(TypeError, match=r"sequential.fit: callbacks must be a list, got one "
                                        r"History: write callbacks=\[\.\.\.\]"):
        compiled.fit(np.zeros((3, 2)), np.zeros(3), verbose=0, callbacks=History())
    with pytest.raises(TypeError, match=r"sequential.fit: callbacks must be Callback objects .*"
                                        r"got builtin_function_or_method"):
        compiled.fit(np.zeros((3, 2)), np.zeros(3), verbose=0, callbacks=[print])


def test_a_model_without_layers():
    with pytest.raises(ValueError, match="sequential.predict: the model has no layers"):
        Sequential().predict(np.zeros((2, 2)))
