"""Training (mlcore/training/trainer.py): compile, fit, evaluate, predict, train_on_batch."""
import warnings

import numpy as np
import pytest

import mlcore
from mlcore import (SGD, Adam, Callback, Conv2D, Dense, Flatten, LambdaCallback, MaxPooling2D,
                    Sequential)

# -- the course's numbers -----------------------------------------------------
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


def test_batches_per_epoch(two_three_two, blobs):
    seen = []
    model = two_three_two()
    model.compile(SGD(), "sparse_categorical_crossentropy")
    x, y = blobs(1000)
    model.fit(x, y, batch_size=10, epochs=1, verbose=0,
              callbacks=[LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(batch))])
    assert len(seen) == 100


# -- fit ----------------------------------------------------------------------
def test_fit_learns_and_reports_keras_history_keys(two_three_two, blobs):
    x, y = blobs()
    model = two_three_two()
    model.compile(Adam(0.05), "sparse_categorical_crossentropy", ["accuracy"])
    history = model.fit(x[:150], y[:150], epochs=15, batch_size=16, verbose=0,
                        validation_data=(x[150:], y[150:]))
    assert history is model.history
    assert list(history.history) == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert len(history.history["loss"]) == 15
    assert history.history["val_accuracy"][-1] > 0.9
    loss, accuracy = model.evaluate(x[150:], y[150:])
    assert loss == pytest.approx(history.history["val_loss"][-1])
    assert accuracy == pytest.approx(history.history["val_accuracy"][-1])


def test_epoch_logs_are_sample_weighted_means_of_the_batch_logs(compiled, blobs):
    """10 samples in batches of 4, 4, 2: the last batch counts half as much (as in Keras)."""
    x, y = blobs(10)
    batches = []
    history = compiled.fit(x, y, batch_size=4, epochs=1, verbose=0, shuffle=False, callbacks=[
        LambdaCallback(on_train_batch_end=lambda batch, logs: batches.append(dict(logs)))])
    assert [b["size"] for b in batches] == [4, 4, 2]
    for key in ("loss", "accuracy"):
        expected = sum(b[key] * b["size"] for b in batches) / 10
        assert history.history[key][0] == pytest.approx(expected)


def test_same_seed_same_numbers(two_three_two, blobs):
    def run():
        mlcore.set_seed(7)
        model = two_three_two()
        model.compile(Adam(0.01), "sparse_categorical_crossentropy")
        return model.fit(*blobs(), epochs=3, verbose=0).history["loss"]
    assert run() == run()


def test_validation_split_takes_the_end_before_shuffling(two_three_two, blobs):
    x, y = blobs(100)
    model = two_three_two()
    model.compile(SGD(), "sparse_categorical_crossentropy", ["accuracy"])
    history = model.fit(x, y, validation_split=0.2, epochs=1, verbose=0)
    loss, accuracy = model.evaluate(x[80:], y[80:])
    assert history.history["val_loss"][0] == pytest.approx(loss)
    assert history.history["val_accuracy"][0] == pytest.approx(accuracy)


@pytest.mark.parametrize("n, split, n_train", [(10, 0.25, 7), (3, 0.1, 2), (10, 0.2, 8),
                                               (7, 0.5, 3), (100, 0.29, 71)])
def test_validation_split_floors_the_training_share_as_keras(compiled, blobs, n, split,
                                                             n_train):
    """Keras 3's train_validation_split keeps floor(n * (1 - split)) samples for training
    (the Keras oracle test checks this rule against Keras itself)."""
    x, y = blobs(n)
    sizes = []
    history = compiled.fit(x, y, validation_split=split, batch_size=1, epochs=1, verbose=0,
                           shuffle=False, callbacks=[LambdaCallback(
                               on_train_batch_end=lambda batch, logs: sizes.append(logs["size"]))])
    assert sum(sizes) == n_train
    assert history.history["val_loss"][0] == pytest.approx(
        compiled.evaluate(x[n_train:], y[n_train:])[0])


def test_initial_epoch_resumes_the_count(compiled, blobs):
    x, y = blobs(20)
    history = compiled.fit(x, y, epochs=5, initial_epoch=3, verbose=0)
    assert history.epoch == [3, 4]


