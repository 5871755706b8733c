"""Exercises for chapter 11: a max-pooling forward pass, what pooling saves downstream, and
where max pooling sends the gradient back."""
import numpy as np

from ..layers import Conv2D, Dense, Flatten, MaxPooling2D
from ..model import Sequential
from ..widgets.pooling import COURSE_4X4
from ..ops import (average_pool2d_backward, average_pool2d_forward, max_pool2d_backward,
                   max_pool2d_forward)
from .prediction import Prediction
from .questions import Array, Case, Function, Mistake, Value

TITLE = "Pooling"

GRID = np.array([[1.0, 7.0, 2.0, 0.0],
                 [3.0, 4.0, 6.0, 5.0],
                 [8.0, 2.0, 1.0, 1.0],
                 [0.0, 5.0, 9.0, 3.0]])
DATA = {"grid": GRID}


def _pool(x, size, stride=None, kind=max_pool2d_forward, padding="valid"):
    """One 2-D array through the engine's pooling (max by default)."""
    out = kind(np.asarray(x, dtype=float)[None, :, :, None], size, stride, padding)
    return (out[0] if isinstance(out, tuple) else out)[0, :, :, 0]


def max_pool(x, size):
    """The engine's max pooling of a 2-D array, windows size x size, stride size."""
    return _pool(x, size)


def _pool_gradient(size=3, stride=1, overlaps_add=True, kind="max", grid=GRID):
    """The gradient reaching GRID from max (or average) pooling when every output's gradient is 1.

    ``overlaps_add=False`` is the classic slip: a pixel that wins two windows
    counted once instead of receiving both gradients.
    """
    x = grid[None, :, :, None]
    pooled, argmax = max_pool2d_forward(x, size, stride)
    ones = np.ones_like(pooled)
    if kind == "average":
        return average_pool2d_backward(ones, x.shape, size, stride)[0, :, :, 0]
    grad = max_pool2d_backward(ones, argmax, x.shape, size, stride)[0, :, :, 0]
    return grad if overlaps_add else np.minimum(grad, 1.0)


def _holds_pixel_values(answer):
    """A 4x4 answer whose non-zero entries are the grid's own values there (once per window won)."""
    if np.shape(answer) != GRID.shape:
        return False
    a = np.asarray(answer, dtype=float)
    nonzero = a != 0
    if not nonzero.any() or not GRID[nonzero].all():
        return False
    times = a[nonzero] / GRID[nonzero]
    return bool(a.max() > 2 and np.all(times >= 1) and np.allclose(times, np.round(times)))


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
            mistakes=[Mistake("that is the chapter's grid from section 1: this question uses "
                              "ex.data['grid'], a different 4x4 array.",
                              value=lambda: _pool(COURSE_4X4, 2)),
                      Mistake("those are the windows' means: that is average pooling.",
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
            # the last case holds fractions, so a result stored as integers fails it
            cases=[Case(GRID, 2), Case(np.arange(36.0).reshape(6, 6) % 7, 3),
                   Case(np.arange(35.0).reshape(5, 7) * -1, 2), Case(GRID, 1),
                   Case(np.round(np.random.default_rng(11).random((7, 6)) - 0.5, 3), 2)],
            mistakes=[Mistake("that is average pooling: take each window's maximum.",
                              value=lambda x, s: _pool(x, s, kind=average_pool2d_forward)),
                      Mistake("the windows overlap: move them by size, not by 1.",
                              value=lambda x, s: _pool(x, s, stride=1)),
                      Mistake("your maximum starts at 0, so a window of negative numbers gives 0: "
                              "start from the window's first value (or use .max()).",
                              value=lambda x, s: np.maximum(_pool(x, s), 0)),
                      Mistake("you keep the partial windows at the right and bottom edges "
                              "('same'); 'valid' drops the rows and columns that do not fill a "
                              "whole window.", value=lambda x, s: _pool(x, s, padding="same")),
                      Mistake("you dropped the first rows or columns: 'valid' starts the windows "
                              "at the top-left corner and drops the last rows and columns that do "
                              "not fill a whole window.",
                              value=lambda x, s: _pool(x[x.shape[0] % s:, x.shape[1] % s:], s)),
                      Mistake("the result is stored as integers, so a maximum such as 0.4 becomes "
                              "0: make the output a float array (np.zeros((rows, cols)) is one).",
                              value=lambda x, s: _pool(x, s).astype(int)),
                      Mistake("rows and columns are swapped: output (i, j) is the window in row "
                              "block i and column block j.", value=lambda x, s: _pool(x, s).T)],
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
                              value=lambda: _small_cnn((True, False)).count_params()),
                      Mistake("Flatten hands on the maps of the last convolution, which has 3 "
                              "filters, not the first one's 2: 5 x 5 x 3 inputs.",
                              value=lambda: 56 + 57 + (5 * 5 * 2 * 2 + 2)),
                      Mistake("the Dense layer also has one bias per node: 2 more.",
                              value=lambda: _small_cnn().count_params() - 2),
                      Mistake("that is the Dense layer alone: the convolutions keep their 56 and "
                              "57 parameters, add them.",
                              value=lambda: _small_cnn().layers[-1].count_params()),
                      Mistake("each convolution also has one bias per filter: 2 + 3 more.",
                              value=lambda: _small_cnn().count_params() - 5)],
            hints=["The convolutions keep their 56 and 57 parameters.",
                   "Follow the side of the maps through the two poolings, then count what "
                   "Flatten hands the Dense layer: side x side x channels."],
            solution="56 + 57 + (5*5*3*2 + 2) = 56 + 57 + 152 = 265.",
            solution_code="n_params = 56 + 57 + (5 * 5 * 3 * 2 + 2)",
            solution_name="n_params",
        ),
        Array(
            "The gradient through overlapping windows",
            "Max-pool the 4x4 array ex.data['grid'] with 3x3 windows at stride 1 (the windows "
            "overlap; the output is 2x2). In the backward pass the gradient arriving at each of "
            "the 4 output pixels is 1. What gradient reaches each of the 16 input pixels? Give a "
            "4x4 array.",
            _pool_gradient,
            mistakes=[Mistake("one input pixel is the maximum of two windows: it receives the "
                              "gradient of both output pixels, and they add up.",
                              value=lambda: _pool_gradient(overlaps_add=False)),
                      Mistake("that spreads each gradient evenly over its window: that is "
                              "average pooling's backward pass. Max pooling sends it all to the "
                              "window's maximum.", value=lambda: _pool_gradient(kind="average")),
                      Mistake("the gradient has the shape of the pooling's input (4x4), not of "
                              "its output (2x2).", when=lambda a: np.shape(a) == (2, 2),
                              example=np.ones((2, 2))),
                      Mistake("the gradient is not the pixel's value: each window's maximum "
                              "receives the gradient of its output pixel (1 here), the other "
                              "pixels 0.", when=_holds_pixel_values,
                              example=lambda: _pool_gradient() * GRID),
                      Mistake("that is the chapter's grid from section 1: this question uses "
                              "ex.data['grid'], a different 4x4 array.",
                              value=lambda: _pool_gradient(grid=COURSE_4X4)),
                      Mistake("rows and columns are swapped: entry [i, j] is row i, column j of "
                              "the grid.", value=lambda: _pool_gradient().T)],
            hints=["Find the maximum of each of the four 3x3 windows: rows 0-2 or 1-3, columns "
                   "0-2 or 1-3.",
                   "Each window's maximum receives 1; every other pixel of the window receives 0 "
                   "from it. Add up what each pixel receives from all windows."],
            solution="The maxima are 8 at (2, 0), 7 at (0, 1), and 9 at (3, 2), which wins two "
                     "windows: gradient 1 at (2, 0) and (0, 1), 2 at (3, 2), 0 elsewhere.",
            solution_code="gradient = np.zeros((4, 4))\n"
                          "gradient[2, 0] = gradient[0, 1] = 1\n"
                          "gradient[3, 2] = 2",
            solution_name="gradient",
        ),
    ]


