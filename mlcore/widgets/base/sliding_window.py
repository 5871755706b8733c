"""The sliding-window animator shared by the convolution and pooling views.

A window steps over a single-channel map, one output pixel per step, and
the output map fills. ``WindowAnimator`` is the ``Explorer`` both animators
build on: Play / step controls whose range follows the output size, the
zero (or empty) border, the window, the output-size formula in current
numbers, and a message instead of an error when the window does not fit.
The helpers below are the arithmetic both state functions share.
"""
import textwrap

import numpy as np
from matplotlib.patches import Rectangle

from ...arguments import check_int
from ...ops.padding import output_hw
from .toolkit import BORDER_COLOR, PIXEL_COLOR, WINDOW_COLOR, edge_ticks
from .view import Explorer, play_controls


def as_single_channel(array, where, what, expected):
    """``array`` as float64 (rows, cols), dropping size-1 channel axes."""
    array = np.asarray(array, dtype=np.float64)
    while array.ndim > 2 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"{where}: {what} must have shape {expected} (one channel), "
                         f"got {np.shape(array)}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{where}: {what} contains nan or inf")
    return array


def step_pixel(step, shape, where):
    """(row, col) of output pixel number ``step``, counting row by row."""
    count = int(np.prod(shape))
    check_int(where, "step", step, 0, count - 1, note=f" for a {shape[0]}x{shape[1]} output")
    return divmod(int(step), shape[1])


def filled_so_far(output, step):
    """``output`` as float with the pixels after ``step`` (row by row) set to nan."""
    so_far = np.full(output.shape, np.nan)
    so_far.flat[:step + 1] = output.flat[:step + 1]
    return so_far


def image_ticks(ax, shape, pads):
    """Limits of the padded grid, ticks at the image's first and last row/column.

    The ticks are labelled in the image's own coordinates (0 to n - 1), the
    ones the output pixels and the chapters use; a zero border therefore lies
    at row -1 and row n, outside the labelled range, instead of shifting
    every label by the padding.
    """
    (top, bottom), (left, right) = pads
    rows, cols = shape
    ax.set_xlim(-0.5, left + cols + right - 0.5)
    ax.set_ylim(top + rows + bottom - 0.5, -0.5)
    ax.set_xticks(sorted({left, left + cols - 1}), labels=[str(c) for c in sorted({0, cols - 1})])
    ax.set_yticks(sorted({top, top + rows - 1}), labels=[str(r) for r in sorted({0, rows - 1})])


def output_size_text(n, f, stride, pads):
    """The output-size formula with the current numbers, for one axis.

    ``n_out = floor((n + 2p - f) / s) + 1``; an odd 'same' border has one
    more zero after (bottom/right) than before, shown as ``p_before + p_after``
    (and :func:`formula_header` then names them so).

    Examples
    --------
    >>> output_size_text(28, 3, 1, (0, 0))
    '⌊(28 + 2·0 − 3) / 1⌋ + 1 = 26'
    """
    before, after = pads
    n_out = output_hw((n,), (f,), (stride,), (pads,))[0]
    border = f"2·{before}" if before == after else f"{before} + {after}"
    return f"⌊({n} + {border} − {f}) / {stride}⌋ + 1 = {n_out}"


def formula_header(pads):
    """The output-size formula in letters: ``2p`` while every axis has as many zeros before as
    after, ``p_before + p_after`` once one does not (so the numbers below match the letters)."""
    if all(before == after for before, after in pads):
        return "n_out = ⌊(n + 2p − f) / s⌋ + 1"
    return "n_out = ⌊(n + p_before + p_after − f) / s⌋ + 1"


