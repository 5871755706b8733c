"""Exercises for chapter 11: a max-pooling forward pass, and what pooling saves downstream."""
import numpy as np

from ..layers import Conv2D, Dense, Flatten, MaxPooling2D
from ..model import Sequential
from ..ops import average_pool2d_forward, max_pool2d_forward
from .questions import Array, Case, Choice, Function, Mistake, Value

TITLE = "Pooling"

GRID = np.array([[1.0, 7.0, 2.0, 0.0],
                 [3.0, 4.0, 6.0, 5.0],
                 [8.0, 2.0, 1.0, 1.0],
                 [0.0, 5.0, 9.0, 3.0]])
DATA = {"grid": GRID}


def _pool(x, size, stride=None, kind=max_pool2d_forward):
    """One 2-D array through the engine's pooling (max by default)."""
    out = kind(np.asarray(x, dtype=float)[None, :, :, None], size, stride)
    return (out[0] if isinstance(out, tuple) else out)[0, :, :, 0]


def max_pool(x, size):
    """The engine's max pooling of a 2-D array, windows size x size, stride size."""
    return _pool(x, size)


def _small_cnn(pools=(True, True)):
    layers = [Conv2D(2, kernel_size=3, padding="same", input_shape=(20, 20, 3))]
    layers += [MaxPooling2D(2)] if pools[0] else []
    layers += [Conv2D(3, kernel_size=3, padding="same")]
    layers += [MaxPooling2D(2)] if pools[1] else []
    return Sequential(layers + [Flatten(), Dense(2, activation="softmax")])


def questions():
    return [
        Array(
            "Max pooling by hand",
            "Max-pool the 4x4 array ex.data['grid'] with 2x2 windows and stride 2. Give the "
            "result as an array.",
            lambda: _pool(GRID, 2),
            mistakes=[Mistake("those are the windows' means: that is average pooling.",
                              value=lambda: _pool(GRID, 2, kind=average_pool2d_forward)),
                      Mistake("with stride 2 the windows sit side by side; stride 1 overlaps them "
                              "and gives 3x3.", value=lambda: _pool(GRID, 2, stride=1)),
                      Mistake("rows and columns are swapped: the top-right window gives the "
                              "top-right output.", value=lambda: _pool(GRID, 2).T),
                      Mistake("a 3x3 result means overlapping windows (stride 1); with stride 2 "
                              "the 4x4 grid holds 2 x 2 windows.",
                              when=lambda a: np.shape(a) == (3, 3), example=np.zeros((3, 3)))],
            hints=["Four windows: top-left grid[0:2, 0:2], top-right grid[0:2, 2:4], ..."],
            solution="The maxima of the four 2x2 windows: [[7, 6], [8, 9]].",
            solution_code="grid = ex.data['grid']\n"
                          "pooled = np.array([[grid[i:i + 2, j:j + 2].max() for j in (0, 2)] "
                          "for i in (0, 2)])",
            solution_name="pooled",
        ),
        Function(
            "Write max_pool",
            "Write max_pool(x, size) for a 2-D array x: the maximum of each size x size window, "
            "windows side by side (stride = size), dropping rows and columns that do not fill a "
            "whole window ('valid').",
            "max_pool", max_pool,
            cases=[Case(GRID, 2), Case(np.arange(36.0).reshape(6, 6) % 7, 3),
                   Case(np.arange(35.0).reshape(5, 7) * -1, 2), Case(GRID, 1)],
            mistakes=[Mistake("that is average pooling: take each window's maximum.",
                              value=lambda x, s: _pool(x, s, kind=average_pool2d_forward)),
                      Mistake("the windows overlap: move them by size, not by 1.",
                              value=lambda x, s: _pool(x, s, stride=1))],
            hints=["The output has x.shape[0] // size rows and x.shape[1] // size columns.",
                   "Output (i, j) covers rows i*size to (i+1)*size (not included) and the same "
                   "columns; .max() of that slice is the entry."],
            solution="Two loops over the output; each entry is the maximum of its window.",
            solution_code="def max_pool(x, size):\n"
                          "    rows, cols = x.shape[0] // size, x.shape[1] // size\n"
                          "    out = np.zeros((rows, cols))\n"
                          "    for i in range(rows):\n"
                          "        for j in range(cols):\n"
                          "            out[i, j] = x[i * size:(i + 1) * size, j * size:(j + 1) * size].max()\n"
                          "    return out",
            solution_name="max_pool",
        ),
        Value(
            "Parameters after pooling",
            "Put MaxPooling2D(2) after each of the two convolutions of the chapter's 2515-parameter "
            "network (20x20 RGB -> Conv2D(2, 3, 'same') -> Conv2D(3, 3, 'same') -> Flatten -> "
            "Dense(2)). How many learnable parameters does it have now?",
            lambda: _small_cnn().count_params(),
            mistakes=[Mistake("pooling has no parameters of its own, but it shrinks the maps, so "
                              "the Dense layer after Flatten gets far fewer inputs.",
                              value=lambda: _small_cnn((False, False)).count_params()),
                      Mistake("there are two pooling layers: 20 -> 10 -> 5.",
                              value=lambda: _small_cnn((True, False)).count_params())],
            hints=["The convolutions keep their 56 and 57 parameters.",
                   "After two poolings the maps are 5x5x3: the Dense layer sees 75 inputs."],
            solution="56 + 57 + (5*5*3*2 + 2) = 56 + 57 + 152 = 265.",
            solution_code="n_params = 56 + 57 + (5 * 5 * 3 * 2 + 2)",
            solution_name="n_params",
        ),
        Choice(
            "Which layer gets smaller?",
            "In that network, which layer's parameter count does pooling reduce?",
            "the Dense layer after Flatten",
            ["the convolution before it", "the pooling layer itself", "the Dense layer after Flatten"],
            mistakes=[Mistake("a convolution's parameters depend on its filter size and channels, "
                              "not on the size of the image.", value="the convolution before it"),
                      Mistake("max pooling has no parameters at all: it only takes maxima.",
                              value="the pooling layer itself")],
            hints=["Which layer has one weight per input pixel?"],
            solution="The Dense layer after Flatten: it has one weight per input value and output, "
                     "and pooling cuts its inputs by 4 per pooling layer. Pooling also makes every "
                     "later layer cheaper to compute.",
            solution_code="layer = 'the Dense layer after Flatten'",
            solution_name="layer",
        ),
    ]
