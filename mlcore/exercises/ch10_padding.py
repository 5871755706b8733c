"""Exercises for chapter 10: the output-size formula, 'same' padding amounts, a Dense layer on
an image (it acts per pixel), a two-layer model."""
import math

from ..layers import Conv2D, Dense, Flatten
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


def _dense_counts(flatten_first=(False, True), use_bias=True):
    """Parameters of Dense(16) on 20x20x3 images, without and with Flatten before it."""
    counts = []
    for flatten in flatten_first:
        layers = [Flatten(input_shape=(20, 20, 3)), Dense(16, use_bias=use_bias)] if flatten else \
            [Dense(16, input_shape=(20, 20, 3), use_bias=use_bias)]
        counts.append(Sequential(layers).count_params())
    return tuple(counts)


def questions():
    return [
        Function(
            "Write output_size",
            "Write output_size(n, f, p, s): how many positions an f-wide window takes on n "
            "pixels with p zeros added on EACH side and stride s (an int).",
            "output_size", output_size,
            cases=[Case(28, 3, 0, 1), Case(4, 3, 0, 1), Case(20, 3, 1, 1), Case(28, 4, 1, 2),
                   Case(7, 3, 0, 2), Case(32, 5, 2, 3)],
            mistakes=[Mistake("off by one: the window fits n + 2p - f + 1 times at stride 1 "
                              "(a 3-wide window on 4 pixels fits twice).",
                              value=lambda n, f, p, s: (n + 2 * p - f) // s),
                      Mistake("p zeros go on EACH side, so the padded width is n + 2p.",
                              value=lambda n, f, p, s: (n + p - f) // s + 1),
                      Mistake("the result must be a whole number of positions: round down with //.",
                              value=lambda n, f, p, s: (n + 2 * p - f) / s + 1)],
            hints=["At stride 1: n + 2p - f + 1.",
                   "With stride s the window moves s pixels at a time: floor((n + 2p - f) / s) + 1."],
            solution="floor((n + 2p - f) / s) + 1; integer division // does the floor.",
            solution_code="def output_size(n, f, p, s):\n    return (n + 2 * p - f) // s + 1",
            solution_name="output_size",
        ),
        Value(
            "'same' padding for an even filter",
            "A 4x4 filter at stride 1 with padding='same' on 28 rows: how many zero rows go above "
            "and how many below the image? Answer (above, below).",
            lambda: same_padding(28, 4, 1),
            mistakes=[Mistake("the odd extra zero goes at the bottom (and right), as in TensorFlow "
                              "and Keras.", value=lambda: same_padding(28, 4, 1)[::-1]),
                      Mistake("you cannot add half a row of zeros: the 3 rows split unevenly.",
                              value=(1.5, 1.5)),
                      Mistake("3 rows are needed in total, not on each side.", value=(3, 3))],
            hints=["'same' at stride 1 keeps 28 rows: 28 + total - 4 + 1 = 28.",
                   "total = f - 1 = 3; it cannot split evenly."],
            solution="f - 1 = 3 zero rows in total: 1 above and 2 below (the extra one goes "
                     "bottom/right).",
            solution_code="rows = (1, 2)",
            solution_name="rows",
        ),
        Value(
            "A Dense layer on an image",
            "The chapter's network starts with Dense(16, input_shape=(20, 20, 3)). (a) How many "
            "parameters does that layer have? (b) How many would Dense(16) have after "
            "Flatten(input_shape=(20, 20, 3)) instead? Answer (a, b).",
            _dense_counts,
            mistakes=[Mistake("(a) a Dense layer on an image acts on the last axis only: every "
                              "pixel's 3 colour values go through the same small kernel.",
                              value=lambda: _dense_counts((True, True))),
                      Mistake("each of the 16 nodes has a bias too.",
                              value=lambda: _dense_counts(use_bias=False)),
                      Mistake("the answer is (without Flatten, with Flatten): you swapped them.",
                              value=lambda: _dense_counts((True, False)))],
            hints=["Without Flatten the kernel has shape (channels in, 16).",
                   "After Flatten every one of the 20*20*3 numbers is an input."],
            solution="(a) 3*16 + 16 = 64: one 3x16 kernel shared by all 400 pixels (a 1x1 "
                     "convolution). (b) 1200*16 + 16 = 19216.",
            solution_code="counts = (3 * 16 + 16, 20 * 20 * 3 * 16 + 16)",
            solution_name="counts",
        ),
        Multipart(
            "Two convolutions",
            "A 32x32 RGB image goes through Conv2D(8, kernel_size=5, padding='valid') and then "
            "Conv2D(16, kernel_size=4, strides=2, padding='same').\n"
            "(a) the two output shapes as a list [(h, w, c), (h, w, c)]; (b) the two parameter "
            "counts as a list [n1, n2].",
            {"a": Value("output shapes", "the output shapes", _shapes,
                        mistakes=[Mistake("the second layer is 'same': at stride 2 it keeps "
                                          "ceil(28 / 2) rows, it does not shrink by the filter.",
                                          value=lambda: _shapes(second_padding="valid")),
                                  Mistake("the first layer is 'valid': a 5x5 filter on 32 pixels "
                                          "fits 32 - 5 + 1 times.",
                                          value=lambda: _shapes(first_padding="same"))]),
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
                                  Mistake("padding changes no parameter count: 'same' or 'valid', "
                                          "the kernels are the same size.",
                                          when=lambda a: list(a)[1] == 14 * 14 * 16,
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
            "Stack 'valid' 3x3 convolutions on a 28x28 image, one after another, as long as the "
            "filter still fits. How many layers is that?",
            kind="number", tolerance=0,
            explain="Each layer takes one pixel off every side, 2 off the width: 28, 26, ..., 4, 2. "
                    "Thirteen steps of 2 take 28 down to 2, and a 3x3 filter does not fit on 2x2.",
        ),
        Prediction(
            "A 4x4 filter on a 4x4 image",
            "In the animator, set the filter size to 4 under 'valid'. How many output pixels are "
            "left?",
            kind="number", tolerance=0,
            explain="The window is as large as the image: it fits in exactly one place, "
                    "4 - 4 + 1 = 1 per axis.",
        ),
        Prediction(
            "Zeros for a stride",
            "Now 'same' with the 3x3 filter and stride 2. How many columns of zeros does the "
            "animator add on the right of the 4x4 image?",
            kind="number", tolerance=0,
            explain="'same' at stride 2 asks for ceil(4 / 2) = 2 outputs per row. The second window "
                    "starts at column 2 and needs columns 2 to 4: one column past the image. So 1 zero "
                    "in total, and as the odd one it goes on the right; none on the left.",
        ),
    ]
