"""BatchSizeExplorer: the training runs behind the slider, and the view driven programmatically."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from mlcore.widgets.batch_size import BatchSizeExplorer, batch_size_run, gradient_descent_kind

from helpers import leaves_engine_rng_alone


def threshold_data(n=120, seed=3):
    """Labels flip from 0 to 1 at x = 0.5, with 5 % of them the other way."""
    r = np.random.default_rng(seed)
    x = r.random((n, 1))
    y = ((x[:, 0] > 0.5) ^ (r.random(n) < 0.05)).astype(int)
    return x, y


def test_kinds_of_gradient_descent():
    assert gradient_descent_kind(1, 100) == "stochastic gradient descent"
    assert gradient_descent_kind(10, 100) == "mini-batch gradient descent"
    assert gradient_descent_kind(100, 100) == "batch gradient descent"


def test_full_batch_run_is_plain_gradient_descent():
    """With batch size N every batch loss is the whole-set loss before that update."""
    x, y = threshold_data()
    run = batch_size_run(x, y, len(x), updates=30)
    np.testing.assert_allclose(run["batch_loss"], run["full_loss"][:-1], rtol=1e-5)
    assert run["full_loss"][-1] < run["full_loss"][0]
    assert run["epochs"] == 30 and run["passes"] == 30


def test_small_batches_are_noisier_and_epochs_are_counted():
    x, y = threshold_data()
    noise = {}
    for size in (1, 10, len(x)):
        run = batch_size_run(x, y, size, updates=120)
        assert len(run["batch_loss"]) == 120 and len(run["full_loss"]) == 121
        assert run["epochs"] == pytest.approx(120 * size / len(x))
        noise[size] = np.std(np.diff(run["full_loss"]))
    assert noise[1] > noise[10] > noise[len(x)]


def test_same_seed_same_start_and_global_rng_untouched():
    x, y = threshold_data()
    first = leaves_engine_rng_alone(lambda: batch_size_run(x, y, 5, updates=10))
    second = batch_size_run(x, y, 20, updates=10)
    assert first["full_loss"][0] == second["full_loss"][0]  # same initial weights


def test_bad_batch_size_and_extreme_learning_rate():
    x, y = threshold_data()
    with pytest.raises(ValueError, match="batch_size must be an int in \\[1, 120\\]"):
        batch_size_run(x, y, 0)
    with pytest.raises(ValueError, match="batch_size"):
        batch_size_run(x, y, 121)
    run = batch_size_run(x * 1e4, y, 10, updates=50, learning_rate=1e3)  # must not raise
    assert np.isfinite(run["full_loss"]).all()
    assert len(run["full_loss"]) == len(run["batch_loss"]) + 1


def test_view_redraws_for_a_new_batch_size():
    x, y = threshold_data()
    view = BatchSizeExplorer(x, y, batch_size=1, updates=60)
    before_png, before = view.image.value, view.full_line.get_ydata().copy()
    assert "stochastic" in view.ax.get_title()
    view.slider.value = len(x)
    assert "batch gradient descent" in view.ax.get_title()
    assert not np.allclose(view.full_line.get_ydata(), before, equal_nan=True)
    assert view.image.value != before_png
    assert "batch size 120" in view.describe()


def test_default_data_is_scaled_drug_trial_data():
    from mlcore.widgets.batch_size import default_data

    x, y = default_data(200, seed=0)
    assert x.shape == (200, 1) and x.min() == 0.0 and x.max() == 1.0
    assert set(np.unique(y)) == {0, 1}
