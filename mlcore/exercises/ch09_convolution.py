"""Exercises for chapter 09: filters, feature maps, and the shape of a Conv2D layer."""
import numpy as np

from ..layers import Conv2D
from ..model import Sequential
from ..ops import conv2d_forward
from ..widgets.convolution import EDGE_FILTERS
from .prediction import Prediction
from .questions import Array, Case, Function, Mistake, Multipart, Value

TITLE = "Convolution"

# A 5x5 image with a bright horizontal bar on rows 2-3: the top-edge filter lights its upper rim.
BAR = np.array([[0, 0, 0, 0, 0],
                [0, 0, 0, 0, 0],
                [1, 1, 1, 1, 1],
                [1, 1, 1, 1, 1],
                [0, 0, 0, 0, 0]], dtype=float)


DATA = {"bar": BAR}


def _rgb_layer():
    layer = Conv2D(6, 5, input_shape=(32, 32, 3))
    Sequential([layer])
    return layer


def _correlate(image, kernel, padding="valid"):
    """One 2-D image with one 2-D filter through the engine's convolution."""
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    return conv2d_forward(image[None, :, :, None], kernel[:, :, None, None], padding=padding)[0, :, :, 0]


def _top_edge():
    return np.array(EDGE_FILTERS["top edge"], dtype=float)


def conv2d_valid_flipped(image, kernel):
    return _correlate(image, np.rot90(kernel, 2))


def conv2d_valid_transposed(image, kernel):
    return _correlate(image, kernel).T


def questions():
    layer_part = dict(
        a=Value("Kernel shape", "The shape of the layer's kernel, as mlcore (and Keras) stores it.",
                lambda: tuple(_rgb_layer().params["kernel"].shape),
                mistakes=[Mistake("a filter spans all input channels: an RGB image has 3.",
                                  value=(5, 5, 6)),
                          Mistake("that is PyTorch's order (out, in, h, w); mlcore and Keras store "
                                  "(k_h, k_w, C_in, C_out).", value=(6, 3, 5, 5))]),
        b=Value("Output shape", "The output shape of one image, (height, width, channels).",
                lambda: tuple(_rgb_layer().output_shape),
                mistakes=[Mistake("that is the input size: with 'valid' padding a 5x5 filter fits "
                                  "fewer times than the image is wide.", value=(32, 32, 6)),
                          Mistake("off by one: an f-wide filter fits n - f + 1 times, not n - f.",
                                  value=(27, 27, 6)),
                          Mistake("the output has one channel per filter, not per input channel.",
                                  when=lambda a: tuple(a)[-1] == 3, example=(28, 28, 3))]),
        c=Value("Parameters", "Its number of learnable parameters.",
                lambda: _rgb_layer().count_params(),
                mistakes=[Mistake("those are the weights only: each filter also has one bias.",
                                  value=5 * 5 * 3 * 6),
                          Mistake("each filter spans the 3 input channels: 5 x 5 x 3 weights per "
                                  "filter.", value=5 * 5 * 6 + 6),
                          Mistake("one bias per filter, not one per weight.",
                                  value=2 * 5 * 5 * 3 * 6)]),
    )
    return [
        Multipart(
            "A Conv2D layer on RGB images",
            "Conv2D(6, kernel_size=5) gets 32x32 RGB images ('valid' padding, stride 1).\n"
            "(a) the kernel's shape, (b) the output shape, (c) the number of parameters.",
            layer_part,
            hints=["A filter spans every input channel; there is one filter per output channel, "
                   "and each has one bias.",
                   "Along each axis, an f-wide window fits n - f + 1 times into n pixels."],
            solution="The kernel is (5, 5, 3, 6): 5x5 over the 3 input channels, 6 filters. "
                     "32 - 5 + 1 = 28, so the output is (28, 28, 6). Parameters: 5*5*3*6 weights "
                     "plus 6 biases = 456.",
            solution_code="kernel_shape, output_shape, n_params = (5, 5, 3, 6), (28, 28, 6), "
                          "5 * 5 * 3 * 6 + 6\nanswer = (kernel_shape, output_shape, n_params)",
            solution_name="answer",
        ),
        Array(
            "The top-edge filter on a bar",
            "The 5x5 image ex.data['bar'] is "
            "dark with a bright horizontal bar on rows 2 and 3.\nSlide the course's top-edge "
            "filter [[-1, -1, -1], [1, 1, 1], [0, 0, 0]] over it as a Conv2D layer does "
            "('valid', no bias) and give the whole feature map as an array.",
            lambda: _correlate(BAR, _top_edge()),
            mistakes=[Mistake("you flipped the filter (a mathematical convolution). Deep-learning "
                              "'convolution' slides the filter as it is: cross-correlation.",
                              value=lambda: _correlate(BAR, np.rot90(_top_edge(), 2))),
                      Mistake("that is the 'same'-padded map; a Conv2D layer pads nothing by "
                              "default ('valid').", value=lambda: _correlate(BAR, _top_edge(), "same")),
                      Mistake("rows and columns are swapped: output pixel (i, j) comes from the "
                              "window whose top-left corner is image pixel (i, j).",
                              value=lambda: _correlate(BAR, _top_edge()).T),
                      Mistake("a 5x5 map is the 'same'-padded size; a Conv2D layer pads nothing by "
                              "default, so a 3x3 filter fits 5 - 3 + 1 times each way.",
                              when=lambda a: np.shape(a) == BAR.shape, example=np.zeros((5, 5)))],
            hints=["A 3x3 filter on a 5x5 image fits 3 times each way: the map is 3x3.",
                   "Output (i, j) = sum of bar[i:i+3, j:j+3] * filter. Rows of the map are "
                   "identical here, because every row of the bar is."],
            solution="Each output pixel is the sum of the element-wise products of the filter and "
                     "the 3x3 window under it. The window starting on row 1 has dark above bright, "
                     "which the filter rewards (3); on row 0 it sees dark, dark, bright (0); on row "
                     "2 it sees bright, bright, dark (0).",
            solution_code="bar = ex.data['bar']\n"
                          "top = np.array([[-1, -1, -1], [1, 1, 1], [0, 0, 0]])\n"
                          "feature_map = np.array([[np.sum(bar[i:i + 3, j:j + 3] * top) "
                          "for j in range(3)] for i in range(3)])",
            solution_name="feature_map",
        ),
        Function(
            "Write conv2d_valid",
            "Write conv2d_valid(image, kernel) for one 2-D image (H, W) and one 2-D filter "
            "(f_h, f_w): the 'valid' feature map of shape (H - f_h + 1, W - f_w + 1), "
            "computed as the sum of element-wise products at each position (no flip, no bias).",
            "conv2d_valid", _correlate,
            cases=[Case(BAR, np.array(EDGE_FILTERS["top edge"], dtype=float)),
                   Case(np.arange(16.0).reshape(4, 4), np.array([[1.0, 2.0], [3.0, 4.0]])),
                   Case(np.arange(20.0).reshape(4, 5) % 7, np.array([[1.0, 0.0, -1.0]])),
                   Case(np.eye(6) * 2 - 1, np.array([[0.5, -1.0, 0.0], [2.0, 1.0, -0.5],
                                                     [0.0, 0.0, 1.0]]))],
            mistakes=[Mistake("it matches a flipped filter: that is mathematical convolution. "
                              "Slide the filter as it is.", value=conv2d_valid_flipped),
                      Mistake("rows and columns are swapped: out[i, j] comes from "
                              "image[i:i+f_h, j:j+f_w].", value=conv2d_valid_transposed)],
            hints=["Make the output np.zeros((H - f_h + 1, W - f_w + 1)) and fill it with two loops.",
                   "The window under output (i, j) starts at row i and column j and is as large as "
                   "the kernel: multiply it by the kernel element by element and add up."],
            solution="Two loops over output positions; at each, the sum of the element-wise "
                     "products of the window and the filter.",
            solution_code="def conv2d_valid(image, kernel):\n"
                          "    f_h, f_w = kernel.shape\n"
                          "    out = np.zeros((image.shape[0] - f_h + 1, image.shape[1] - f_w + 1))\n"
                          "    for i in range(out.shape[0]):\n"
                          "        for j in range(out.shape[1]):\n"
                          "            out[i, j] = np.sum(image[i:i + f_h, j:j + f_w] * kernel)\n"
                          "    return out",
            solution_name="conv2d_valid",
        ),
    ]


