"""Sequential (mlcore/model.py): structure, forward and backward passes, weights, the course's numbers."""
import numpy as np
import pytest

import mlcore
from mlcore import SGD, Conv2D, Dense, Dropout, Flatten, Input, Sequential, l2
from mlcore.teaching.gradcheck import check_model

from helpers import assert_same_stored_values, stored_values



# -- the course's numbers -----------------------------------------------------
def test_two_three_two_has_17_learnable_parameters(two_three_two):
    model = two_three_two()
    assert model.count_params() == 17 == 2 * 3 + 3 + 3 * 2 + 2


def test_bias_example():
    """Weights -0.55 and 0.10 on inputs 1 and 2: relu(-0.35) = 0; a bias of 1 gives 0.65."""
    neuron = Sequential([Dense(1, input_shape=(2,), activation="relu")])
    x = np.array([[1.0, 2.0]])
    neuron.set_weights([np.array([[-0.55], [0.10]]), np.array([0.0])])
    assert neuron.predict(x)[0, 0] == 0.0
    assert neuron.layers[0].z[0, 0] == pytest.approx(-0.35)
    neuron.set_weights([np.array([[-0.55], [0.10]]), np.array([1.0])])
    assert neuron.predict(x)[0, 0] == pytest.approx(0.65)


# -- forward and backward -----------------------------------------------------
def test_dropout_model_predicts_deterministically(blobs):
    x, _ = blobs(30)
    model = Sequential([Dense(8, input_shape=(2,), activation="relu"), Dropout(0.5), Dense(1)])
    np.testing.assert_array_equal(model.predict(x), model.predict(x))
    assert not np.allclose(model.forward(x, training=True), model.forward(x, training=True))


@pytest.mark.parametrize("loss", ["mse", "binary_crossentropy", "categorical_crossentropy",
                                  "sparse_categorical_crossentropy", "hinge"])
def test_whole_model_gradient_check(loss, blobs):
    with mlcore.float_precision("float64"):
        x, y = blobs(12)
        out_act = "sigmoid" if loss == "binary_crossentropy" else "softmax"
        model = Sequential([Dense(5, input_shape=(2,), activation="tanh", kernel_regularizer=l2(0.01)),
                            Dropout(0.3),
                            Dense(2, activation=None if loss == "hinge" else out_act)])
        model.compile(SGD(), loss)
        target = y if loss == "sparse_categorical_crossentropy" else np.eye(2)[y]
        errors = check_model(model, x, target)
    assert max(errors.values()) < 1e-6, errors


def test_an_unbuilt_model_builds_from_the_first_data_it_sees():
    model = Sequential([Dense(4), Dense(2)])
    assert not model.built and model.output_shape is None
    assert model.forward(np.zeros((3, 5))).shape == (3, 2)
    assert model.built and model.input_shape == (None, 5) and model.count_params() == 5 * 4 + 4 + 10


# -- structure ------------------------------------------------------------------
def test_input_first_is_the_same_as_input_shape(tmp_path):
    def layers(**first):
        return [Conv2D(2, 3, name="c", **first), Flatten(name="f"), Dense(2, name="d")]

    mlcore.set_seed(3)
    with_input = Sequential([Input((4, 4, 1))] + layers())
    mlcore.set_seed(3)
    with_shape = Sequential(layers(input_shape=(4, 4, 1)))
    assert len(with_input.layers) == 3 and with_input.input_shape == (None, 4, 4, 1)
    tables = []
    for model in (with_input, with_shape):
        model.summary(print_fn=tables.append)
    assert tables[0] == tables[1] and "Input" not in tables[0]
    for a, b in zip(with_input.get_weights(), with_shape.get_weights()):
        np.testing.assert_array_equal(a, b)
    with_shape.save_weights(tmp_path / "w.npz")
    with_input.load_weights(tmp_path / "w.npz")  # the same architecture


def test_input_alone_gives_the_model_its_input_shape():
    model = Sequential([Input((4, 4, 1))])
    assert model.input_shape == (None, 4, 4, 1) and model.layers == []
    model.add(Conv2D(2, 3, name="c"))
    assert model.output_shape == (None, 2, 2, 2)


def test_input_must_come_first_and_agree():
    with pytest.raises(ValueError, match="an Input can only come first"):
        Sequential([Dense(2, input_shape=(3,)), Input((3,))])
    with pytest.raises(ValueError, match="an Input can only come first"):
        Sequential([Input((3,)), Input((3,))])
    with pytest.raises(ValueError, match=r"'d' has input_shape \(4,\) but the model's "
                                         r"Input\(shape=\(3,\)\) says \(3,\)"):
        Sequential([Input((3,)), Dense(2, input_shape=(4,), name="d")])
    with pytest.raises(ValueError, match=r"Input: shape sizes must be positive, got \(0, 2\)"):
        Input((0, 2))


def test_fine_tuning_reuses_layers_and_pops(two_three_two):
    base = two_three_two()
    new = Sequential(base.layers[:-1] + [Dense(4, activation="softmax")])
    assert new.output_shape == (None, 4)
    assert new.layers[0] is base.layers[0]
    popped = new.pop()
    assert popped.units == 4 and len(new.layers) == 1


