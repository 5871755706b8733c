"""Sequential: the course's numbers, training behaviour, weights, summary, errors."""
import warnings

import numpy as np
import pytest

import mlcore
from mlcore import (SGD, Adam, Callback, Conv2D, Dense, Dropout, EarlyStopping, Flatten, Input,
                    LambdaCallback, MaxPooling2D, Sequential, l2)
from mlcore.gradcheck import check_model


def two_three_two():
    return Sequential([Dense(3, input_shape=(2,), activation="relu"),
                       Dense(2, activation="softmax")])


def blobs(n=200, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    x = rng.standard_normal((n, 2)) + 2.5 * y[:, None]
    return x, y


# -- the course's numbers -----------------------------------------------------
def test_two_three_two_has_17_learnable_parameters():
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


def test_side_effects_model_reaches_90_percent():
    """The course's 1-16-32-2 model, Adam 1e-4, batch 10, on the drug-trial data."""
    from mlcore import data

    ages, labels = data.side_effects_data(seed=0)
    x = (ages - 13) / (100 - 13)
    model = Sequential([Dense(16, input_shape=(1,), activation="relu"),
                        Dense(32, activation="relu"),
                        Dense(2, activation="softmax")])
    model.compile(Adam(learning_rate=1e-4), "sparse_categorical_crossentropy", ["accuracy"])
    history = model.fit(x, labels, batch_size=10, epochs=30, verbose=0)
    assert history.history["accuracy"][-1] >= 0.90
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_batches_per_epoch():
    seen = []
    model = two_three_two()
    model.compile(SGD(), "sparse_categorical_crossentropy")
    x, y = blobs(1000)
    model.fit(x, y, batch_size=10, epochs=1, verbose=0,
              callbacks=[LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(batch))])
    assert len(seen) == 100


# -- training behaviour -------------------------------------------------------
def test_fit_learns_and_reports_keras_history_keys():
    x, y = blobs()
    model = two_three_two()
    model.compile(Adam(0.05), "sparse_categorical_crossentropy", ["accuracy"])
    history = model.fit(x[:150], y[:150], epochs=15, batch_size=16, verbose=0,
                        validation_data=(x[150:], y[150:]))
    assert list(history.history) == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert len(history.history["loss"]) == 15
    assert history.history["val_accuracy"][-1] > 0.9
    loss, accuracy = model.evaluate(x[150:], y[150:])
    assert loss == pytest.approx(history.history["val_loss"][-1])
    assert accuracy == pytest.approx(history.history["val_accuracy"][-1])


def test_same_seed_same_numbers():
    def run():
        mlcore.set_seed(7)
        model = two_three_two()
        model.compile(Adam(0.01), "sparse_categorical_crossentropy")
        return model.fit(*blobs(), epochs=3, verbose=0).history["loss"]
    assert run() == run()


def test_validation_split_takes_the_end_before_shuffling():
    x, y = blobs(100)
    model = two_three_two()
    model.compile(SGD(), "sparse_categorical_crossentropy", ["accuracy"])
    history = model.fit(x, y, validation_split=0.2, epochs=1, verbose=0)
    loss, accuracy = model.evaluate(x[80:], y[80:])
    assert history.history["val_loss"][0] == pytest.approx(loss)
    assert history.history["val_accuracy"][0] == pytest.approx(accuracy)


