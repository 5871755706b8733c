"""TrainingDashboard: records what fit logs, draws it only when shown, summary is deterministic."""
import matplotlib

matplotlib.use("Agg")

import warnings

import numpy as np
import pytest

import mlcore
from mlcore import SGD, Dense, Sequential
from mlcore.widgets.dashboard import TrainingDashboard


def data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((120, 2))
    return x, (x[:, 0] + x[:, 1] > 0).astype(int)


def model(optimizer="adam"):
    mlcore.set_seed(0)
    net = Sequential([Dense(8, input_shape=(2,), activation="relu", name="hidden"),
                      Dense(2, activation="softmax", name="out")])
    net.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"])
    return net


def test_records_exactly_what_history_records():
    x, y = data()
    dash = TrainingDashboard()
    history = model().fit(x, y, epochs=6, validation_split=0.25, callbacks=[dash], verbose=0)
    assert dash.epochs == [1, 2, 3, 4, 5, 6]
    assert dash.history.keys() == history.history.keys()
    for key, values in history.history.items():
        np.testing.assert_allclose(dash.history[key], values)
    final = history.history
    assert dash.describe() == (
        f"TrainingDashboard: 6 epochs; final loss {final['loss'][-1]:.4f}, "
        f"val_loss {final['val_loss'][-1]:.4f}, accuracy {final['accuracy'][-1]:.4f}, "
        f"val_accuracy {final['val_accuracy'][-1]:.4f}")


def test_draws_nothing_until_shown_then_the_final_curves():
    x, y = data()
    dash = TrainingDashboard()
    model().fit(x, y, epochs=4, validation_split=0.25, callbacks=[dash], verbose=0)
    assert dash.image.value == b""          # never rendered while hidden: fit pays nothing
    bundle = dash._repr_mimebundle_()
    assert bundle["text/plain"].startswith("TrainingDashboard: 4 epochs; final loss")
    assert "image/png" in bundle and dash.image.value != b""
    xs, ys = dash.lines["val_accuracy"].get_data()
    np.testing.assert_array_equal(xs, [1, 2, 3, 4])
    np.testing.assert_allclose(ys, dash.history["val_accuracy"])
    assert dash.axes[0].get_xlim()[1] == pytest.approx(4.5)  # final view fits the data


def test_shown_dashboard_redraws_every_update_every_epochs(monkeypatch):
    x, y = data()
    dash = TrainingDashboard(update_every=3)
    dash._repr_mimebundle_()                 # shown before fit
    frames = []
    monkeypatch.setattr(dash, "refresh", lambda full=False: frames.append(len(dash.epochs)))
    model().fit(x, y, epochs=7, callbacks=[dash], verbose=0)
    assert frames == [3, 6, 7]               # epochs 3 and 6, then the final view
    assert len(dash.lines["val_loss"].get_xdata()) == 0  # no validation data: no val curve


def diverged_dashboard(learning_rate):
    """A shown dashboard of a linear fit that diverges (SGD with this learning rate)."""
    x, _ = data()
    net = Sequential([Dense(1, input_shape=(2,), name="linear")])
    net.compile(SGD(learning_rate=learning_rate), "mean_squared_error")
    dash = TrainingDashboard(metrics="loss")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net.fit(x, x @ [3.0, -2.0], epochs=50, callbacks=[dash], verbose=0)
    dash._repr_mimebundle_()
    return dash


def test_divergence_is_summarised_not_raised():
    dash = diverged_dashboard(10.0)
    assert "stopped early: Training stopped" in dash.describe()
    assert np.isfinite(dash.lines["loss"].get_ydata()).all()


def test_title_keeps_the_stop_reasons_first_sentence_whole():
    dash = diverged_dashboard(12.5)
    title = " ".join(dash.suptitle.get_text().split())  # undo the title's line wrapping
    assert title.endswith("with learning rate 12.5 (SGD)")  # not cut at the decimal point
    assert "The weights diverged" not in title            # only the first sentence


def test_live_mode_outside_ipython_is_quiet(capsys):
    x, y = data()
    dash = TrainingDashboard(live=True)
    model().fit(x, y, epochs=2, callbacks=[dash], verbose=0)
    assert capsys.readouterr().out == ""
    assert dash.image.value != b""           # it followed fit


def test_bad_arguments():
    with pytest.raises(ValueError, match="update_every"):
        TrainingDashboard(update_every=0)
    with pytest.raises(ValueError, match="at least one metric"):
        TrainingDashboard(metrics=())
