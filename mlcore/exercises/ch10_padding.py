"""Exercises for chapter 10: the columns a stride never reads, 'same' padding for a non-square filter
and stride, padding for an exact fit, a two-layer model."""
import math

from ..layers import Conv2D
from ..model import Sequential
from ..ops import conv_output_size, same_padding
from .prediction import Prediction
from .questions import Case, Function, Mistake, Multipart, Value

TITLE = "Padding"


def unread_columns(n, f, s):
    """Columns at the right of an n-pixel row that no 'valid' window of width f, stride s reads."""
    return n - ((conv_output_size(n, f, 0, s) - 1) * s + f)


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


def _pairs(zeros):
    """True if ``zeros`` is written as two pairs, ((top, bottom), (left, right))."""
    return not isinstance(zeros, str) and len(zeros) == 2 and all(len(pair) == 2 for pair in zeros)


def _exact_fit(n=32, f=4, s=3):
    """The smallest p with (n + 2p - f) / s whole, and the output size it gives."""
    p = next(p for p in range(f) if (n + 2 * p - f) % s == 0)
    return p, conv_output_size(n, f, p, s)


def questions():
    return [
        Function(
            "Columns a stride never reads",
            "Write unread_columns(n, f, s): under padding='valid', an f-wide window jumps s "
            "columns at a time along an n-pixel row. How many columns at the right end does no "
            "window read (an int)? Section 5's figure has n=8, f=3: 1 at stride 2, 2 at stride 3.",
            "unread_columns", unread_columns,
            cases=[Case(8, 3, 2), Case(8, 3, 3), Case(7, 3, 2), Case(28, 3, 2), Case(224, 11, 4),
                   Case(227, 11, 4), Case(20, 5, 4), Case(5, 5, 1), Case(9, 2, 3)],
            mistakes=[Mistake("off by one: the last window starts at a multiple of s and ends "
                              "f - 1 columns later; on 8 pixels with f=3, s=3 it starts at 3 and "
                              "reads up to column 5.",
                              value=lambda n, f, s: (n - f + 1) % s),
                      Mistake("not always s - 1: when (n - f) / s is whole, the last window ends "
                              "on the last column (7 pixels, f=3, s=2: windows at 0, 2, 4).",
                              value=lambda n, f, s: s - 1),
                      Mistake("that counts the jumps; the unread columns are what is left over "
                              "after the last whole jump.",
                              value=lambda n, f, s: (n - f) // s),
                      Mistake("the windows overlap when s < f: the last one ends at "
                              "(number of jumps) * s + f, not at (number of windows) * f.",
                              value=lambda n, f, s: n - ((n - f) // s + 1) * f)],
            hints=["On paper: n=8, f=3, s=3. Where does the last window start, where does it end?",
                   "The last start is the largest multiple of s that is at most n - f; the columns "
                   "after its end are unread."],
            solution="The last window starts at floor((n - f) / s) * s and ends f - 1 columns "
                     "later, so n - f - floor((n - f) / s) * s columns are never read: the "
                     "remainder (n - f) % s. AlexNet's 224 pixels with f=11, s=4 leave 1; 227 "
                     "leave none.",
            solution_code="def unread_columns(n, f, s):\n    return (n - f) % s",
            solution_name="unread_columns",
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
                                          "halved, not the columns.", value=(28, 10)),
                                  Mistake("rows first, then columns: the image has 28 rows, so "
                                          "the stride 2 down acts on the 28.", value=(20, 14)),
                                  Mistake("that is 'valid' (no zeros): 'same' gives ceil(n / s) "
                                          "outputs per axis.", value=(12, 18)),
                                  Mistake("the columns are 'same' at stride 1 too: they keep all "
                                          "20.", value=(14, 18)),
                                  Mistake("the rows: 'same' at stride 2 gives one output for "
                                          "every 2 input rows, rounded up.",
                                          when=lambda a: len(a) == 2 and int(list(a)[0]) != 14,
                                          example=(13, 20)),
                                  Mistake("the columns: 'same' at stride 1 keeps their number.",
                                          when=lambda a: len(a) == 2 and int(list(a)[1]) != 20,
                                          example=(14, 19))]),
             "b": Value("zeros", "the zeros ((top, bottom), (left, right))",
                        lambda: _non_square()[1],
                        mistakes=[Mistake("an odd total puts the extra zero after the image "
                                          "(bottom, right), not before.",
                                          value=((2, 1), (1, 1))),
                                  Mistake("at stride 2 the last window need not reach as far as "
                                          "at stride 1: work out the zeros from ceil(28 / 2) "
                                          "outputs.", value=((2, 2), (1, 1))),
                                  Mistake("each axis has its own filter size: 5 down, 3 across.",
                                          value=((1, 2), (1, 2))),
                                  Mistake("the rows' zeros (top and bottom first), then the "
                                          "columns': you swapped the two pairs.",
                                          value=((1, 1), (1, 2))),
                                  Mistake("no zeros is 'valid'; 'same' adds what the last window "
                                          "needs beyond the image.", value=((0, 0), (0, 0))),
                                  Mistake("for the rows, the 5-tall filter at stride 2 needs 3 "
                                          "zeros in all (the last window starts at row 26 and "
                                          "ends at row 30), not 1.", value=((0, 1), (1, 1))),
                                  Mistake("the rows' zeros: find where the last of the 14 windows "
                                          "must end, and count the rows past the image; an odd "
                                          "total puts the extra zero at the bottom.",
                                          when=lambda b: _pairs(b) and tuple(map(int, list(b)[0])) != (1, 2),
                                          example=((1, 1), (1, 1))),
                                  Mistake("the columns' zeros: a 3-wide filter at stride 1 needs "
                                          "f - 1 zeros in all, split evenly.",
                                          when=lambda b: _pairs(b) and tuple(map(int, list(b)[1])) != (1, 1),
                                          example=((1, 2), (0, 1)))])},
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
            "A 32x32 image goes through a 4x4 filter at stride 3. Without padding the window "
            "leaves columns at the right unread (q1 counts them). You add p zeros on each side "
            "of the image. What is the smallest p for which the last window ends exactly on the "
            "last column of the padded image, and how large is the output then? Answer "
            "(p, output size).",
            _exact_fit,
            mistakes=[Mistake("with p = 0, (32 - 4) / 3 = 9.33 is not whole: that is the bad fit "
                              "the question asks you to repair.", value=lambda: (0, 10)),
                      Mistake("p counts the zeros on each side; you gave the total of both "
                              "sides.", value=lambda: (2 * _exact_fit()[0], _exact_fit()[1])),
                      Mistake("the order is (p, output size): you gave the two swapped.",
                              value=lambda: _exact_fit()[::-1]),
                      Mistake("the output size is the number of jumps plus 1, for the first "
                              "position.", value=lambda: (_exact_fit()[0], _exact_fit()[1] - 1)),
                      Mistake("(f - 1) / 2 is the 'same' padding at stride 1; here you need "
                              "32 + 2p - 4 to be a multiple of 3, with p a whole number.",
                              when=lambda a: float(list(a)[0]) == 1.5, example=(1.5, 11)),
                      Mistake("a smaller p already makes 32 + 2p - 4 a multiple of 3.",
                              value=lambda: (4, 13)),
                      Mistake("with that p, 32 + 2p - 4 is not a multiple of 3: the last jump "
                              "still does not fit.",
                              when=lambda a: len(a) == 2 and (32 + 2 * float(list(a)[0]) - 4) % 3 != 0,
                              example=(2, 12)),
                      Mistake("the p is right; the output is (32 + 2p - 4) / 3 jumps plus 1 for "
                              "the first position.",
                              when=lambda a: len(a) == 2 and float(list(a)[0]) == 1 and float(list(a)[1]) != 11,
                              example=(1, 12))],
            hints=["Write the condition first: the padded room n + 2p - f must be covered by "
                   "whole jumps of s. Each extra zero on each side adds 2 to that room.",
                   "Try p = 0, 1, 2, ... and count the unread columns each time, as in q1."],
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
            kind="number", tolerance=0, bounds=(0, None), integer=True,
            mistakes={14: "the layer that would make 2x2 into 0x0 does not exist: a 3x3 filter "
                          "does not fit on 2x2, so the count stops one layer earlier.",
                      26: "each layer takes a pixel off both sides, 2 off the width, not 1.",
                      27: "each layer takes a pixel off both sides, 2 off the width, not 1."},
            explain="Each layer takes one pixel off every side, 2 off the width: 28, 26, ..., 4, 2. "
                    "Thirteen steps of 2 take 28 down to 2, and a 3x3 filter does not fit on 2x2.",
        ),
        Prediction(
            "A flat image at the border",
            "A uniform grey 6x6 image (every pixel 0.5) goes through the top-edge filter "
            "(row weights -1, +1, 0 from top to bottom) with padding='same'. What is the output "
            "in the middle of the top row?",
            kind="number", tolerance=0.01,
            mistakes={0: "0 is right inside the image, where the -1 and +1 rows cancel; on the "
                         "top row the -1 row lies on the zeros and subtracts nothing.",
                      1: "1.0 is the corner, where the window's middle row also has a zero in it; "
                         "the middle of the top row adds three grey pixels.",
                      -1.5: "the -1 row lies on the zeros, not on the image; it is the +1 row "
                            "that reads the grey pixels."},
            explain=lambda value: f"The window's top row lies on the zeros, so it adds nothing; "
                                  f"its middle row adds 3 x 0.5. The output is {value:g} where a flat "
                                  f"image should give 0: the zero border reads as an edge.",
        ),
        Prediction(
            "A 4x4 filter on a 4x4 image",
            "In the animator, set the filter size to 4 under 'valid'. How many output pixels are "
            "left?",
            kind="number", tolerance=0, bounds=(0, 16), integer=True,
            mistakes={0: "a window as large as the image still fits once: 4 - 4 + 1 = 1.",
                      4: "4 is the side of the 'same' output; 'valid' adds no zeros and leaves "
                         "4 - 4 + 1 = 1 output per axis, so 1 x 1.",
                      16: "16 is what 'same' keeps; 'valid' adds no zeros, so the 4x4 window "
                          "fits only where it lies on the image: once."},
            explain="The window is as large as the image: it fits in exactly one place, "
                    "4 - 4 + 1 = 1 per axis.",
        ),
        Prediction(
            "Zeros for an even filter",
            "Switch the 4x4 filter to 'same'. How many columns of zeros does the animator add on "
            "the right of the image?",
            kind="number", tolerance=0, bounds=(0, None), integer=True,
            mistakes={1: "1 is the left side (and the 3x3 filter's count per side): the 4x4 "
                         "filter needs 3 zeros, and the odd one goes after the image.",
                      3: "3 is the total for both sides together; 'same' splits it.",
                      0: "without zeros the 4x4 window fits only once on 4 columns; to keep 4 "
                         "outputs 'same' must add 3 columns of zeros in all."},
            explain="To keep 4 columns the padded row must hold 4 + 4 - 1 = 7 columns: 3 zeros. "
                    "Three do not split evenly; the odd one goes after the image, so 1 on the left "
                    "and 2 on the right (the same for top and bottom).",
        ),
        Prediction(
            "Zeros for a stride, left",
            "Back to the 3x3 filter, still 'same', stride 2. How many columns of zeros on the left?",
            kind="number", tolerance=0, bounds=(0, None), integer=True,
            mistakes={1: "one per side is what the 3x3 filter needs at stride 1; at stride 2 only "
                         "the last window runs past the image, on the right."},
            explain="'same' at stride 2 asks for ceil(4 / 2) = 2 outputs per row. The second window "
                    "starts at column 2 and needs columns 2 to 4: one column past the image. One "
                    "zero in total, and the odd one goes on the right: none on the left.",
        ),
        Prediction(
            "Zeros for a stride, right",
            "Same setting: how many columns of zeros on the right?",
            kind="number", tolerance=0, bounds=(0, None), integer=True,
            mistakes={0: "the second window starts at column 2 and needs columns 2 to 4: column "
                         "4 is past the image.",
                      2: "'same' at stride 2 asks for ceil(4 / 2) = 2 outputs, not 4: the last "
                         "window needs only one more column."},
            explain="The second window needs column 4, one past the image's last column 3: one "
                    "zero on the right. At stride 1 the same filter needed one on each side.",
        ),
        Prediction(
            "A stroke that leaves the picture, 'same'",
            "The second animator shows the bottom 6x6 corner of a 7 whose stem runs off the "
            "bottom border, under the bottom-edge filter (row weights 0, +1, -1 from top to "
            "bottom) with padding='same'. Is the largest value in the output's bottom row "
            "positive (a bottom edge), zero (no edge) or negative?",
            kind="choice", options=["positive", "zero", "negative"],
            mistakes={"zero": "0 is what the rows inside give, where the stem's row below cancels "
                              "the row above; on the bottom row the -1 row lies on the zeros.",
                      "negative": "the -1 row lies on the zeros and subtracts nothing; the +1 row "
                                  "adds the stem's pixels, which are never negative."},
            explain="On the bottom row the window's -1 row lies on the zeros, so nothing is "
                    "subtracted: the sum is the stem's pixels in the last row, a positive number "
                    "(printed above). The filter reports a bottom edge where the stroke only "
                    "leaves the picture.",
        ),
        Prediction(
            "A stroke that leaves the picture, 'valid'",
            "Switch the same animator to 'valid'. What is the largest value in the output's "
            "bottom row now?",
            kind="number", tolerance=0.1,
            mistakes={1.9: "that is the 'same' result; under 'valid' no window reaches the zeros."},
            explain=lambda value: f"Every 'valid' window lies on real pixels. The stem is the same "
                                  f"in every row, so the +1 row and the -1 row cancel: {value:g}. "
                                  f"'valid' invents no edge, but its 4x4 map has no output "
                                  f"centred on the image's last row.",
        ),
    ]