WALL_BORDER = "wall border"     # the red wall's left border
STEM_LEFT = "stem left side"    # the left side of the 7's stem, just below the bar


def predictions():
    return [
        Prediction(
            "Where the colour filter fires",
            "The filter's red slice is the left-edge filter, its green slice the same with the sign "
            "flipped, its blue slice zero. Where on the picture is its single strongest output: the sun's left rim ('sun'), the red wall's left "
            "border ('wall border'), the blue door ('door') or the white window ('window')?",
            kind="choice", options=["sun", WALL_BORDER, "door", "window"],
            explain="Red rising from left to right counts, green rising counts against. The sun and the "
                    "window are bright in green as well as red, so there the two slices cancel; the red "
                    "wall has almost no green, so where it begins (its left border, read left to right) "
                    "nothing cancels.",
        ),
        Prediction(
            "The strongest conv1 map on the 7",
            "Which of the 8 conv1 maps (0 to 7) holds the strongest response anywhere on this 7?",
            kind="choice", options=list(range(8)),
            explain="Map 7: its brightest pixel's window sits on the underside of the 7's bar, where the "
                    "stem leaves it, with ink along its top rows and background in its lower left. That is "
                    "filter 7's layout in section 7 (blue along the top, red in the lower left): it detects "
                    "the lower edge of a horizontal or slanted stroke. A learned filter is not a clean edge "
                    "filter: the other maps respond too, more weakly, wherever part of their pattern appears.",
        ),
        Prediction(
            "Where the left-edge filter fires on the 7",
            "With the left-edge filter, which part of the 7 is under the window at the step where the "
            "output is largest: 'bar top', 'bar underside', 'stem left side' or 'stem right side'?",
            kind="choice", options=["bar top", "bar underside", STEM_LEFT, "stem right side"],
            explain="The left-edge filter wants background in the window's left column and ink in its "
                    "middle one, along all three rows: the left side of a stroke that runs up and down. "
                    "On this 7 the strongest such place is the top of the stem, just below the bar.",
        ),
    ]