def test_frozen_layer_is_not_updated_and_counted_as_non_trainable():
    x, y = blobs()
    model = two_three_two()
    model.layers[0].trainable = False
    before = model.layers[0].get_weights()
    model.compile(Adam(0.05), "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=2, verbose=0)
    for old, new in zip(before, model.layers[0].get_weights()):
        np.testing.assert_array_equal(old, new)
    assert model.count_trainable_params() == 8
    lines = []
    model.summary(print_fn=lines.append)
    assert "Trainable params: 8" in lines[0] and "Non-trainable params: 9" in lines[0]


def _conv_net():
    return Sequential([Conv2D(2, 3, activation="relu", input_shape=(6, 6, 1)), MaxPooling2D(2),
                       Flatten(), Dense(3, activation="tanh"), Dense(2, activation="softmax")])


@pytest.mark.parametrize("frozen", [0, 1, 2])  # frozen bottom layers: none, conv, conv+pool
def test_training_backpropagates_only_as_far_as_trainable_weights(frozen):
    """The lowest trained layer computes no dC/dx and frozen layers below it are skipped,
    yet every trained weight gets exactly the gradient a full backward pass gives."""
    x = np.random.default_rng(1).standard_normal((5, 6, 6, 1))
    y = np.array([0, 1, 1, 0, 1])
    model = _conv_net()
    for layer in model.layers[:frozen]:
        layer.trainable = False
    model.compile(SGD(0.1), "sparse_categorical_crossentropy")
    y_ready = model._prepare_y(y, x, "test")
    model.backward(model.loss.grad(y_ready, model.forward(x, training=True)))
    full = [{name: g.copy() for name, g in layer.grads.items()} for layer in model.layers]
    for layer in model.layers:
        layer.grad_input = "untouched"
    model.train_on_batch(x, y)
    lowest = 0 if frozen == 0 else 3  # frozen conv (and pool): Dense(3) is the lowest trained
    assert [layer.grad_input is None for layer in model.layers] == \
        [i == lowest for i in range(len(model.layers))]
    assert all(layer.grad_input == "untouched" for layer in model.layers[:lowest])
    for layer, expected in zip(model.layers[lowest:], full[lowest:]):
        for name, g in layer.grads.items():
            np.testing.assert_allclose(g, expected[name], rtol=1e-6, atol=1e-7)
    assert model.backward(np.ones((5, 2))).shape == x.shape  # backward() still goes all the way


def test_a_fully_frozen_model_fits_without_changing():
    x, y = np.random.default_rng(1).standard_normal((5, 6, 6, 1)), np.array([0, 1, 1, 0, 1])
    model = _conv_net()
    for layer in model.layers:
        layer.trainable = False
    before = model.get_weights()
    model.compile(SGD(0.1), "sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_callbacks_see_gradients_before_the_update():
    x, y = blobs(20)
    model = two_three_two()
    model.compile(SGD(0.1), "sparse_categorical_crossentropy")
    events = []

    class Recorder(Callback):
        def on_gradients(self, batch, logs=None):
            layer = self.model.layers[0]
            self.expected = layer.params["kernel"] - 0.1 * layer.grads["kernel"]
            events.append("gradients")

        def on_train_batch_end(self, batch, logs=None):
            np.testing.assert_allclose(self.model.layers[0].params["kernel"], self.expected, rtol=1e-6)
            events.append("end")

    model.fit(x, y, batch_size=20, epochs=1, verbose=0, callbacks=[Recorder()])
    assert events == ["gradients", "end"]


def test_divergence_stops_with_a_message_naming_the_learning_rate():
    x = np.linspace(-1, 1, 50)[:, None] * 100
    model = Sequential([Dense(1, input_shape=(1,))])
    model.compile(SGD(learning_rate=10.0), "mse")
    with pytest.warns(mlcore.DivergenceWarning, match="learning rate 10 .SGD."):
        history = model.fit(x, 3 * x, epochs=50, batch_size=50, verbose=0)
    assert len(history.history.get("loss", [])) < 50
    assert "try a smaller learning rate" in history.stopped_early
    assert all(np.isfinite(w).all() for w in model.get_weights())


def test_early_stopping_restores_best_weights():
    x, y = blobs()
    model = two_three_two()
    model.compile(Adam(0.05), "sparse_categorical_crossentropy")
    after_first_epoch = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: after_first_epoch.append(
        model.get_weights()) if epoch == 0 else None)
    # no epoch can improve the loss by 10, so training stops after epoch 2
    stopper = EarlyStopping(monitor="loss", patience=0, min_delta=10, restore_best_weights=True)
    history = model.fit(x, y, epochs=40, verbose=0, callbacks=[record, stopper])
    assert stopper.stopped_epoch == 1 and len(history.history["loss"]) == 2
    assert history.stopped_early.startswith("early stopping: loss has not improved")
    for best, now in zip(after_first_epoch[0], model.get_weights()):
        np.testing.assert_array_equal(best, now)


def test_dropout_model_predicts_deterministically():
    x, _ = blobs(30)
    model = Sequential([Dense(8, input_shape=(2,), activation="relu"), Dropout(0.5), Dense(1)])
    np.testing.assert_array_equal(model.predict(x), model.predict(x))
    assert not np.allclose(model.forward(x, training=True), model.forward(x, training=True))


def test_predict_in_batches_equals_one_pass():
    x, _ = blobs(70)
    model = two_three_two()
    np.testing.assert_allclose(model.predict(x, batch_size=8), model.predict(x, batch_size=100), rtol=1e-6)


def test_one_dimensional_samples_for_one_feature():
    model = Sequential([Dense(2, input_shape=(1,))])
    assert model.predict(np.arange(5.0)).shape == (5, 2)


@pytest.mark.parametrize("loss", ["mse", "binary_crossentropy", "categorical_crossentropy",
                                  "sparse_categorical_crossentropy", "hinge"])
def test_whole_model_gradient_check(loss):
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


# -- weights ------------------------------------------------------------------
def test_save_and_load_weights_round_trip(tmp_path):
    model = two_three_two()
    path = tmp_path / "w.npz"
    model.save_weights(path)
    other = two_three_two()
    other.load_weights(path)
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)
    with np.load(path, allow_pickle=False) as data:  # readable without pickle
        assert "__layers__" in data


def test_loading_into_another_architecture_fails_clearly(tmp_path):
    path = tmp_path / "w.npz"
    two_three_two().save_weights(path)
    other = Sequential([Dense(4, input_shape=(2,)), Dense(2)])
    with pytest.raises(ValueError, match=r"different architecture.*\n.*file:.*Dense\[kernel\(2, 3\)"):
        other.load_weights(path)


