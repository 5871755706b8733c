"""GradientDescentExplorer: descent_path against hand-computed steps, the view driven."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from mlcore.teaching.gradcheck import numerical_gradient
from mlcore.widgets.descent import (SURFACES, GradientDescentExplorer, descent_path,
                                    get_surface, overshoots)


def test_quadratic_steps_by_hand():
    # L = w^2, dL/dw = 2w: w1 = 2.5 - 0.1 * 5 = 2.0, w2 = 2.0 - 0.1 * 4 = 1.6
    points, losses, status = descent_path("quadratic", 2.5, 0.1, 30)
    assert points.shape == (31, 1) and losses.shape == (31,)
    np.testing.assert_allclose(points[:3, 0], [2.5, 2.0, 1.6])
    np.testing.assert_allclose(losses[:3], [6.25, 4.0, 2.56])
    np.testing.assert_allclose(points[-1, 0], 2.5 * 0.8 ** 30)
    assert status == "converged"


@pytest.mark.parametrize("lr, status", [(1e-4, "descending"), (0.1, "converged"),
                                        (1.0, "overshooting"), (1.05, "diverged")])
def test_status_of_each_regime(lr, status):
    # on w^2 each step multiplies w by (1 - 2 lr): |.| < 1 converges, = 1 bounces, > 1 grows
    assert descent_path("quadratic", 2.5, lr, 30)[2] == status


def test_blow_up_stops_before_overflow():
    # lr 10: w <- w - 20 w = -19 w; 2.5 * 19^5 > 1e6, so 4 steps are kept
    points, losses, status = descent_path("quadratic", 2.5, 10.0, 30)
    assert status == "diverged" and len(points) == 5
    np.testing.assert_allclose(points[:, 0], 2.5 * (-19.0) ** np.arange(5))
    assert np.isfinite(points).all() and np.isfinite(losses).all()
    for (dim, name), surface in SURFACES.items():
        points, losses, status = descent_path(surface, surface.start, 10.0, 30)
        assert status == "diverged" and np.isfinite(losses).all(), name


def test_each_step_is_the_update_rule():
    surface = get_surface("valley", 2)
    points, _, _ = descent_path(surface, (-2.7, 1.5), 0.3, 10)
    for old, new in zip(points[:-1], points[1:]):
        np.testing.assert_allclose(new, old - 0.3 * surface.gradient(old), rtol=1e-12)
    np.testing.assert_allclose(points[1], [-2.7 - 0.3 * 0.04 * -2.7, 1.5 - 0.3 * 4 * 1.5])


@pytest.mark.parametrize("key", sorted(SURFACES))
def test_surface_gradients_match_finite_differences(key):
    surface = SURFACES[key]
    w = np.array([0.7, -1.3][:surface.dim])
    numeric = numerical_gradient(lambda: float(surface.loss(w)), w)
    np.testing.assert_allclose(surface.gradient(w), numeric, rtol=1e-6, atol=1e-8)


def test_overshoot_count_and_bad_arguments():
    points, _, _ = descent_path("quadratic", 2.5, 0.9, 5)  # factor -0.8: every step flips
    assert overshoots(get_surface("quadratic", 1), points) == 5
    with pytest.raises(ValueError, match="learning_rate"):
        descent_path("quadratic", 1.0, 0.0, 5)
    with pytest.raises(ValueError, match="unknown surface 'saddle'"):
        descent_path("saddle", 1.0, 0.1, 5)
    with pytest.raises(ValueError, match="valley.*2 weights"):
        descent_path(get_surface("valley"), 1.0, 0.1, 5)


def test_view_1d_learning_rate_and_steps():
    view = GradientDescentExplorer(learning_rate=0.1)
    assert "converged" in view.status_text.get_text()
    before = view.image.value
    view.lr_slider.value = 1.05
    assert view.image.value != before and "diverged" in view.status_text.get_text()
    view.lr_slider.value = 1e-4
    assert "still descending" in view.status_text.get_text()
    view.step_slider.value = 3
    x, _ = view.point.get_data()
    assert x[0] == pytest.approx(view.state[0][3, 0])
    assert len(view.path_line.get_xdata()) == 4


def test_view_2d_surfaces_and_extremes_never_show_nan():
    view = GradientDescentExplorer(dim=2, surface="valley", learning_rate=0.45)
    for name in ("quadratic", "nonconvex", "valley"):
        view.surface_picker.value = name
        for lr in (1e-4, 10.0):
            view.lr_slider.value = lr
            for slider in view.start_sliders:
                slider.value = slider.max
            assert np.isfinite(np.asarray(view.path_line.get_xydata(), float)).all()
            assert "nan" not in view.status_text.get_text()
            assert "nan" not in view.describe()
    assert "diverged" not in GradientDescentExplorer(dim=2, learning_rate=0.1).describe()


def test_momentum_is_the_engines_velocity_rule():
    # Keras' form: v <- mu v - lr g, w <- w + v; on the valley, by hand for three steps
    surface = get_surface("valley", 2)
    points, _, _ = descent_path(surface, (-2.7, 1.5), 0.1, 3, momentum=0.9)
    w, v = np.array([-2.7, 1.5]), np.zeros(2)
    for expected in points[1:]:
        v = 0.9 * v - 0.1 * surface.gradient(w)
        w = w + v
        np.testing.assert_allclose(expected, w, rtol=1e-12)
    with pytest.raises(ValueError, match="momentum"):
        descent_path(surface, (-2.7, 1.5), 0.1, 3, momentum=1.0)


def test_momentum_crosses_the_narrow_valley_faster():
    # lr 0.1 is slow along the flat w1 direction; momentum 0.8 builds up speed there
    plain = descent_path("valley", (-2.7, 1.5), 0.1, 30)[1][-1]
    heavy = descent_path("valley", (-2.7, 1.5), 0.1, 30, momentum=0.8)[1][-1]
    assert heavy < plain / 2


def test_the_valley_is_narrow_enough_that_plain_descent_crawls_at_its_cap():
    # curvatures 0.04 and 4 (ratio 100): below the cap 2/4 the flat direction shrinks by >= 0.98 a step
    np.testing.assert_allclose(get_surface("valley", 2).gradient(np.array([1.0, 1.0])), [0.04, 4.0])
    assert descent_path("valley", (-2.7, 1.5), 0.49, 30)[0][-1, 0] < -1.4
    # each at its own best rate (chapter 02): momentum ends over 100 times lower
    rates = np.round(np.arange(0.05, 1.01, 0.05), 2)
    plain = min(descent_path("valley", (-2.7, 1.5), lr, 30)[1][-1] for lr in rates)
    heavy = min(descent_path("valley", (-2.7, 1.5), lr, 30, momentum=mu)[1][-1]
                for lr in rates for mu in (0.5, 0.75, 0.9))
    assert heavy < plain / 100


def test_view_momentum_slider_and_small_losses_on_the_axis():
    view = GradientDescentExplorer(dim=2, surface="valley", learning_rate=0.1)
    before = view.image.value
    view.momentum_slider.value = 0.8
    assert view.image.value != before and "momentum 0.8" in view.status_text.get_text()
    np.testing.assert_allclose(view.state[0], descent_path("valley", (-2.7, 1.5), 0.1, 30, 0.8)[0])
    # 1-D, lr 0.1: the final loss 9.6e-06 lies on the axis, not clipped at 1e-4
    view = GradientDescentExplorer(learning_rate=0.1)
    low, _ = view.ax_loss.get_ylim()
    final = view.state[1][-1]
    assert 9e-6 < final < 1e-5 and low <= final
    assert view.loss_line.get_ydata()[-1] == pytest.approx(final)