def test_structure_errors_name_the_method():
    model = Sequential([Dense(3, input_shape=(2,), name="a")])
    with pytest.raises(TypeError, match="sequential.add: expected a Layer, got str"):
        model.add("dense")
    with pytest.raises(ValueError, match="sequential.add: layer 'a' is already in the model"):
        model.add(model.layers[0])
    with pytest.raises(ValueError, match="sequential.add: a layer named 'a' is already"):
        model.add(Dense(1, name="a"))
    with pytest.raises(ValueError, match=r"sequential.add: layer 'b' was built for input "
                                         r"\(None, 5\) but receives \(None, 3\)"):
        model.add(Sequential([Dense(1, input_shape=(5,), name="b")]).layers[0])
    assert [layer.name for layer in model.layers] == ["a"]  # the failed add left it out
    with pytest.raises(ValueError, match=r"sequential.get_layer: no layer named 'z'; layers are \['a'\]"):
        model.get_layer("z")
    with pytest.raises(ValueError, match="sequential.build: add layers before building"):
        Sequential().build((2,))
    with pytest.raises(IndexError, match="sequential.pop: the model has no layers"):
        Sequential().pop()


def test_repr_names_the_layers_and_counts_the_weights(two_three_two):
    assert repr(two_three_two()) == "<Sequential 'sequential' [Dense, Dense], 17 params>"


# -- weights ------------------------------------------------------------------
def test_get_and_set_weights_in_keras_order(two_three_two):
    model = two_three_two()
    assert [w.shape for w in model.get_weights()] == [(2, 3), (3,), (3, 2), (2,)]
    new = [np.full(w.shape, i, dtype=float) for i, w in enumerate(model.get_weights())]
    model.set_weights(new)
    for expected, now in zip(new, model.get_weights()):
        np.testing.assert_array_equal(expected, now)


def test_set_weights_checks_count_and_shapes(two_three_two):
    model = two_three_two()
    with pytest.raises(ValueError, match="expected 4 arrays, got 1"):
        model.set_weights([np.zeros((2, 3))])
    with pytest.raises(ValueError, match=r"weight 'kernel' expected shape \(2, 3\), got \(3, 2\)"):
        model.set_weights([np.zeros((3, 2)), np.zeros(3), np.zeros((3, 2)), np.zeros(2)])


# -- readouts that leave the model alone (activations, input_gradient, twin) --
def _small_cnn():
    from mlcore import BatchNormalization, MaxPooling2D

    mlcore.set_seed(3)
    return Sequential([Conv2D(2, 3, activation="relu", input_shape=(8, 8, 1)),
                       BatchNormalization(), MaxPooling2D(), Flatten(),
                       Dense(3, activation="softmax")])


def test_activations_are_the_forward_pass_and_leave_the_stored_values_alone():
    model = _small_cnn()
    x = np.random.default_rng(0).random((5, 8, 8, 1)).astype("float32")
    model.forward(x[:2], training=True)
    model.backward(np.ones((2, 3), dtype="float32"))
    before = stored_values(model)
    outputs = model.activations(x)
    assert_same_stored_values(before, model)
    model.forward(x)  # the stored path, for the expected values
    assert [a.shape for a in outputs] == [layer.a.shape for layer in model.layers]
    for a, layer in zip(outputs, model.layers):
        np.testing.assert_array_equal(a, layer.a)


def test_a_training_mode_twin_moves_its_own_batch_norm_averages_only():
    model = _small_cnn()
    x = np.random.default_rng(1).random((4, 8, 8, 1)).astype("float32")
    moving = model.layers[1].state["moving_mean"].copy()
    twin = model.twin()
    twin.forward(x, training=True)
    np.testing.assert_array_equal(model.layers[1].state["moving_mean"], moving)
    assert not np.array_equal(twin.layers[1].state["moving_mean"], moving)
    assert twin.layers[0].params["kernel"] is model.layers[0].params["kernel"]


def test_input_gradient_matches_finite_differences_and_stores_nothing():
    with mlcore.float_precision("float64"):
        model = _small_cnn()
        x = np.random.default_rng(2).random((2, 8, 8, 1))
        model.forward(x[:1])
        before = stored_values(model)
        gradient = model.input_gradient(x, 2)
        assert_same_stored_values(before, model)
        h = 1e-6
        numeric = np.zeros_like(x)
        for index in np.ndindex(x.shape):
            up, down = x.copy(), x.copy()
            up[index] += h
            down[index] -= h
            n = index[0]
            numeric[index] = (model.predict(up)[n, 2] - model.predict(down)[n, 2]) / (2 * h)
    np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-9)
    assert np.abs(gradient).max() > 0


def test_input_gradient_names_a_bad_output_index():
    model = _small_cnn()
    x = np.zeros((1, 8, 8, 1), dtype="float32")
    for bad in (3, -1, True, 1.0):
        with pytest.raises(ValueError, match=r"input_gradient: output_index must be an int in "
                                             r"\[0, 2\]"):
            model.input_gradient(x, bad)
