"""ConvolutionAnimator: the state against hand values and mlcore.ops, the view driven by its controls."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from mlcore.ops import conv2d_forward, conv2d_forward_naive, conv_output_size
from mlcore.widgets.convolution import (EDGE_FILTERS, ConvolutionAnimator, convolution_step,
                                        default_seven)
from mlcore.widgets.base.sliding_window import output_size_text

TOP_EDGE = np.array(EDGE_FILTERS["top edge"], dtype=float)


def ops_map(image, kernel, stride, padding):
    return conv2d_forward_naive(image[None, :, :, None], kernel[:, :, None, None],
                                stride=stride, padding=padding)[0, :, :, 0]


def test_hand_computed_4x4_example():
    # The course's 4x4 input with a 3x3 filter gives a 2x2 output (n - f + 1 = 2).
    image = np.arange(16, dtype=float).reshape(4, 4)
    kernel = np.array([[1, 0, -1], [0, 2, 0], [-1, 0, 1]], dtype=float)
    state = convolution_step(image, kernel, step=1)
    assert state["output_shape"] == (2, 2)
    assert state["window"] == (0, 1) and state["pixel"] == (0, 1)
    np.testing.assert_array_equal(state["patch"], [[1, 2, 3], [5, 6, 7], [9, 10, 11]])
    # 1*1 - 3 + 2*6 - 9 + 11 = 12
    np.testing.assert_array_equal(state["products"], [[1, 0, -3], [0, 12, 0], [-9, 0, 11]])
    assert state["value"] == 12.0
    assert np.isnan(state["output_so_far"][1]).all()
    assert state["output_so_far"][0, 1] == 12.0


@pytest.mark.parametrize("stride, padding, size", [
    (1, "valid", 3), (2, "valid", 3), (1, "same", 3), (2, "same", 3),
    (3, "same", 5), (2, "same", 4), (1, "valid", 1), (4, "valid", 2),
])
def test_every_step_equals_ops_conv_at_that_pixel(stride, padding, size):
    rng = np.random.default_rng(size * 10 + stride)
    image = rng.normal(size=(9, 11))
    kernel = rng.normal(size=(size, size))
    expected = ops_map(image, kernel, stride, padding)
    rows, cols = expected.shape
    for step in range(rows * cols):
        state = convolution_step(image, kernel, stride, padding, step)
        i, j = divmod(step, cols)
        assert state["pixel"] == (i, j)
        assert state["value"] == pytest.approx(expected[i, j], abs=1e-12)
        assert np.isfinite(state["output_so_far"].flat[:step + 1]).all()
        assert np.isnan(state["output_so_far"].flat[step + 1:]).all()
    np.testing.assert_allclose(state["output_so_far"], expected, atol=1e-12)
    np.testing.assert_allclose(state["output"], conv2d_forward(
        image[None, :, :, None], kernel[:, :, None, None], stride=stride,
        padding=padding)[0, :, :, 0], atol=1e-12)


def test_same_padding_border_follows_tensorflow():
    # 'same', n=5, f=4, s=1: 3 zeros in total, 1 before and 2 after (TensorFlow's rule).
    state = convolution_step(np.ones((5, 5)), np.ones((4, 4)), 1, "same", 0)
    assert state["pads"] == ((1, 2), (1, 2))
    assert state["padded"].shape == (8, 8)
    assert state["output_shape"] == (5, 5)
    assert state["padded"][0].sum() == 0 and state["padded"][-2:].sum() == 0
    assert state["value"] == 9.0  # the first window covers 3x3 real ones


def test_is_padding_marks_exactly_the_added_zeros():
    state = convolution_step(np.arange(1.0, 17.0).reshape(4, 4), np.ones((4, 4)), 1, "same", 0)
    expected = np.ones((7, 7), bool)
    expected[1:5, 1:5] = False  # 'same' with a 4x4 filter: 1 zero before, 2 after
    np.testing.assert_array_equal(state["is_padding"], expected)
    assert not convolution_step(np.ones((4, 4)), np.ones((3, 3)), 1, "valid", 0)["is_padding"].any()


def rendered_rgb(view, ax, row, col):
    """The colour the figure shows at data point (col, row) of ``ax``."""
    view.figure.canvas.draw()
    pixels = np.asarray(view.figure.canvas.buffer_rgba())
    x, y = ax.transData.transform((col, row))
    return pixels[int(pixels.shape[0] - y), int(x), :3].astype(int)


def test_padding_zeros_are_not_drawn_like_dark_pixels():
    # Pixel value 1 (the darkest of 1..16) and a padding zero used to share near-black.
    view = ConvolutionAnimator(image=np.arange(1.0, 17.0).reshape(4, 4), kernel=np.ones((3, 3)),
                               padding="same")
    darkest = rendered_rgb(view, view.ax_in, 1, 1)
    padding = [rendered_rgb(view, view.ax_in, r, c) for r, c in ((0, 0), (3, 0), (5, 5))]
    assert darkest.max() < 40                      # the image's darkest pixel is near-black
    for colour in padding:
        assert np.abs(colour - darkest).max() > 100, colour
    assert "top 1, bottom 1, left 1, right 1" in view.ax_in.get_title()
    view.padding.value = "valid"
    assert view.ax_in.get_title() == "input 4×4, no padding"


def test_course_seven_shrinks_to_26():
    seven = default_seven()
    assert seven.shape == (28, 28) and 0 <= seven.min() and seven.max() <= 1
    state = convolution_step(seven, TOP_EDGE, 1, "valid", 0)
    assert state["output_shape"] == (26, 26) == (conv_output_size(28, 3),) * 2
    assert convolution_step(seven, TOP_EDGE, 1, "same", 0)["output_shape"] == (28, 28)


def test_output_size_text():
    assert output_size_text(28, 3, 1, (0, 0)).endswith("= 26")
    assert "2·1" in output_size_text(28, 3, 1, (1, 1))
    assert output_size_text(28, 5, 2, (1, 2)) == "⌊(28 + 1+2 − 5) / 2⌋ + 1 = 14"


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="convolution_step: image must have shape"):
        convolution_step(np.ones((4, 4, 3)), TOP_EDGE)
    with pytest.raises(ValueError, match="convolution_step.*larger than the input"):
        convolution_step(np.ones((2, 2)), TOP_EDGE)
    with pytest.raises(ValueError, match="convolution_step: step must be"):
        convolution_step(np.ones((4, 4)), TOP_EDGE, step=4)
    with pytest.raises(ValueError, match="convolution_step: padding must be one of"):
        convolution_step(np.ones((4, 4)), TOP_EDGE, padding="full")


# -- the view ------------------------------------------------------------------
@pytest.fixture(scope="module")
def seven():
    return default_seven()


def test_view_defaults_are_the_course_seven_and_top_edge(seven):
    view = ConvolutionAnimator()
    np.testing.assert_array_equal(view.source, seven)
    np.testing.assert_array_equal(view.kernel, TOP_EDGE)
    assert view.preset.value == "top edge"
    assert view.step.max == 26 * 26 - 1
    assert view.image.value[:4] == b"\x89PNG"
    assert "26x26 output" in view.describe()


def test_step_moves_window_and_fills_output(seven):
    view = ConvolutionAnimator(image=seven)
    before = view.image.value
    view.step.value = 30  # output pixel (1, 4)
    assert view.image.value != before
    assert view.window.get_xy() == (3.5, 0.5)
    assert view.pixel.get_xy() == (3.5, 0.5)
    data = np.ma.filled(view.output_image.get_array(), np.nan)
    assert np.isfinite(data.flat[:31]).all() and np.isnan(data.flat[31:]).all()
    expected = ops_map(seven, TOP_EDGE, 1, "valid")[1, 4]
    assert f"{expected:.2f}" in view.sum_text.get_text()
    assert "output[1, 4]" in view.sum_text.get_text()
    shown = [t.get_text() for t in view.product_cells.texts if t.get_visible()]
    assert len(shown) == 9


def test_play_is_linked_to_the_step(seven):
    view = ConvolutionAnimator(image=seven)
    view.play.value = 5
    assert view.step.value == 5 and view.state["pixel"] == (0, 5)


def test_editing_a_filter_value_recomputes(seven):
    view = ConvolutionAnimator(image=seven, step=200)
    before_png, before_output = view.image.value, view.state["output"].copy()
    view.kernel_inputs[4].value = 3.0  # centre weight 1 -> 3
    kernel = TOP_EDGE.copy()
    kernel[1, 1] = 3.0
    np.testing.assert_array_equal(view.kernel, kernel)
    assert view.preset.value == "custom"
    assert view.image.value != before_png
    np.testing.assert_allclose(view.state["output"], ops_map(seven, kernel, 1, "valid"))
    assert not np.allclose(view.state["output"], before_output)
    assert view.step.value == 200  # the window stays where it was
    view.preset.value = "left edge"
    np.testing.assert_array_equal(view.kernel, EDGE_FILTERS["left edge"])
    assert [box.value for box in view.kernel_inputs] == list(np.ravel(EDGE_FILTERS["left edge"]))


def test_stride_padding_and_kernel_size_change_geometry(seven):
    view = ConvolutionAnimator(image=seven)
    view.padding.value = "same"
    assert view.step.max == 28 * 28 - 1
    assert view.border.get_visible() and view.input_image.get_array().shape == (30, 30)
    view.stride.value = 2
    assert view.state["output_shape"] == (14, 14) and view.step.max == 195
    assert "= 14" in view.ax_out.get_xlabel()
    view.kernel_size.value = 5  # the 3x3 values stay, centred in a 5x5 grid
    assert view.kernel.shape == (5, 5) and len(view.kernel_inputs) == 25
    np.testing.assert_array_equal(view.kernel[1:4, 1:4], TOP_EDGE)
    assert view.kernel[0].sum() == 0 and view.state["pads"] == ((1, 2), (1, 2))
    view.padding.value = "valid"
    assert view.state["output_shape"] == (12, 12)
    view.kernel_size.value = 1
    assert view.kernel.shape == (1, 1) and view.kernel[0, 0] == 1.0
    assert view.state["output_shape"] == (14, 14)


def test_extreme_settings_do_not_raise(seven):
    view = ConvolutionAnimator(image=seven)
    view.stride.value = view.stride.max  # stride larger than the image: one output pixel
    assert view.state["output_shape"] == (1, 1) and view.step.max == 0
    view.kernel_size.value = 1
    view.kernel_size.value = 7
    view.kernel_inputs[0].value = 1e300  # clamped to the input box's bound, no overflow
    assert view.kernel[0, 0] == 1000.0 and np.isfinite(view.state["output"]).all()
    small = ConvolutionAnimator(image=np.ones((4, 4)))
    small.kernel_size.value = 7  # larger than the 4x4 image under 'valid'
    assert small.state is None and "larger than the input" in small.describe()
    assert small.message_text.get_visible() and small.step.max == 0
    small.padding.value = "same"  # with zeros around, the 7x7 window fits again
    assert small.state["output_shape"] == (4, 4) and not small.message_text.get_visible()


def test_bad_arguments_raise_clearly():
    with pytest.raises(ValueError, match="ConvolutionAnimator: kernel must be square"):
        ConvolutionAnimator(image=np.ones((8, 8)), kernel=np.ones((2, 3)))
    with pytest.raises(ValueError, match="ConvolutionAnimator: image must have shape"):
        ConvolutionAnimator(image=np.ones((8, 8, 3)))
