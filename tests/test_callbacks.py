"""Callbacks (mlcore/training/callbacks/): CallbackList, History, LambdaCallback and EarlyStopping
with Keras 3's rules."""
import numpy as np
import pytest

import mlcore
from mlcore import SGD, Callback, Dense, EarlyStopping, History, LambdaCallback, Sequential
from mlcore.training.callbacks import CallbackList


class Recorder(Callback):
    """Writes down every hook call, in order."""

    def __init__(self, calls):
        self.calls = calls

    def on_train_begin(self, logs=None):
        self.calls.append("train_begin")

    def on_epoch_begin(self, epoch, logs=None):
        self.calls.append(f"epoch_begin {epoch}")

    def on_train_batch_begin(self, batch, logs=None):
        self.calls.append(f"batch_begin {batch}")

    def on_gradients(self, batch, logs=None):
        self.calls.append(f"gradients {batch}")

    def on_train_batch_end(self, batch, logs=None):
        self.calls.append(f"batch_end {batch} size {logs['size']}")

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(f"epoch_end {epoch} {sorted(logs)}")

    def on_train_end(self, logs=None):
        self.calls.append("train_end")


# -- CallbackList and fit's use of it -------------------------------------------
def test_fit_calls_every_hook_in_order(compiled, blobs):
    calls = []
    x, y = blobs(5)
    compiled.fit(x, y, batch_size=3, epochs=2, verbose=0, callbacks=[Recorder(calls)],
                         validation_data=(x, y))
    epoch = ["batch_begin 0", "gradients 0", "batch_end 0 size 3",
             "batch_begin 1", "gradients 1", "batch_end 1 size 2"]
    keys = "['accuracy', 'loss', 'val_accuracy', 'val_loss']"
    assert calls == (["train_begin", "epoch_begin 0"] + epoch + [f"epoch_end 0 {keys}", "epoch_begin 1"]
                     + epoch + [f"epoch_end 1 {keys}", "train_end"])


def test_callback_list_calls_each_callback_in_turn_and_adds_one_history(compiled):
    calls_a, calls_b = [], []
    model = compiled
    callbacks = CallbackList([Recorder(calls_a), Recorder(calls_b)], add_history=True, model=model,
                             epochs=3, steps=2, verbose=0)
    assert isinstance(callbacks.callbacks[-1], History) and model.history is callbacks.callbacks[-1]
    callbacks.on_epoch_end(0, {"loss": 1.0})
    assert calls_a == calls_b == ["epoch_end 0 ['loss']"]
    assert all(c.model is model and c.params == {"epochs": 3, "steps": 2, "verbose": 0}
               for c in callbacks.callbacks)
    mine = History()
    assert CallbackList([mine], add_history=True, model=model).callbacks == [mine]
    assert model.history is mine


def test_a_callback_sees_verbose_epochs_and_steps(compiled, blobs):
    class Params(Callback):
        def on_train_begin(self, logs=None):
            self.seen = dict(self.params)

    probe = Params()
    x, y = blobs(10)
    compiled.fit(x, y, batch_size=4, epochs=3, verbose=0, callbacks=[probe])
    assert probe.seen == {"verbose": 0, "epochs": 3, "steps": 3}


def test_keras_older_batch_hook_names_are_called(compiled, blobs):
    ends = []
    x, y = blobs(10)
    compiled.fit(x, y, batch_size=4, epochs=1, verbose=0,
                         callbacks=[LambdaCallback(on_batch_end=lambda batch, logs: ends.append(batch))])
    assert ends == [0, 1, 2]


def test_lambda_callback_rejects_unknown_hooks():
    with pytest.raises(ValueError, match="unknown hook 'on_epoch'; valid hooks are"):
        LambdaCallback(on_epoch=print)