def test_frozen_layer_is_not_updated_and_counted_as_non_trainable(two_three_two, blobs):
    x, y = blobs()
    model = two_three_two()
    model.layers[0].trainable = False
    before = model.layers[0].get_weights()
    model.compile(Adam(0.05), "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=2, verbose=0)
    for old, new in zip(before, model.layers[0].get_weights()):
        np.testing.assert_array_equal(old, new)
    assert model.count_trainable_params() == 8


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


def test_callbacks_see_gradients_before_the_update(two_three_two, blobs):
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


def _diverging_model():
    model = Sequential([Dense(1, input_shape=(1,))])
    model.compile(SGD(learning_rate=1e6), "mse")
    return model, np.linspace(-1, 1, 8)[:, None] * 100


def test_train_on_batch_divergence_names_the_call_not_an_epoch():
    model, x = _diverging_model()
    calls = 0
    with pytest.warns(mlcore.DivergenceWarning) as record:
        while calls < 50:
            calls += 1
            if model.train_on_batch(x, 3 * x) is None:
                break
    assert 1 < calls < 50
    message = str(record[-1].message)
    assert f"in call {calls} of train_on_batch on this model" in message
    assert "epoch" not in message and "batch 1" not in message
    assert model.stop_reason == message


def test_fit_divergence_still_names_the_epoch_and_batch():
    model, x = _diverging_model()
    with pytest.warns(mlcore.DivergenceWarning, match=r"at epoch \d+, batch \d+, with learning "
                                                      r"rate 1e\+06"):
        model.fit(x, 3 * x, batch_size=2, epochs=50, verbose=0)


def _run_python(code):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stderr


DIVERGE_TWICE = """
import numpy as np
from mlcore import SGD, Dense, Sequential
for _ in range(2):  # the same message from the same line twice
    model = Sequential([Dense(1, input_shape=(1,), kernel_initializer="ones")])
    model.compile(SGD(learning_rate=1e6), "mse")
    x = np.linspace(-1, 1, 8)[:, None] * 100
    model.fit(x, 3 * x, batch_size=8, epochs=50, verbose=0)
"""


def test_import_keeps_a_warnings_filter_set_before_it():
    """``import mlcore`` once put an 'always' filter in front of the user's."""
    stderr = _run_python("import warnings\nwarnings.simplefilter('ignore', RuntimeWarning)\n"
                         + DIVERGE_TWICE)
    assert "DivergenceWarning" not in stderr


def test_every_divergence_is_shown_by_default():
    stderr = _run_python(DIVERGE_TWICE)
    assert stderr.count("DivergenceWarning: Training stopped") == 2


def test_no_runtime_warnings_in_normal_training(compiled, blobs):
    x, y = blobs()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compiled.fit(x, y, epochs=2, verbose=0)


# -- train_on_batch, evaluate, predict ------------------------------------------
def test_train_on_batch_returns_the_logs_before_its_step(compiled, blobs):
    x, y = blobs(16)
    loss, accuracy = compiled.evaluate(x, y)
    logs = compiled.train_on_batch(x, y)
    assert logs == {"loss": pytest.approx(loss), "accuracy": pytest.approx(accuracy)}
    assert compiled.evaluate(x, y)[0] < loss


def test_evaluate_returns_the_loss_alone_without_metrics(two_three_two, blobs, capsys):
    x, y = blobs(16)
    model = two_three_two()
    model.compile(SGD(), "sparse_categorical_crossentropy")
    loss = model.evaluate(x, y, verbose=1)
    assert isinstance(loss, float) and capsys.readouterr().out == f"loss: {loss:.4f}\n"


@pytest.mark.parametrize("loss", ["sparse_categorical_crossentropy", "categorical_crossentropy"])
def test_a_loss_named_as_a_metric_reports_the_loss(two_three_two, blobs, loss):
    x, y = blobs(16)
    targets = y if loss.startswith("sparse") else np.eye(2)[y]
    model = two_three_two()
    model.compile(SGD(), loss, metrics=[loss])
    value, metric = model.evaluate(x, targets)
    assert metric == pytest.approx(value, rel=1e-6)


def test_predict_in_batches_equals_one_pass(two_three_two, blobs):
    x, _ = blobs(70)
    model = two_three_two()
    np.testing.assert_allclose(model.predict(x, batch_size=8), model.predict(x, batch_size=100), rtol=1e-6)


def test_predict_warns_when_the_weights_have_exploded(two_three_two, blobs):
    model = two_three_two()
    model.set_weights([np.full(w.shape, 1e30) for w in model.get_weights()])
    with pytest.warns(mlcore.DivergenceWarning, match=r"sequential.predict: \d+ outputs are nan"):
        model.predict(blobs(4)[0] + 10)


# -- compile ------------------------------------------------------------------
def test_fit_before_compile(two_three_two):
    with pytest.raises(RuntimeError, match="sequential.fit: call compile"):
        two_three_two().fit(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(RuntimeError, match="sequential.evaluate: call compile"):
        two_three_two().evaluate(np.zeros((3, 2)), np.zeros(3))


def test_unknown_loss_optimizer_and_metric_names(two_three_two):
    with pytest.raises(ValueError, match="sequential.compile: unknown loss 'crossentropy'; "
                                         "valid names are"):
        two_three_two().compile("adam", "crossentropy")
    with pytest.raises(ValueError, match="sequential.compile: unknown optimizer 'adamw'"):
        two_three_two().compile("adamw", "mse")
    with pytest.raises(ValueError, match="sequential.compile: unknown metric 'precision'"):
        two_three_two().compile("adam", "mse", metrics=["precision"])
    with pytest.raises(ValueError, match="sequential.compile: a loss is required"):
        two_three_two().compile("adam")
    with pytest.raises(TypeError, match=r"sequential.compile: metrics must be a list, e.g. "
                                        r"metrics=\['accuracy'\]"):
        two_three_two().compile("adam", "mse", metrics="accuracy")