def predictions():
    return [
        Prediction(
            "How many pixels get a gradient",
            "Max-pool the 4x4 grid of section 1 (2x2 windows, stride 2), then send a gradient of 1 "
            "back from each of the 4 output pixels. How many of the 16 input pixels receive a "
            "gradient that is not 0?",
            kind="number", tolerance=0, bounds=(0, 16),
            explain="One per window: only the maximum changes the output when it is nudged, so only "
                    "the maximum gets a gradient. Average pooling would give all 16 a quarter each.",
        ),
        Prediction(
            "Window sizes that give 3x3",
            "At stride 2 on the 8x8 patch, which window sizes give a 3x3 pooled map: 2 and 3, "
            "3 and 4, 4 and 5, or 3 only? (e.g. [2, 3] or '2 and 3')",
            kind="choice", options=[(2, 3), (3, 4), (4, 5), (3,)],
            explain="floor((8 - f) / 2) + 1 = 3 needs floor((8 - f) / 2) = 2, so 8 - f is 4 or 5: "
                    "f = 4 or f = 3. Both windows are wider than the stride, so they overlap.",
        ),
        Prediction(
            "The pooled pixel after a 1-pixel shift",
            "Read in the overview's bottom row which cell of the opened pooled pixel's 2x2 window "
            "wins (it is outlined). Then shift the digit one pixel to the right: is the pooled "
            "value the 'same' or 'different'?",
            kind="choice", options=["same", "different"],
            explain="The winner sat in the left column of its window. The strong response moves "
                    "one column right, into the right column of the same window, and nothing larger moves in, so the window's maximum is still that "
                    "response. Had it sat in the right column, the same shift would have carried "
                    "it out of the window.",
        ),
        Prediction(
            "Where the winner goes after a 2-pixel shift",
            "Now shift the digit two pixels to the right. Is the response that won still in the "
            "'same window' of the opened pooled pixel, or in the 'next window' to its right?",
            kind="choice", options=["same window", "next window"],
            explain="A 2x2 window at stride 2 is two columns wide, so a two-column move carries "
                    "any response into the next window, wherever in the window it sat. The opened "
                    "pixel then passes on whatever else its window holds after the shift.",
        ),
        Prediction(
            "Which cell wins after a 1-pixel shift",
            "With the digit shifted one pixel to the right, which cell of the opened pooled "
            "pixel's 2x2 window wins: 'top-left', 'top-right', 'bottom-left' or 'bottom-right'? "
            "Guess, then set the shift and read the outlined cell in the overview's bottom row.",
            kind="choice", options=["top-left", "top-right", "bottom-left", "bottom-right"],
            mistakes={"top-left": "the winner does not stay put: the digit moved, and the strong "
                                  "response moved with it, one column to the right."},
            explain=lambda cell: f"The response that won moved one column right with the digit, "
                                 f"from the top-left cell to the {cell} one: still inside the "
                                 f"window, so the pooled value is unchanged.",
        ),
        Prediction(
            "Columns no window reads",
            "3x3 windows at stride 2 on the 8x8 patch (columns 0 to 7): how many of its columns "
            "does no window read at all (0 if every column is read)?",
            kind="number", tolerance=0, bounds=(0, 8),
            explain="The three windows start at columns 0, 2 and 4 and end at 2, 4 and 6, so column "
                    "7 is never read (and row 7 likewise); a fourth window would need column 8. "
                    "4x4 windows end at column 7 and read everything.",
        ),
    ]