# -- History ----------------------------------------------------------------------
def test_history_records_epochs_and_why_training_stopped(compiled, blobs):
    x, y = blobs(60)
    model = compiled
    history = model.fit(x, y, epochs=3, verbose=0)
    assert history is model.history and history.epoch == [0, 1, 2]
    assert history.stopped_early is None and len(history.history["accuracy"]) == 3
    assert repr(history).startswith("<History 3 epochs, last {'loss': ")
    history = model.fit(x, y, epochs=40, verbose=0,
                        callbacks=[EarlyStopping(monitor="loss", min_delta=10, patience=1)])
    assert history.epoch == [0, 1]
    assert history.stopped_early == model.stop_reason
    assert history.stopped_early.startswith("early stopping: loss has not improved for 1 epochs")


# -- EarlyStopping: Keras 3's rules -------------------------------------------------
class FakeModel:
    """Just what EarlyStopping touches; its 'weights' are the current epoch's number."""

    def __init__(self):
        self.epoch, self.stop_training, self.restored = 0, False, None

    def get_weights(self):
        return [self.epoch]

    def set_weights(self, weights):
        self.restored = weights[0]


def run_early_stopping(values, monitor="val_loss", **kwargs):
    """Epoch ends with the monitored ``values`` until the callback stops training."""
    stopper = EarlyStopping(monitor=monitor, **kwargs)
    model = FakeModel()
    stopper.set_model(model)
    stopper.on_train_begin()
    epochs = 0
    for epoch, value in enumerate(values):
        model.epoch = epoch
        stopper.on_epoch_end(epoch, {monitor: value})
        epochs += 1
        if model.stop_training:
            break
    stopper.on_train_end()
    return dict(epochs=epochs, stopped_epoch=stopper.stopped_epoch, best_epoch=stopper.best_epoch,
                restored=model.restored, wait=stopper.wait)


RISING = [5, 6, 7, 8, 9, 10]
# Each expected result is what keras.callbacks.EarlyStopping (Keras 3.15.1) gives for the
# same values and arguments, measured with the same fake model.
KERAS_3 = [
    (dict(values=RISING, patience=0), (2, 1, 0, None, 1)),
    (dict(values=RISING, patience=1), (2, 1, 0, None, 1)),
    (dict(values=RISING, patience=3), (4, 3, 0, None, 3)),
    (dict(values=[5, 4, 4.5, 3, 3.2, 3.1, 3.3, 3.4], patience=2, restore_best_weights=True),
     (6, 5, 3, 3, 2)),
    (dict(values=[3, 1, 2, 2.5], patience=10, restore_best_weights=True), (4, 0, 1, 1, 2)),
    (dict(values=[5, 4.95, 4.9, 4.85, 4.8], patience=1, min_delta=0.1), (2, 1, 0, None, 1)),
    (dict(values=[5, 4.95, 4.9, 4.85, 4.8], patience=1, min_delta=-0.1), (2, 1, 0, None, 1)),
    (dict(values=[5, 6, 7], patience=2, baseline=2), (2, 1, 0, None, 2)),
    (dict(values=[5, 4, 3, 2.5, 2.6, 2.7], patience=2, baseline=3.5, restore_best_weights=True),
     (6, 5, 3, 3, 2)),
    (dict(values=[5, 6, 7, 8, 9], patience=1, start_from_epoch=2, restore_best_weights=True),
     (4, 3, 2, 2, 1)),
    (dict(values=[0.5, 0.7, 0.6, 0.65, 0.7], patience=2, mode="max", monitor="val_accuracy"),
     (4, 3, 1, None, 2)),
    (dict(values=[0.5, 0.7, 0.6, 0.65, 0.7], patience=2, mode="min", monitor="val_accuracy"),
     (3, 2, 0, None, 2)),
    (dict(values=[1.0, 0.8, 0.9, 0.85, 0.7], patience=2, mode="min", monitor="val_mse"),
     (4, 3, 1, None, 2)),
]


@pytest.mark.parametrize("kwargs, expected", KERAS_3, ids=[
    "patience0", "patience1", "patience3", "restore-after-stop", "restore-without-stop",
    "min_delta", "negative-min_delta", "baseline-never-beaten", "baseline", "start_from_epoch",
    "max", "min-on-accuracy", "val_mse"])