def test_set_weights_checks_count_and_shapes():
    model = two_three_two()
    with pytest.raises(ValueError, match="expected 4 arrays, got 1"):
        model.set_weights([np.zeros((2, 3))])
    with pytest.raises(ValueError, match=r"weight 'kernel' expected shape \(2, 3\), got \(3, 2\)"):
        model.set_weights([np.zeros((3, 2)), np.zeros(3), np.zeros((3, 2)), np.zeros(2)])


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


def test_fine_tuning_reuses_layers_and_pops():
    base = two_three_two()
    new = Sequential(base.layers[:-1] + [Dense(4, activation="softmax")])
    assert new.output_shape == (None, 4)
    assert new.layers[0] is base.layers[0]
    popped = new.pop()
    assert popped.units == 4 and len(new.layers) == 1


# -- summary ------------------------------------------------------------------
def test_summary_table():
    lines = []
    model = Sequential([Dense(16, input_shape=(1,), activation="relu", name="hidden"),
                        Dense(2, activation="softmax", name="out")])
    model.summary(print_fn=lines.append)
    text = lines[0]
    assert 'Model: "sequential"' in text
    assert "hidden (Dense)" in text and "(None, 16)" in text
    assert "Total params: 66" in text and "Trainable params: 66" in text
    assert "Non-trainable params: 0" in text


def test_summary_uses_thousands_separators():
    lines = []
    Sequential([Dense(1000, input_shape=(1000,))]).summary(print_fn=lines.append)
    assert "1,001,000" in lines[0]


# -- bad input ----------------------------------------------------------------
@pytest.fixture
def compiled():
    model = two_three_two()
    model.compile(Adam(), "sparse_categorical_crossentropy", ["accuracy"])
    return model


def test_wrong_input_shape_names_layer_and_shapes(compiled):
    with pytest.raises(ValueError, match=r"layer 'dense\S*' expects input of shape \(None, 2\), "
                                         r"got x of shape \(4, 3\)"):
        compiled.fit(np.zeros((4, 3)), np.zeros(4), verbose=0)


def test_labels_out_of_range(compiled):
    with pytest.raises(ValueError, match=r"labels must be in \[0, 2\) for 2 output units, got labels from 0 to 5"):
        compiled.fit(np.zeros((3, 2)), np.array([0, 1, 5]), verbose=0)


def test_nan_in_data(compiled):
    x = np.zeros((3, 2))
    x[1, 0] = np.nan
    with pytest.raises(ValueError, match=r"x contains 1 NaN or infinite values \(first at index \(1, 0\)\)"):
        compiled.fit(x, np.zeros(3), verbose=0)


def test_sample_count_mismatch(compiled):
    with pytest.raises(ValueError, match="x has 3 samples but y has 2"):
        compiled.fit(np.zeros((3, 2)), np.zeros(2), verbose=0)


@pytest.mark.parametrize("kwargs, match", [
    (dict(batch_size=0), "batch_size must be a positive int, got 0"),
    (dict(batch_size=-5), "batch_size must be a positive int, got -5"),
    (dict(epochs=-1), "epochs must be an int >= 0, got -1"),
    (dict(validation_split=1.5), r"validation_split must be in \[0, 1\)"),
])
def test_bad_fit_arguments(compiled, kwargs, match):
    with pytest.raises(ValueError, match=match):
        compiled.fit(np.zeros((3, 2)), np.zeros(3), verbose=0, **kwargs)


def test_fit_before_compile():
    with pytest.raises(RuntimeError, match="call compile"):
        two_three_two().fit(np.zeros((3, 2)), np.zeros(3))


def test_unknown_loss_and_optimizer_names():
    with pytest.raises(ValueError, match="unknown loss 'crossentropy'; valid names are"):
        two_three_two().compile("adam", "crossentropy")
    with pytest.raises(ValueError, match="unknown optimizer 'adamw'"):
        two_three_two().compile("adamw", "mse")


def test_unknown_metric(compiled):
    with pytest.raises(ValueError, match="unknown metric 'precision'"):
        model = two_three_two()
        model.compile("adam", "mse", metrics=["precision"])


def test_verbose_two_prints_one_line_per_epoch_without_timings(capsys, compiled):
    x, y = blobs(20)
    compiled.fit(x, y, epochs=2, verbose=2)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("Epoch 1/2 - loss: ")
    assert "accuracy: " in lines[0] and "s -" not in lines[0]


def test_verbose_one_draws_a_progress_bar(capsys, compiled):
    x, y = blobs(64)
    compiled.fit(x, y, epochs=1, batch_size=16, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 1/1" in out and "4/4 [" in out and "loss:" in out


def test_no_runtime_warnings_in_normal_training(compiled):
    x, y = blobs()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compiled.fit(x, y, epochs=2, verbose=0)