class WindowAnimator(Explorer):
    """An ``Explorer`` whose state is one step of a window sliding over ``self.source``.

    ``compute(**settings, step)`` returns the state function's dict (with
    ``output_shape``, ``pads``, ``strides``, ``window``, ``pixel``) or raises
    ``ValueError`` when the window does not fit. A subclass builds its
    controls (``step_controls`` for Play / step) and axes (with
    ``add_geometry_artists``), then calls ``start(step)``; it implements
    ``draw_static(state)`` (what changes with the settings, drawn when one
    changed) and ``draw_step(state)`` (what changes every frame, animated);
    ``state`` is None when the window does not fit. A change of one of
    ``layout_settings`` redraws the whole figure; other settings (and the
    step) only redraw the animated artists.

    Attributes
    ----------
    message : str
        Why there is no output ('' when there is one).
    """

    layout_settings = ()
    show_first_error = True  # a window that does not fit the input is shown, not raised

    def __init__(self, figsize, dpi=80):
        super().__init__(figsize=figsize, dpi=dpi)
        self.message = ""

    def step_controls(self, interval):
        """Play, step slider and speed; returns their box for ``self.controls``."""
        self.play, self.step, box = play_controls(1, interval=interval)
        self.add_controls(show=False, step=self.step)
        return box

    def start(self, step):
        """First picture, at output pixel ``step`` (or the last one, if fewer)."""
        self.animate(self.message_text)  # last, so it is drawn over the animated output map
        self._fit_steps(step)
        self.update()

    def update(self, recompute=True):
        if not self._quiet:
            self._fit_steps(self.step.value)
            super().update(recompute)

    def _fit_steps(self, step):
        """The step controls' range for the current settings; ``step`` kept if it still exists."""
        try:
            steps = int(np.prod(self.cached_compute(**{**self.values, "step": 0})["output_shape"]))
        except ValueError:
            steps = 1
        with self.quietly():
            self.step.max = self.play.max = steps - 1
            self.step.value = min(step, steps - 1)

    def draw(self, state):
        self.message = ""
        if self.changed(*(name for name in self.values if name != "step")):
            self.draw_static(state)
        self.draw_step(state)
        return self.layout_changed()

    def layout_changed(self):
        """Whether a setting that moves still artists changed since the last draw."""
        return self.changed(*self.layout_settings)

    def show_error(self, message):
        self.message = message.split(": ", 1)[-1]  # the settings, not the function, are at fault
        self.draw_static(None)
        self.draw_step(None)
        return True

    def add_geometry_artists(self, ax_in, ax_out):
        """The padding border, the window (on ``ax_in``) and the message box (on ``ax_out``)."""
        self.ax_in, self.ax_out = ax_in, ax_out
        self.border = Rectangle((0, 0), 1, 1, fill=False, ls="--", lw=1.2, ec=BORDER_COLOR)
        self.window = Rectangle((0, 0), 1, 1, fill=False, lw=2.5, ec=WINDOW_COLOR)
        ax_in.add_patch(self.border)
        ax_in.add_patch(self.window)
        self.message_text = ax_out.text(0.5, 0.5, "", transform=ax_out.transAxes, ha="center",
                                        va="center", fontsize=9,
                                        bbox=dict(fc="white", ec=PIXEL_COLOR))

    def draw_geometry(self, state, window_size):
        """What both animators draw alike when a setting changes: the message
        (if the window does not fit), the padding border, the window's size,
        the output axes' ticks and the output-size formula in current numbers."""
        h, w = self.source.shape
        self.message_text.set_text(textwrap.fill(self.message, 28))
        self.message_text.set_visible(bool(self.message))
        self.border.set_visible(False)
        image_ticks(self.ax_in, (h, w), ((0, 0), (0, 0)) if state is None else state["pads"])
        if state is None:
            self.ax_out.set_title("no output")
            self.ax_out.set_xlabel("n_out = ⌊(n + 2p − f) / s⌋ + 1\n(the window does not fit)")
            edge_ticks(self.ax_out, 1, 1)
            return
        (top, bottom), (left, right) = pads = state["pads"]
        self.border.set_bounds(left - 0.5, top - 0.5, w, h)
        self.border.set_visible(top + bottom + left + right > 0)
        self.window.set_width(window_size)
        self.window.set_height(window_size)
        edge_ticks(self.ax_out, *state["output_shape"])
        strides = state["strides"]
        formula = output_size_text(h, window_size, strides[0], pads[0])
        if (h, strides[0], pads[0]) != (w, strides[1], pads[1]):
            formula = f"rows {formula}; cols {output_size_text(w, window_size, strides[1], pads[1])}"
        self.ax_out.set_xlabel(f"{formula_header(pads)}\n{formula}", fontsize=9)

    def place_window(self, state):
        """Move the window (over the input) and ``self.pixel``, the subclass's outline of
        the output pixel, to ``state``'s step; returns that pixel's (row, col)."""
        top, left = state["window"]
        row, col = state["pixel"]
        self.window.set_xy((left - 0.5, top - 0.5))
        self.pixel.set_xy((col - 0.5, row - 0.5))
        return row, col

    def describe_step(self, head, size_label, number):
        """``describe``'s line: ``head``, then the output's size (``size_label`` after it)
        and the current step's pixel and value formatted by ``number``, or why there is
        no output."""
        if self.state is None:
            return f"{head}: {self.message}"
        rows, cols = self.state["output_shape"]
        row, col = self.state["pixel"]
        return (f"{head} -> {rows}x{cols}{size_label}; step {self.step.value + 1} of "
                f"{rows * cols}, output[{row}, {col}] = {number.format(self.state['value'])}")

    def draw_static(self, state):
        raise NotImplementedError

    def draw_step(self, state):
        raise NotImplementedError
