"""BatchNormExplorer: the state against hand computation, the view driven by its controls."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import mlcore
from mlcore.widgets.batchnorm import (BatchNormExplorer, batch_mean_spread, batchnorm_state,
                                      miles_driven, moving_statistics, sample_batches)


def test_state_by_hand():
    # mean 5, biased variance ((-4)^2 + (-2)^2 + 2^2 + 4^2) / 4 = 10
    batch = np.array([1.0, 3.0, 7.0, 9.0])
    state = batchnorm_state(batch, gamma=2.0, beta=0.5, epsilon=1e-3)
    assert state["mean"] == 5.0 and state["variance"] == 10.0
    x_hat = (batch - 5.0) / np.sqrt(10.0 + 1e-3)
    np.testing.assert_allclose(state["x_hat"], x_hat, rtol=1e-12)
    np.testing.assert_allclose(state["y"], 2.0 * x_hat + 0.5, rtol=1e-12)
    # one training step from Keras' start (0, 1) with momentum 0.99
    assert state["moving_mean"] == pytest.approx(0.01 * 5.0)
    assert state["moving_variance"] == pytest.approx(0.99 + 0.01 * 10.0)


def test_state_per_feature_and_wide_scale():
    rng = np.random.default_rng(0)
    batch = np.column_stack([rng.uniform(1_000, 100_000, 64), rng.uniform(18, 90, 64)])
    state = batchnorm_state(batch, gamma=np.array([1.0, 3.0]), beta=np.array([0.0, -1.0]))
    np.testing.assert_allclose(state["mean"], batch.mean(axis=0))
    np.testing.assert_allclose(state["variance"], batch.var(axis=0))
    # miles and age end on the same scale: mean beta, std gamma * sqrt(var / (var + eps))
    np.testing.assert_allclose(state["y"].mean(axis=0), [0.0, -1.0], atol=1e-9)
    np.testing.assert_allclose(state["y"].std(axis=0), [1.0, 3.0], rtol=1e-3)


def test_epsilon_matters_for_a_constant_batch():
    state = batchnorm_state(np.full(8, 3.0), gamma=1.0, beta=0.0, epsilon=1e-3)
    assert state["variance"] == 0.0 and np.all(state["x_hat"] == 0.0)


def test_bad_batch_is_named():
    with pytest.raises(ValueError, match="batchnorm_state: batch must have shape"):
        batchnorm_state(np.ones((2, 3, 4)))


def test_spread_of_batch_means_shrinks_like_one_over_sqrt_b():
    mlcore.set_seed(0)
    population = miles_driven()
    spread = batch_mean_spread(population, batch_sizes=(4, 16, 64, 256), n_batches=400)
    ratio = spread["mean_spread"] / spread["expected"]
    assert np.all(np.abs(ratio - 1) < 0.15)  # 400 batches: about 4 % sampling error
    assert np.all(np.diff(spread["mean_spread"]) < 0)
    assert np.all(np.diff(spread["variance_spread"]) < 0)


def test_spread_uses_the_layer_statistics_of_each_batch():
    # Same seed, same batches: the layer's per-batch means equal numpy's.
    population = np.arange(100.0)
    mlcore.set_seed(3)
    spread = batch_mean_spread(population, batch_sizes=(5,), n_batches=50)
    mlcore.set_seed(3)
    batches = sample_batches(population, 5, 50)
    assert spread["mean_spread"][0] == pytest.approx(batches.mean(axis=1).std())
    assert spread["variance_spread"][0] == pytest.approx(batches.var(axis=1).std())


def test_moving_statistics_follow_the_keras_rule():
    population = np.arange(1.0, 11.0)
    mlcore.set_seed(1)
    record = moving_statistics(population, batch_size=4, steps=25, momentum=0.9)
    mlcore.set_seed(1)
    batches = sample_batches(population, 4, 25)
    moving_mean, moving_var = 0.0, 1.0
    for step, batch in enumerate(batches):
        moving_mean = 0.9 * moving_mean + 0.1 * batch.mean()
        moving_var = 0.9 * moving_var + 0.1 * batch.var()
        assert record["batch_mean"][step] == pytest.approx(batch.mean())
        assert record["moving_mean"][step] == pytest.approx(moving_mean)
        assert record["moving_variance"][step] == pytest.approx(moving_var)


def test_miles_driven_spans_the_chapters_range_and_is_seeded():
    mlcore.set_seed(5)
    a = miles_driven(5000)
    mlcore.set_seed(5)
    np.testing.assert_array_equal(a, miles_driven(5000))
    # chapter 12's section 1 draws its drivers' miles from 1,000 to 100,000
    assert 1_000 <= a.min() < 2_000 and 99_000 < a.max() <= 100_000
    assert 48_000 < a.mean() < 53_000


# -- the view ------------------------------------------------------------------
@pytest.fixture
def view():
    mlcore.set_seed(0)
    return BatchNormExplorer()


def test_gamma_and_beta_move_the_normalised_histogram(view):
    before_png = view.image.value
    before_y = view.y_bars.get_data().values.copy()
    view.gamma.value = 2.0
    view.beta.value = 1.5
    assert view.image.value != before_png
    assert not np.array_equal(view.y_bars.get_data().values, before_y)
    y = view.state["y"]
    assert y.mean() == pytest.approx(1.5) and y.std() == pytest.approx(2.0, rel=1e-3)
    np.testing.assert_array_equal(view.hat_bars.get_data().values,
                                  np.histogram(view.state["x_hat"], view.norm_edges)[0] / 32)
    assert "(γ = 2.00)" in view.norm_text.get_text()


def test_batch_size_draws_a_new_batch(view):
    first = view.batch.copy()
    view.batch_size.value = 8
    assert view.batch.shape == (8,) and view.state["x_hat"].shape == (8,)
    assert view.spread_marker.get_xdata()[0] == 8
    assert view.state["mean"] == pytest.approx(view.batch.mean())
    np.testing.assert_allclose(view.raw_mean.get_xdata(), [view.batch.mean()] * 2)
    view.new_batch.click()
    assert view.batch.shape == (8,) and not np.array_equal(view.batch, first[:8])


def test_momentum_changes_the_moving_average(view):
    slow = view.moving_line.get_ydata().copy()
    view.momentum.value = 0.9
    fast = view.moving_line.get_ydata()
    true_mean = view.population.mean()
    assert abs(fast[50] - true_mean) < abs(slow[50] - true_mean)
    assert "momentum 0.9)" in view.moving_text.get_text()


def test_extreme_settings_do_not_raise(view):
    view.gamma.value = 0.0  # every y equals beta
    view.beta.value = view.beta.max
    assert np.allclose(view.state["y"], view.beta.max)
    view.batch_size.value = 2
    view.gamma.value = view.gamma.max
    view.batch_size.value = view.batch_size.max
    assert view.image.value[:4] == b"\x89PNG" and "256 values" in view.describe()
    constant = BatchNormExplorer(feature=np.full(100, 7.0))  # zero variance: epsilon keeps it finite
    assert np.all(np.isfinite(constant.state["y"]))


def test_bad_feature_is_named():
    with pytest.raises(ValueError, match="BatchNormExplorer: feature must hold"):
        BatchNormExplorer(feature=[1.0, np.nan])