def test_early_stopping_decides_as_keras_3(kwargs, expected):
    keys = ("epochs", "stopped_epoch", "best_epoch", "restored", "wait")
    assert run_early_stopping(**kwargs) == dict(zip(keys, expected))


def test_early_stopping_trains_the_best_epoch_plus_patience_epochs(compiled, blobs):
    """No epoch improves the loss by 10: the first is the best, then 2 more (Keras), not 3."""
    x, y = blobs(60)
    stopper = EarlyStopping(monitor="loss", patience=2, min_delta=10)
    history = compiled.fit(x, y, epochs=40, verbose=0, callbacks=[stopper])
    assert len(history.history["loss"]) == 3 and stopper.stopped_epoch == 2


def test_restore_best_weights_also_when_training_ran_all_its_epochs(compiled, blobs):
    x, y = blobs(60)
    model = compiled
    after_epoch = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: after_epoch.append(model.get_weights()))
    stopper = EarlyStopping(patience=10, restore_best_weights=True)
    # validated on flipped labels: the better the fit, the worse val_loss, so epoch 0 is the best
    history = model.fit(x, y, epochs=4, verbose=0, callbacks=[record, stopper],
                        validation_data=(x, 1 - y))
    assert len(history.epoch) == 4 and np.argmin(history.history["val_loss"]) == 0
    for best, now in zip(after_epoch[0], model.get_weights()):
        np.testing.assert_array_equal(best, now)
    assert stopper.stopped_epoch == 0  # Keras' value for "did not stop early"


def test_one_early_stopping_serves_several_fits(compiled, blobs):
    x, y = blobs(60)
    model = compiled
    stopper = EarlyStopping(monitor="loss", patience=1, min_delta=10)
    for _ in range(2):
        assert len(model.fit(x, y, epochs=40, verbose=0, callbacks=[stopper]).epoch) == 2


@pytest.mark.parametrize("monitor, mode", [("loss", "min"), ("val_loss", "min"), ("val_mse", "min"),
                                           ("mean_absolute_error", "min"), ("accuracy", "max"),
                                           ("val_accuracy", "max"),
                                           ("val_sparse_categorical_accuracy", "max")])
def test_auto_mode_is_inferred_from_the_name(monitor, mode):
    assert EarlyStopping(monitor=monitor).mode == mode


def test_bad_early_stopping_arguments_fail_clearly(compiled, blobs):
    with pytest.raises(ValueError, match="cannot tell whether 'val_f1' should go up or down; "
                                         "pass mode='min' or mode='max'"):
        EarlyStopping(monitor="val_f1")
    with pytest.raises(ValueError, match="mode must be 'auto', 'min' or 'max', got 'lowest'"):
        EarlyStopping(mode="lowest")
    x, y = blobs(60)
    with pytest.raises(ValueError, match=r"'val_loss' is not logged; logged keys are "
                                         r"\['accuracy', 'loss'\]"):
        compiled.fit(x, y, epochs=2, verbose=0, callbacks=[EarlyStopping()])


def test_verbose_early_stopping_says_where_it_stopped_and_what_it_restored(capsys):
    stopper = EarlyStopping(patience=1, verbose=1, restore_best_weights=True)
    stopper.set_model(FakeModel())
    for epoch, value in enumerate([2.0, 1.0, 3.0]):
        stopper.on_epoch_end(epoch, {"val_loss": value})
    stopper.on_train_end()
    assert capsys.readouterr().out == ("Epoch 3: early stopping\n"
                                      "Restoring model weights from the end of the best epoch: 2.\n")


def test_divergence_stops_training_through_the_same_flag():
    x = np.linspace(-1, 1, 50)[:, None] * 100
    model = Sequential([Dense(1, input_shape=(1,))])
    model.compile(SGD(learning_rate=10.0), "mse")
    stopper = EarlyStopping(monitor="loss", patience=100)
    with pytest.warns(mlcore.DivergenceWarning):
        history = model.fit(x, 3 * x, epochs=50, batch_size=10, verbose=0, callbacks=[stopper])
    assert model.stop_training and len(history.epoch) < 50
    assert history.stopped_early.startswith("Training stopped: the loss became")
