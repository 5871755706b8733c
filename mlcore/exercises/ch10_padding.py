"""Exercises for chapter 10: the output-size formula, 'same' padding for a non-square filter
and stride, padding for an exact fit, a two-layer model."""
import math

from ..layers import Conv2D
from ..model import Sequential
from ..ops import conv_output_size, same_padding
from .prediction import Prediction
from .questions import Case, Function, Mistake, Multipart, Value

TITLE = "Padding"


def output_size(n, f, p=0, s=1):
    """The engine's output-size formula."""
    return conv_output_size(n, f, p, s)


def _model(second_padding="same", first_padding="valid"):
    return Sequential([Conv2D(8, kernel_size=5, padding=first_padding, input_shape=(32, 32, 3)),
                       Conv2D(16, kernel_size=4, strides=2, padding=second_padding)])


def _shapes(**paddings):
    return [tuple(layer.output_shape) for layer in _model(**paddings).layers]


def _non_square(stride_h=2):
    """Output (h, w) and zeros ((top, bottom), (left, right)) of a (5, 3) 'same' filter on 28x20."""
    strides = (stride_h, 1)
    pads = tuple(same_padding(n, f, s) for n, f, s in zip((28, 20), (5, 3), strides))
    outputs = tuple((n + before + after - f) // s + 1
                    for n, f, s, (before, after) in zip((28, 20), (5, 3), strides, pads))
    return outputs, pads


def _exact_fit(n=32, f=4, s=3):
    """The smallest p with (n + 2p - f) / s whole, and the output size it gives."""
    p = next(p for p in range(f) if (n + 2 * p - f) % s == 0)
    return p, conv_output_size(n, f, p, s)


