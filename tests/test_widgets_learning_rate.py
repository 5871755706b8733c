"""LearningRateExplorer: the runs behind the slider, and the view driven programmatically."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from mlcore.widgets.learning_rate import LearningRateExplorer, learning_rate_run

from helpers import leaves_engine_rng_alone


def digits_like(n=300, seed=0):
    """Three classes of 10 'pixels' in [0, 1], one brighter pixel per class; 200 to train,
    the rest to validate. Inputs that are never negative, as pixels, let a large step
    push a relu below 0 for every sample."""
    r = np.random.default_rng(seed)
    y = np.arange(n) % 3
    x = np.clip(r.random((n, 10)) * 0.6 + np.eye(10)[y] * 0.5, 0, 1)
    return x[:200], y[:200], x[200:], y[200:]


def test_a_run_records_every_batch_and_epoch_and_leaves_the_rng_alone():
    data = digits_like()
    run = leaves_engine_rng_alone(lambda: learning_rate_run(*data, 0.01, epochs=3, batch_size=50))
    assert run["steps_per_epoch"] == 4 and len(run["batch_loss"]) == 12
    assert len(run["loss"]) == len(run["val_loss"]) == 3
    # the first batch of an untrained 3-class softmax costs about ln 3
    assert abs(run["batch_loss"][0] - np.log(3)) < 0.3
    assert run["val_loss"][-1] < run["val_loss"][0]


def test_same_seed_same_start_whatever_the_rate():
    data = digits_like()
    slow = learning_rate_run(*data, 1e-4, epochs=1)
    fast = learning_rate_run(*data, 1.0, epochs=1)
    assert slow["batch_loss"][0] == fast["batch_loss"][0]  # same weights, same first batch


def test_a_huge_rate_kills_relus_and_stops_learning():
    data = digits_like()
    good = learning_rate_run(*data, 0.1, epochs=5)
    huge = learning_rate_run(*data, 3.0, epochs=5)
    assert huge["dead"] > 0.95 > 0.6 > good["dead"]
    assert huge["val_loss"][-1] > good["val_loss"][-1] + 0.5


def test_bad_arguments_are_named():
    data = digits_like()
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0, got 0"):
        learning_rate_run(*data, 0)
    with pytest.raises(ValueError, match="rate must be one of rates"):
        LearningRateExplorer(*data, rates=(0.01, 0.1), rate=0.5)
    with pytest.raises(ValueError, match="rates must be positive"):
        LearningRateExplorer(*data, rates=(0.0, 0.1))


def test_view_redraws_for_a_new_rate_and_moves_the_range_test_marker():
    data = digits_like()
    view = LearningRateExplorer(*data, rates=(0.01, 10.0), range_test=([1e-3, 10], [1.1, 3.0]),
                                epochs=2)
    before_png, before = view.image.value, view.val_line.get_ydata().copy()
    assert view.marker.get_xdata()[0] == 0.01 and "rate 0.01" in view.ax.get_title()
    view.slider.value = 10.0
    assert view.marker.get_xdata()[0] == 10.0 and "rate 10" in view.ax.get_title()
    assert not np.allclose(view.val_line.get_ydata(), before)
    assert view.image.value != before_png
    assert "rate 10" in view.describe() and "dead" in view.describe()
    assert set(view.cache) == {(("rate", 0.01),), (("rate", 10.0),)}  # each rate trained once
