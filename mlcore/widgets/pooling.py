"""Pooling animator: a window slides over a feature map and keeps its max (or mean).

``pooling_step`` is the pure state; the pooled map comes from ``mlcore.ops``
(``max_pool2d_forward`` / ``average_pool2d_forward``), the same functions the
``MaxPooling2D`` and ``AveragePooling2D`` layers call.
"""
import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.patches import Rectangle

from ..ops.padding import pad2d
from ..ops.pooling import average_pool2d_forward, max_pool2d_forward, pool_geometry
from .base.sliding_window import WindowAnimator, as_single_channel, filled_so_far, step_pixel
from .base.toolkit import EMPTY, PIXEL_COLOR, WINDOW_COLOR, NumberGrid, RangeColorbar

#: A 4x4 feature map whose 2x2 blocks (stride 2) have the maxima of the
#: course's example: 9, 8, 6, 5. The course shows only those maxima; the
#: other values are ours.
COURSE_4X4 = np.array([[1, 9, 3, 4],
                       [5, 2, 8, 1],
                       [6, 1, 2, 5],
                       [3, 4, 4, 1]], dtype=float)
MODES = ("max", "average")
MAX_LABELS = 12  # larger maps are drawn as colours only


def pooling_step(feature_map, pool_size=2, stride=None, mode="max", step=0, padding="valid"):
    """The state of 2-D pooling on one channel after ``step + 1`` output pixels.

    Output pixel ``(i, j)`` summarises the window
    ``padded[i*s : i*s + p, j*s : j*s + p]``: its largest value ('max') or
    its mean ('average'). With 'same' padding the border cells are empty
    (nan here): they never win a max and are left out of a mean, as in Keras.

    Parameters
    ----------
    feature_map : array of shape (H, W) or (H, W, 1)
    pool_size : int or (int, int), default 2
    stride : int or (int, int), optional
        Default: ``pool_size`` (windows side by side, Keras' default).
    mode : {'max', 'average'}
    step : int
        Index of the current output pixel, ``0 <= step < H_out * W_out``.
    padding : {'valid', 'same'}, default 'valid'

    Returns
    -------
    dict
        ``window``: (row, col) of the window's top-left corner in ``padded``;
        ``pixel``: (i, j); ``patch``: (p_h, p_w), the window's cells (nan =
        padding); ``value``: the pooled value, float; ``winner``: (row, col)
        in ``padded`` of the cell that won the max (None for 'average');
        ``output_so_far``: (H_out, W_out) with nan after ``step``;
        ``output``: (H_out, W_out) from ``mlcore.ops``; ``output_shape``;
        ``padded``: the map with its nan border; ``pads``; ``strides``;
        ``pool_size``: (p_h, p_w).
    """
    where = "pooling_step"
    if mode not in MODES:
        raise ValueError(f"{where}: mode must be one of {list(MODES)}, got {mode!r}")
    feature_map = as_single_channel(feature_map, where, "feature_map", "(H, W) or (H, W, 1)")
    x = feature_map[None, :, :, None]
    pool_hw, strides, pads, _ = pool_geometry(x.shape, pool_size, stride, padding, where)
    if mode == "max":
        output, argmax = (a[0, :, :, 0] for a in max_pool2d_forward(x, pool_hw, strides, padding))
    else:
        output = average_pool2d_forward(x, pool_hw, strides, padding)[0, :, :, 0]
    padded = pad2d(x, pads, value=np.nan)[0, :, :, 0]
    row, col = step_pixel(step, output.shape, where)
    top, left = row * strides[0], col * strides[1]
    patch = padded[top:top + pool_hw[0], left:left + pool_hw[1]]
    if mode == "max":
        value = float(np.nanmax(patch))
        a, b = divmod(int(argmax[row, col]), pool_hw[1])  # the engine's choice on ties
        winner = (top + a, left + b)
    else:
        value, winner = float(np.nanmean(patch)), None
    return dict(window=(top, left), pixel=(row, col), patch=patch, value=value, winner=winner,
                output_so_far=filled_so_far(output, step), output=output,
                output_shape=output.shape, padded=padded, pads=pads, strides=strides,
                pool_size=pool_hw)