def questions():
    return [
        Function(
            "Write output_size",
            "Write output_size(n, f, p, s): how many positions an f-wide window takes on n "
            "pixels with p zeros added on each side and stride s (an int).",
            "output_size", output_size,
            cases=[Case(28, 3, 0, 1), Case(4, 3, 0, 1), Case(20, 3, 1, 1), Case(28, 4, 1, 2),
                   Case(7, 3, 0, 2), Case(32, 5, 2, 3), Case(10, 3, 0, 2), Case(11, 3, 0, 3)],
            mistakes=[Mistake("off by one: the window fits n + 2p - f + 1 times at stride 1 "
                              "(a 3-wide window on 4 pixels fits twice).",
                              value=lambda n, f, p, s: (n + 2 * p - f) // s),
                      Mistake("the zeros go on each side, so the padded width is n + 2p.",
                              value=lambda n, f, p, s: (n + p - f) // s + 1),
                      Mistake("the result must be a whole number of positions: round down with //.",
                              value=lambda n, f, p, s: (n + 2 * p - f) / s + 1),
                      Mistake("you round up (ceil): a last step that does not fit is not taken, "
                              "so round down.",
                              value=lambda n, f, p, s: math.ceil((n + 2 * p - f) / s) + 1),
                      Mistake("you round to the nearest whole number: with n=10, f=3, s=2 the "
                              "window starts at 0, 2, 4, 6 only; a start at 8 would need column 10.",
                              value=lambda n, f, p, s: round((n + 2 * p - f) / s) + 1),
                      Mistake("you divide the stride-1 count n + 2p - f + 1 by s: count the jumps "
                              "of the window's left edge instead, then add the first position.",
                              value=lambda n, f, p, s: (n + 2 * p - f + 1) // s)],
            hints=["At stride 1 the answer is n + 2p - f + 1. Try n=7, f=3, s=2 on paper: at "
                   "which columns can the window's left edge sit?",
                   "The left edge sits at 0, s, 2s, ... and the window must end inside the n + 2p "
                   "columns. How many jumps fit, and what do you do with a jump that only partly fits?"],
            solution="floor((n + 2p - f) / s) + 1; integer division // does the floor.",
            solution_code="def output_size(n, f, p, s):\n    return (n + 2 * p - f) // s + 1",
            solution_name="output_size",
        ),
        Multipart(
            "A filter that is not square",
            "A 28x20 image (28 rows, 20 columns) goes through Conv2D(4, kernel_size=(5, 3), "
            "strides=(2, 1), padding='same'): 5 rows by 3 columns, stride 2 down and 1 across.\n"
            "(a) the output's (rows, columns); (b) the zeros added as "
            "((top, bottom), (left, right)).",
            {"a": Value("output size", "the output's (rows, columns)", lambda: _non_square()[0],
                        mistakes=[Mistake("'same' keeps the size only at stride 1; with stride 2 "
                                          "down there is one output row for every 2 input rows.",
                                          value=(28, 20)),
                                  Mistake("the stride (2, 1) is (down, across): the rows are "
                                          "halved, not the columns.", value=(28, 10))]),
             "b": Value("zeros", "the zeros ((top, bottom), (left, right))",
                        lambda: _non_square()[1],
                        mistakes=[Mistake("an odd total puts the extra zero after the image "
                                          "(bottom, right), not before.",
                                          value=((2, 1), (1, 1))),
                                  Mistake("at stride 2 the last window need not reach as far as "
                                          "at stride 1: work out the zeros from ceil(28 / 2) "
                                          "outputs.", value=((2, 2), (1, 1))),
                                  Mistake("each axis has its own filter size: 5 down, 3 across.",
                                          value=((1, 2), (1, 2)))])},
            hints=["Treat the two axes separately: rows with n=28, f=5, s=2; columns with n=20, "
                   "f=3, s=1.",
                   "'same' first fixes the number of outputs per axis; then ask where the last "
                   "window must end, and how far past the image that is."],
            solution="Rows: ceil(28 / 2) = 14 outputs; the last window starts at 13*2 = 26 and "
                     "needs rows 26..30, 3 past the image: 1 zero on top, 2 below. Columns: 20 "
                     "outputs, f - 1 = 2 zeros, 1 each side. (14, 20) and ((1, 2), (1, 1)).",
            solution_code="answers = ((14, 20), ((1, 2), (1, 1)))",
            solution_name="answers",
        ),
        Value(
            "Padding for an exact fit",
            "A 32x32 image, a 4x4 filter, stride 3. With no padding (32 - 4) / 3 is not whole: "
            "the last jump does not fit and columns are left unread. What is the smallest number "
            "p of zeros on each side for which (32 + 2p - 4) / 3 is whole, and how large is the "
            "output then? Answer (p, output size).",
            _exact_fit,
            mistakes=[Mistake("with p = 0, (32 - 4) / 3 = 9.33 is not whole: that is the bad fit "
                              "the question asks you to repair.", value=lambda: (0, 10)),
                      Mistake("the output size is the number of jumps plus 1, for the first "
                              "position.", value=lambda: (_exact_fit()[0], _exact_fit()[1] - 1)),
                      Mistake("(f - 1) / 2 is the 'same' padding at stride 1; here you need "
                              "32 + 2p - 4 to be a multiple of 3, with p a whole number.",
                              when=lambda a: float(list(a)[0]) == 1.5, example=(1.5, 11)),
                      Mistake("a smaller p already makes 32 + 2p - 4 a multiple of 3.",
                              value=lambda: (4, 13))],
            hints=["Try p = 0, 1, 2 in turn and compute 32 + 2p - 4 each time.",
                   "You want 32 + 2p - 4 to be a multiple of 3; then the output is that "
                   "divided by 3, plus 1."],
            solution="32 + 2*1 - 4 = 30 = 3*10, so p = 1 and the output is 10 + 1 = 11.",
            solution_code="fit = (1, 11)",
            solution_name="fit",
        ),
        Multipart(
            "Two convolutions",
            "A 32x32 RGB image goes through Conv2D(8, kernel_size=5, padding='valid') and then "
            "Conv2D(16, kernel_size=4, strides=2, padding='same').\n"
            "(a) the two output shapes, one image each, channels last, no batch axis, as a list "
            "[(h, w, c), (h, w, c)]; (b) the two parameter counts as a list [n1, n2].",
            {"a": Value("output shapes", "the output shapes", _shapes,
                        mistakes=[Mistake("the second layer is 'same': at stride 2 it keeps "
                                          "ceil(28 / 2) rows, it does not shrink by the filter.",
                                          value=lambda: _shapes(second_padding="valid")),
                                  Mistake("'same' keeps the size only at stride 1: the second "
                                          "layer's stride 2 still halves it.",
                                          value=lambda: [_shapes()[0], (28, 28, 16)]),
                                  Mistake("the first layer is 'valid': a 5x5 filter on 32 pixels "
                                          "fits 32 - 5 + 1 times.",
                                          value=lambda: _shapes(first_padding="same")),
                                  Mistake("leave out the batch axis (None): give each shape as "
                                          "(h, w, c) for one image.",
                                          when=lambda a: all(len(s) == 4 for s in a),
                                          example=[(None, 28, 28, 8), (None, 14, 14, 16)]),
                                  Mistake("Keras (and mlcore) put the channels last: (h, w, c), "
                                          "not PyTorch's (c, h, w).",
                                          when=lambda a: [tuple(s) for s in a] ==
                                          [s[2:] + s[:2] for s in _shapes()],
                                          example=[(8, 28, 28), (16, 14, 14)])]),
             "b": Value("parameters", "the parameter counts",
                        lambda: [layer.count_params() for layer in _model().layers],
                        mistakes=[Mistake("each filter has a bias too.",
                                          value=[5 * 5 * 3 * 8, 4 * 4 * 8 * 16]),
                                  Mistake("a filter spans all input channels, f * f * C_in "
                                          "weights: C_in = 3 for the image and C_in = 8 for the "
                                          "second layer.",
                                          value=[5 * 5 * 8 + 8, 4 * 4 * 16 + 16]),
                                  Mistake("the second layer's input is the first layer's output: "
                                          "its filters span those 8 channels (C_in = 8), not the "
                                          "image's 3 colours.",
                                          when=lambda b: list(b)[1] == 4 * 4 * 3 * 16 + 16,
                                          example=[608, 4 * 4 * 3 * 16 + 16]),
                                  Mistake("14 * 14 * 16 is how many numbers the second layer "
                                          "outputs, not how many parameters it has: a filter's "
                                          "weights do not depend on the image size.",
                                          when=lambda b: list(b)[1] == 14 * 14 * 16,
                                          example=[608, 14 * 14 * 16])])},
            hints=["'same' with stride s gives ceil(n / s) pixels.",
                   "Parameters of a Conv2D: f * f * C_in * C_out + C_out."],
            solution=f"(a) 32 - 5 + 1 = 28 -> (28, 28, 8); ceil(28 / 2) = {math.ceil(28 / 2)} -> "
                     f"(14, 14, 16). (b) 5*5*3*8 + 8 = 608 and 4*4*8*16 + 16 = 2064.",
            solution_code="answers = ([(28, 28, 8), (14, 14, 16)], [5 * 5 * 3 * 8 + 8, 4 * 4 * 8 * 16 + 16])",
            solution_name="answers",
        ),
    ]


def predictions():
    return [
        Prediction(
            "How many 3x3 layers fit",
            "Stack 'valid' 3x3 convolutions on a 28x28 image, one after another. How many layers "
            "produce an output before the image is too small for the next filter?",
            kind="number", tolerance=0, bounds=(0, None),
            explain="Each layer takes one pixel off every side, 2 off the width: 28, 26, ..., 4, 2. "
                    "Thirteen steps of 2 take 28 down to 2, and a 3x3 filter does not fit on 2x2.",
        ),
        Prediction(
            "A flat image at the border",
            "A uniform grey 6x6 image (every pixel 0.5) goes through the top-edge filter "
            "(row weights -1, +1, 0 from top to bottom) with padding='same'. What is the output "
            "in the middle of the top row?",
            kind="number", tolerance=0.01,
            explain=lambda value: f"The window's top row lies on the zeros, so it adds nothing; "
                                  f"its middle row adds 3 x 0.5. The output is {value:g} where a flat "
                                  f"image should give 0: the zero border reads as an edge.",
        ),
        Prediction(
            "A 4x4 filter on a 4x4 image",
            "In the animator, set the filter size to 4 under 'valid'. How many output pixels are "
            "left?",
            kind="number", tolerance=0, bounds=(0, 16),
            explain="The window is as large as the image: it fits in exactly one place, "
                    "4 - 4 + 1 = 1 per axis.",
        ),
        Prediction(
            "Zeros for an even filter",
            "Switch the 4x4 filter to 'same'. How many columns of zeros does the animator add on "
            "the right of the image?",
            kind="number", tolerance=0, bounds=(0, 3),
            explain="To keep 4 columns the padded row must hold 4 + 4 - 1 = 7 columns: 3 zeros. "
                    "Three do not split evenly; the odd one goes after the image, so 1 on the left "
                    "and 2 on the right (the same for top and bottom).",
        ),
        Prediction(
            "Zeros for a stride, left",
            "Back to the 3x3 filter, still 'same', stride 2. How many columns of zeros on the left?",
            kind="number", tolerance=0, bounds=(0, 2),
            explain="'same' at stride 2 asks for ceil(4 / 2) = 2 outputs per row. The second window "
                    "starts at column 2 and needs columns 2 to 4: one column past the image. One "
                    "zero in total, and the odd one goes on the right: none on the left.",
        ),
        Prediction(
            "Zeros for a stride, right",
            "Same setting: how many columns of zeros on the right?",
            kind="number", tolerance=0, bounds=(0, 2),
            explain="The second window needs column 4, one past the image's last column 3: one "
                    "zero on the right. At stride 1 the same filter needed one on each side.",
        ),
    ]
