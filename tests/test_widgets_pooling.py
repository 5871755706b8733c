"""PoolingAnimator: the course's 4x4 example, agreement with mlcore.ops, the view driven by its controls."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from mlcore.ops import pool2d_forward_naive
from mlcore.widgets.pooling import COURSE_4X4, PoolingAnimator, pooling_step


def ops_map(feature_map, pool, stride, padding, mode):
    return pool2d_forward_naive(feature_map[None, :, :, None], pool, stride, padding,
                                mode)[0, :, :, 0]


def test_course_4x4_example_gives_9_8_6_5():
    states = [pooling_step(COURSE_4X4, 2, 2, "max", step) for step in range(4)]
    assert [s["value"] for s in states] == [9, 8, 6, 5]
    assert [s["window"] for s in states] == [(0, 0), (0, 2), (2, 0), (2, 2)]
    assert [s["winner"] for s in states] == [(0, 1), (1, 2), (2, 0), (2, 3)]
    np.testing.assert_array_equal(states[-1]["output_so_far"], [[9, 8], [6, 5]])
    assert np.isnan(states[1]["output_so_far"][1]).all()
    np.testing.assert_array_equal(states[0]["patch"], [[1, 9], [5, 2]])


def test_course_4x4_average_by_hand():
    values = [pooling_step(COURSE_4X4, 2, None, "average", step)["value"] for step in range(4)]
    assert values == [17 / 4, 16 / 4, 14 / 4, 12 / 4]
    assert pooling_step(COURSE_4X4, 2, None, "average", 0)["winner"] is None


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("pool, stride, padding", [
    (2, None, "valid"), (3, 1, "valid"), (3, 2, "same"), (2, 3, "same"), (4, 1, "same"),
    (1, 1, "valid"), (3, None, "same"),
])
def test_every_step_and_final_map_equal_ops(pool, stride, padding, mode):
    rng = np.random.default_rng(pool * 7 + (stride or 0))
    feature_map = rng.normal(size=(7, 9))
    expected = ops_map(feature_map, pool, stride, padding, mode)
    rows, cols = expected.shape
    for step in range(rows * cols):
        state = pooling_step(feature_map, pool, stride, mode, step, padding)
        assert state["value"] == pytest.approx(expected.flat[step], abs=1e-12)
        if mode == "max":  # the outlined winner holds the maximum
            assert state["padded"][state["winner"]] == state["value"]
    np.testing.assert_allclose(state["output_so_far"], expected, atol=1e-12)
    np.testing.assert_allclose(state["output"], expected, atol=1e-12)


def test_same_padding_cells_are_empty_not_zero():
    # All-negative map: a zero border would win the max; Keras' padding never does.
    feature_map = -np.arange(1.0, 10.0).reshape(3, 3)
    state = pooling_step(feature_map, 2, 2, "max", 3, "same")
    assert state["pads"] == ((0, 1), (0, 1))
    assert np.isnan(state["patch"]).sum() == 3 and state["value"] == -9.0
    assert pooling_step(feature_map, 2, 2, "average", 1, "same")["value"] == -4.5  # mean(-3, -6)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="pooling_step: mode must be one of"):
        pooling_step(COURSE_4X4, mode="min")
    with pytest.raises(ValueError, match="pooling_step.*larger than the input"):
        pooling_step(COURSE_4X4, pool_size=5)
    with pytest.raises(ValueError, match="pooling_step: step must be"):
        pooling_step(COURSE_4X4, step=4)


# -- the view ------------------------------------------------------------------
def visible_numbers(grid):
    return [t.get_text() for t in grid.texts if t.get_visible()]


def test_view_defaults_to_the_course_example():
    view = PoolingAnimator()
    assert view.state["output_shape"] == (2, 2) and view.step.max == 3
    assert visible_numbers(view.output_cells) == ["9"]
    assert len(visible_numbers(view.input_cells)) == 16
    assert "max(1, 9, 5, 2) = 9" in view.value_text.get_text()
    assert view.image.value[:4] == b"\x89PNG"


def test_stepping_fills_the_pooled_map():
    view = PoolingAnimator()
    before = view.image.value
    view.step.value = 3
    assert view.image.value != before
    assert visible_numbers(view.output_cells) == ["9", "8", "6", "5"]
    assert view.window.get_xy() == (1.5, 1.5) and view.winner.get_xy() == (2.5, 1.5)
    view.play.value = 1  # Play drives the same step
    assert visible_numbers(view.output_cells) == ["9", "8"]


def test_mode_window_and_stride_controls():
    view = PoolingAnimator(step=3)
    view.mode.value = "average"
    assert visible_numbers(view.output_cells) == ["4.25", "4", "3.5", "3"]
    assert not view.winner.get_visible()
    view.pool_size.value = 3  # stride follows the window by default
    assert view.stride.value == 3 and view.state["output_shape"] == (1, 1)
    view.stride_is_pool.value = False
    view.stride.value = 1
    assert view.state["output_shape"] == (2, 2) and view.step.max == 3
    assert "= 2" in view.ax_out.get_xlabel()
    view.padding.value = "same"
    assert view.state["output_shape"] == (4, 4) and view.border.get_visible()


def test_extreme_settings_do_not_raise():
    view = PoolingAnimator()
    view.pool_size.value = view.pool_size.max  # window as large as the map: one output
    assert view.state["output_shape"] == (1, 1) and view.state["value"] == 9
    view.stride_is_pool.value = False
    view.stride.value = view.stride.max  # stride larger than the map
    assert view.state["output_shape"] == (1, 1)
    view.pool_size.value = 1
    assert view.state["output_shape"] == (1, 1)
    small = PoolingAnimator(np.ones((1, 3)), pool_size=2)  # 2x2 does not fit 1 row
    assert small.state is None and "larger than the input" in small.describe()
    assert small.message_text.get_visible()
    small.padding.value = "same"
    assert small.state["output_shape"] == (1, 2)


def test_large_map_is_drawn_without_numbers():
    view = PoolingAnimator(np.arange(26 * 26.0).reshape(26, 26))
    view.step.value = 168
    assert view.state["output_shape"] == (13, 13)
    assert visible_numbers(view.input_cells) == [] and visible_numbers(view.output_cells) == []
    np.testing.assert_array_equal(np.ma.filled(view.output_cells.image.get_array(), np.nan),
                                  ops_map(view.source, 2, None, "valid", "max"))


def test_input_ticks_stay_in_feature_map_coordinates_with_padding():
    view = PoolingAnimator(feature_map=np.arange(9.0).reshape(3, 3))
    view.padding.value = "same"                       # 2x2 window, stride 2: one empty cell after
    assert view.state["pads"] == ((0, 1), (0, 1))
    assert list(view.ax_in.get_xticks()) == [0, 2] and view.ax_in.get_xlim() == (-0.5, 3.5)
    assert [t.get_text() for t in view.ax_in.get_yticklabels()] == ["0", "2"]


def test_animator_uses_the_course_figures_colour_map():
    assert PoolingAnimator().input_cells.image.get_cmap().name.startswith("cividis")


def test_numbers_and_formula_on_an_8x8_patch_are_readable():
    """Chapter 11 animates an 8x8 patch: its cell numbers must be at least 8 pixels tall in the
    picture and the output-size formula at least 11 (at 80 dpi they were about 7 and 10)."""
    view = PoolingAnimator(feature_map=np.arange(64.0).reshape(8, 8) / 10, stride=2)
    pixels = lambda text: text.get_fontsize() * view.figure.dpi / 72
    shown = [text for text in view.input_cells.texts if text.get_visible()]
    assert len(shown) == 64 and min(map(pixels, shown)) >= 8
    assert pixels(view.ax_out.xaxis.label) >= 11