class PoolingAnimator(WindowAnimator):
    """Step a pooling window over a feature map and watch the pooled map fill.

    Shows the feature map (numbers in the cells when it is at most 12x12)
    with the window and, for max pooling, the winning cell outlined, and the
    pooled map so far on the same colour scale, with the output-size formula.
    Controls: Play / pause / step / speed, window size, stride (or "stride =
    window", Keras' default), max vs average, 'valid' / 'same' padding.

    Parameters
    ----------
    feature_map : array of shape (H, W) or (H, W, 1), optional
        Default: the course's 4x4 example, ``COURSE_4X4`` (maxima 9, 8, 6, 5).
    pool_size : int, default 2
    stride : int, optional
        Default: equal to ``pool_size``.
    mode : {'max', 'average'}, default 'max'
    padding : {'valid', 'same'}, default 'valid'
    step : int, default 0
    interval : int, default 600
        Milliseconds per Play frame at speed 1.

    Attributes
    ----------
    state : dict or None
        The last ``pooling_step`` result (None when the window does not fit).
    play, step, pool_size, stride, stride_is_pool, mode, padding : ipywidgets
    """

    title = "pooling animator"
    layout_settings = ("pool_size", "stride", "padding")  # max <-> average only blits

    def __init__(self, feature_map=None, pool_size=2, stride=None, mode="max", padding="valid",
                 step=0, interval=600):
        super().__init__(figsize=(8, 3.4), dpi=100)   # 8x8 maps: cell numbers need the pixels
        where = "PoolingAnimator"
        self.source = COURSE_4X4.copy() if feature_map is None else as_single_channel(
            feature_map, where, "feature_map", "(H, W) or (H, W, 1)")
        if mode not in MODES:
            raise ValueError(f"{where}: mode must be one of {list(MODES)}, got {mode!r}")
        largest = max(self.source.shape)
        steps_box = self.step_controls(interval)
        self.pool_size = widgets.IntSlider(value=pool_size, min=1, max=max(largest, pool_size),
                                           description="window")
        self.stride_is_pool = widgets.Checkbox(value=stride is None, description="stride = window",
                                               indent=False)
        self.stride = widgets.IntSlider(value=pool_size if stride is None else stride, min=1,
                                        max=max(largest + 1, stride or 1), description="stride",
                                        disabled=stride is None)
        self.mode = widgets.ToggleButtons(options=list(MODES), value=mode, description="pooling")
        self.padding = widgets.ToggleButtons(options=["valid", "same"], value=padding,
                                             description="padding")
        self.pool_size.observe(self._on_pool_size, "value")  # before update: stride follows first
        self.stride_is_pool.observe(self._on_stride_is_pool, "value")
        self.add_controls(show=False, pool_size=self.pool_size, stride=self.stride,
                          mode=self.mode, padding=self.padding)
        self.controls = [steps_box,
                         widgets.HBox([self.pool_size, self.stride, self.stride_is_pool]),
                         widgets.HBox([self.mode, self.padding])]
        self._build_axes()
        self.start(step)

    def _on_pool_size(self, change):
        if self.stride_is_pool.value:
            with self.quietly():
                self.stride.value = change["new"]

    def _on_stride_is_pool(self, change):
        self.stride.disabled = change["new"]
        if change["new"] and self.stride.value != self.pool_size.value:
            self.stride.value = self.pool_size.value  # its observer recomputes

    def compute(self, pool_size, stride, mode, padding, step):
        return pooling_step(self.source, pool_size, stride, mode, step, padding)

    # -- drawing ---------------------------------------------------------
    def _build_axes(self):
        self.ax_in, self.ax_out = self.figure.subplots(1, 2, width_ratios=[1.25, 1])
        cmap = matplotlib.colormaps["cividis"].with_extremes(bad=EMPTY)   # the course figures' map
        self.input_cells = NumberGrid(self.ax_in, cmap, MAX_LABELS, fmt="{:.3g}")
        self.output_cells = NumberGrid(self.ax_out, cmap, MAX_LABELS, fmt="{:.3g}")
        RangeColorbar(self.output_cells.image, self.ax_out)
        self.add_geometry_artists(self.ax_in, self.ax_out)
        self.winner = Rectangle((0, 0), 1, 1, fill=False, lw=2, ls="--", ec=PIXEL_COLOR)
        self.pixel = Rectangle((0, 0), 1, 1, fill=False, lw=2.5, ec=WINDOW_COLOR)
        self.ax_in.add_patch(self.winner)
        self.ax_out.add_patch(self.pixel)
        self.value_text = self.ax_in.text(0.5, -0.1, "", transform=self.ax_in.transAxes,
                                          ha="center", va="top", fontsize=10)
        self.animate(self.window, self.winner, self.pixel, self.value_text, self.ax_out.title,
                     *self.output_cells.artists())

    def draw_static(self, state):
        h, w = self.source.shape
        low, high = float(self.source.min()), float(self.source.max())
        self._limits = (low, high if high > low else low + 1e-12)
        padded = self.source if state is None else state["padded"]
        self.input_cells.show(padded, *self._limits)
        p, s = self.pool_size.value, self.stride.value
        self.draw_geometry(state, p)
        if state is None:
            self.ax_in.set_title(f"feature map {h}×{w}")
            return
        self.ax_in.set_title(f"feature map {h}×{w}, {p}×{p} window, stride {s}")
        rows, cols = state["output_shape"]
        self.ax_out.set_title(f"{self.mode.value} pooled {rows}×{cols}")

    def draw_step(self, state):
        for artist in (self.window, self.pixel, self.value_text):
            artist.set_visible(state is not None)
        self.winner.set_visible(state is not None and state["winner"] is not None)
        if state is None:
            self.output_cells.show(np.full((1, 1), np.nan), *self._limits)
            return
        row, col = self.place_window(state)
        if state["winner"] is not None:
            self.winner.set_xy((state["winner"][1] - 0.5, state["winner"][0] - 0.5))
        self.output_cells.show(state["output_so_far"], *self._limits)
        self.value_text.set_text(f"{self._window_text(state)} = {state['value']:.3g}"
                                 f"  → output[{row}, {col}]")

    def _window_text(self, state):
        cells = state["patch"][np.isfinite(state["patch"])]
        name = "max" if self.mode.value == "max" else "mean"
        if cells.size > 4:
            return f"{name} of {cells.size} cells"
        return f"{name}({', '.join(f'{v:.3g}' for v in cells)})"

    def describe(self):
        h, w = self.source.shape
        head = (f"{self.mode.value.capitalize()} pooling of a {h}x{w} map, "
                f"{self.pool_size.value}x{self.pool_size.value} window, stride {self.stride.value}, "
                f"padding '{self.padding.value}'")
        return self.describe_step(head, "", "{:.3g}")
