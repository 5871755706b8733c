"""LossExplorer: the state against hand-computed values, the view driven programmatically."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from mlcore.widgets.loss_explorer import LossExplorer, loss_state


def test_course_cat_example_by_hand():
    """Label 0 (cat), output 0.25: error 0.25, squared 0.0625."""
    state = loss_state(0.25, 0)
    assert state["mean_squared_error"] == pytest.approx((0.25 ** 2, 2 * 0.25))
    assert state["mean_absolute_error"] == pytest.approx((0.25, 1.0))
    assert state["binary_crossentropy"] == pytest.approx((-np.log(0.75), 1 / 0.75))


def test_label_one_cross_entropy_is_minus_log_p():
    p = np.array([0.1, 0.5, 0.9])
    values, slopes = loss_state(p, 1)["binary_crossentropy"]
    np.testing.assert_allclose(values, -np.log(p), rtol=1e-6)
    np.testing.assert_allclose(slopes, -1 / p, rtol=1e-6)


def test_vector_and_scalar_agree_and_slopes_match_finite_differences():
    grid = np.linspace(0.05, 0.95, 19)
    h = 1e-6
    for label in (0, 1):
        curves = loss_state(grid, label)
        for name, (values, slopes) in curves.items():
            for i in (0, 7, 18):
                assert loss_state(float(grid[i]), label)[name] == pytest.approx((values[i], slopes[i]))
            up = loss_state(grid + h, label)[name][0]
            down = loss_state(grid - h, label)[name][0]
            np.testing.assert_allclose(slopes, (up - down) / (2 * h), rtol=1e-4, atol=1e-6,
                                       err_msg=name)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="label must be 0 or 1"):
        loss_state(0.5, 2)
    with pytest.raises(ValueError, match="probabilities in \\[0, 1\\]"):
        loss_state(1.5, 0)


def test_view_moves_with_the_slider_and_label():
    view = LossExplorer(p=0.25, label=0)
    first_png = view.image.value
    dot = view.dots["mean_squared_error"]
    assert dot.get_ydata()[0] == pytest.approx(0.0625)
    assert "C = 0.0625" in view.readout.get_text()     # the course's number, not rounded to 0.062
    view.p_slider.value = 0.8
    assert dot.get_ydata()[0] == pytest.approx(0.64)
    assert view.image.value != first_png
    curve_before = view.curves["binary_crossentropy"].get_ydata().copy()
    view.label_buttons.value = 1
    assert not np.allclose(view.curves["binary_crossentropy"].get_ydata(), curve_before)
    assert "label 1" in view.describe() and "p = 0.80" in view.describe()


def test_view_survives_the_extremes():
    view = LossExplorer(label=1)
    for p in (0.0, 1.0):
        view.p_slider.value = p
        text = view.describe()
        assert "nan" not in text
    view.p_slider.value = 0.0
    assert "off chart" in view.readout.get_text()
