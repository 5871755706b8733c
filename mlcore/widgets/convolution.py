"""Convolution animator: a filter slides over an image, one output pixel per step.

``convolution_step`` is the pure state (NumPy in, NumPy out); the arithmetic
is ``mlcore.ops``'s, so what the animation shows is what a ``Conv2D`` layer
computes. ``ConvolutionAnimator`` only draws that state.
"""
import ipywidgets as widgets
from ipywidgets.widgets.widget_description import DescriptionStyle
import matplotlib
import numpy as np
from matplotlib.patches import Rectangle

from ..ops.conv import conv2d_forward, conv_geometry
from ..ops.padding import pad2d
from .base.sliding_window import WindowAnimator, as_single_channel, filled_so_far, step_pixel
from .base.toolkit import (EMPTY, PADDING_COLOR, PIXEL_COLOR, NumberGrid, RangeColorbar, edge_ticks,
                      symmetric_limit)

#: The course's four 3x3 edge filters (chapter 9) and Sobel for comparison.
EDGE_FILTERS = {
    "top edge": [[-1, -1, -1], [1, 1, 1], [0, 0, 0]],
    "left edge": [[-1, 1, 0], [-1, 1, 0], [-1, 1, 0]],
    "bottom edge": [[0, 0, 0], [1, 1, 1], [-1, -1, -1]],
    "right edge": [[0, 1, -1], [0, 1, -1], [0, 1, -1]],
    "Sobel (vertical edges)": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
}
MAX_KERNEL = 7  # largest filter size offered
KERNEL_LIMIT = 1000.0  # filter values are kept in [-1000, 1000]


def convolution_step(image, kernel, stride=1, padding="valid", step=0):
    """The state of a single-channel convolution after ``step + 1`` output pixels.

    The window visits the output pixels row by row. At output pixel
    ``(i, j)`` it covers ``padded[i*s : i*s + kh, j*s : j*s + kw]`` and the
    pixel's value is the sum of the element-wise products of that patch and
    the kernel (cross-correlation, as in Keras and the course).

    Parameters
    ----------
    image : array of shape (H, W) or (H, W, 1)
    kernel : array of shape (kh, kw) or (kh, kw, 1, 1)
    stride : int or (int, int)
        ``s``, the step of the window (rows, columns).
    padding : {'valid', 'same'}
        'valid' adds no zeros; 'same' adds the zeros TensorFlow/Keras add so
        the output has ``ceil(H / s)`` rows (``mlcore.ops.padding``).
    step : int
        Index of the current output pixel, ``0 <= step < H_out * W_out``.

    Returns
    -------
    dict
        ``window``: (row, col) of the window's top-left corner in ``padded``;
        ``pixel``: (i, j), the output pixel being computed;
        ``patch``, ``products``: arrays (kh, kw), the covered input and
        ``patch * kernel``; ``value``: their sum, float;
        ``output_so_far``: (H_out, W_out), pixels not yet computed are nan;
        ``output``: (H_out, W_out), the whole map (``mlcore.ops.conv2d_forward``);
        ``output_shape``: (H_out, W_out) with
        ``H_out = floor((H + p_top + p_bottom - kh) / s) + 1``;
        ``padded``: (H + p_top + p_bottom, W + p_left + p_right), the input
        with its zero border; ``is_padding``: bool array of ``padded``'s shape,
        True on the zeros added by padding; ``pads``: ((p_top, p_bottom),
        (p_left, p_right)); ``strides``: (s_h, s_w).

    Raises
    ------
    ValueError
        For more than one channel, a kernel larger than the padded input, an
        unknown padding, a non-positive stride or a step out of range.
    """
    image = as_single_channel(image, "convolution_step", "image", "(H, W) or (H, W, 1)")
    kernel = as_single_channel(kernel, "convolution_step", "kernel", "(kh, kw) or (kh, kw, 1, 1)")
    x, w = image[None, :, :, None], kernel[:, :, None, None]
    # The engine's checks and messages: stride, padding, kernel larger than the input.
    strides, pads, _ = conv_geometry(x.shape, w.shape, stride, padding, "convolution_step")
    output = conv2d_forward(x, w, stride=stride, padding=padding)[0, :, :, 0]
    padded = pad2d(x, pads)[0, :, :, 0]
    is_padding = np.isnan(pad2d(np.zeros_like(x), pads, value=np.nan))[0, :, :, 0]
    row, col = step_pixel(step, output.shape, "convolution_step")
    top, left = row * strides[0], col * strides[1]
    patch = padded[top:top + kernel.shape[0], left:left + kernel.shape[1]]
    products = patch * kernel
    return dict(window=(top, left), pixel=(row, col), patch=patch, products=products,
                value=float(products.sum()), output_so_far=filled_so_far(output, step),
                output=output, output_shape=output.shape, padded=padded, is_padding=is_padding,
                pads=pads, strides=strides)


def default_seven():
    """The first 7 of the course's MNIST-5k set, pixels scaled to [0, 1], shape (28, 28)."""
    from ..data import load_mnist

    images, labels = load_mnist(normalize=True)
    return np.asarray(images[np.flatnonzero(labels == 7)[0]], dtype=np.float64)


class ConvolutionAnimator(WindowAnimator):
    """Slide a filter over an image and watch the output map fill, pixel by pixel.

    Shows the (zero-padded) input with the window outlined, the filter, the
    element-wise products of window and filter with their sum, and the output
    map so far, with the output-size formula in current numbers. Controls:
    Play / pause / step / speed; the filter's values (editable), a preset
    (the course's edge filters) and size; stride; 'valid' / 'same' padding.

    Parameters
    ----------
    image : array of shape (H, W) or (H, W, 1), optional
        Default: the first 7 of MNIST-5k, pixels in [0, 1].
    kernel : array of shape (k, k), optional
        Default: the course's top-edge filter ``[[-1,-1,-1],[1,1,1],[0,0,0]]``.
    stride : int, default 1
    padding : {'valid', 'same'}, default 'valid'
    step : int, default 0
        Output pixel shown first.
    interval : int, default 150
        Milliseconds per Play frame at speed 1.

    Attributes
    ----------
    state : dict or None
        The last ``convolution_step`` result (None when the filter does not fit).
    play, step, stride, padding, kernel_size, preset : ipywidgets
    kernel_inputs : list of ipywidgets.FloatText
        The filter's values, row by row.
    """

    title = "convolution animator"

    def __init__(self, image=None, kernel=None, stride=1, padding="valid", step=0, interval=150):
        super().__init__(figsize=(10, 3.3))
        where = "ConvolutionAnimator"
        self.source = default_seven() if image is None else as_single_channel(
            image, where, "image", "(H, W) or (H, W, 1)")
        kernel = EDGE_FILTERS["top edge"] if kernel is None else kernel
        self.kernel = as_single_channel(kernel, where, "kernel", "(k, k)").copy()
        if self.kernel.shape[0] != self.kernel.shape[1] or self.kernel.shape[0] > MAX_KERNEL:
            raise ValueError(f"{where}: kernel must be square and at most {MAX_KERNEL}x"
                             f"{MAX_KERNEL}, got {self.kernel.shape}")
        if np.abs(self.kernel).max() > KERNEL_LIMIT:
            raise ValueError(f"{where}: kernel values must be in [-{KERNEL_LIMIT:g}, "
                             f"{KERNEL_LIMIT:g}], got up to {np.abs(self.kernel).max():g}")
        self._product_limit = 1.0
        self._build_controls(stride, padding, interval)
        self._build_axes()
        self.start(step)

    # -- controls --------------------------------------------------------
    def _build_controls(self, stride, padding, interval):
        steps_box = self.step_controls(interval)
        self.stride = widgets.IntSlider(value=stride, min=1, max=max(self.source.shape) + 2,
                                        description="stride", continuous_update=True)
        self.padding = widgets.ToggleButtons(options=["valid", "same"], value=padding,
                                             description="padding")
        self.kernel_size = widgets.IntSlider(value=self.kernel.shape[0], min=1, max=MAX_KERNEL,
                                             description="filter size")
        self.preset = widgets.Dropdown(options=list(EDGE_FILTERS) + ["custom"],
                                       value=self._matching_preset(), description="filter")
        self.kernel_grid = widgets.GridBox()
        # One box per value of the largest filter, made once (sharing one layout and one
        # style): a filter-size change shows more or fewer of them and creates no widget.
        # Bounded, so no typed value can overflow the products.
        layout, style = widgets.Layout(width="64px"), DescriptionStyle()
        self._input_pool = [widgets.BoundedFloatText(min=-KERNEL_LIMIT, max=KERNEL_LIMIT,
                                                     step=0.1, layout=layout, style=style)
                            for _ in range(MAX_KERNEL ** 2)]
        for box in self._input_pool:
            box.observe(self._on_kernel_value, "value")
        self._show_kernel_inputs()
        self.add_controls(show=False, stride=self.stride, padding=self.padding)
        self.kernel_size.observe(self._on_kernel_size, "value")
        self.preset.observe(self._on_preset, "value")
        self.controls = [steps_box, widgets.HBox([self.stride, self.padding]),
                         widgets.HBox([self.kernel_size, self.preset]),
                         widgets.HBox([widgets.Label("filter values:"), self.kernel_grid])]

    def _show_kernel_inputs(self):
        """The first size x size boxes of the pool, in a grid, holding the filter's values."""
        size = self.kernel.shape[0]
        self.kernel_inputs = self._input_pool[:size * size]
        with self.quietly():
            for box, value in zip(self.kernel_inputs, self.kernel.ravel()):
                box.value = float(value)
        self.kernel_grid.children = self.kernel_inputs
        self.kernel_grid.layout.grid_template_columns = f"repeat({size}, 68px)"

    def _matching_preset(self):
        for name, values in EDGE_FILTERS.items():
            if np.array_equal(self.kernel, values):
                return name
        return "custom"

    def _on_kernel_value(self, change):
        if self._quiet:
            return
        size = self.kernel.shape[0]
        values = np.array([box.value for box in self.kernel_inputs], dtype=np.float64)
        self.kernel = np.nan_to_num(values).reshape(size, size)
        with self.quietly():
            self.preset.value = self._matching_preset()
        self.update()

    def _on_kernel_size(self, change):
        """Keep the filter's values, centred, in a larger or smaller grid."""
        if self._quiet:
            return
        old, size = self.kernel, change["new"]
        new = np.zeros((size, size))
        n = min(size, old.shape[0])
        a, b = (size - n) // 2, (old.shape[0] - n) // 2
        new[a:a + n, a:a + n] = old[b:b + n, b:b + n]
        self.kernel = new
        self._show_kernel_inputs()
        with self.quietly():
            self.preset.value = self._matching_preset()
        self.update()

    def _on_preset(self, change):
        if self._quiet or change["new"] == "custom":
            return
        self.kernel = np.array(EDGE_FILTERS[change["new"]], dtype=np.float64)
        with self.quietly():
            self.kernel_size.value = 3
        self._show_kernel_inputs()
        self.update()

    @property
    def values(self):
        """The controls' values and the filter (a tuple of rows: settings must hash)."""
        return {**super().values, "kernel": tuple(map(tuple, self.kernel))}

    def compute(self, kernel, stride, padding, step):
        return convolution_step(self.source, np.array(kernel), stride, padding, step)

    def layout_changed(self):
        # The filter's values are drawn by animated artists only; its size is not.
        return (self.changed("stride", "padding")
                or np.shape(self._drawn["kernel"]) != self.kernel.shape)

    # -- drawing ---------------------------------------------------------
    def _build_axes(self):
        grid = self.figure.add_gridspec(1, 4, width_ratios=[1.2, 0.75, 0.75, 1.2])
        self.ax_in, self.ax_kernel, self.ax_products, self.ax_out = (
            self.figure.add_subplot(grid[0, i]) for i in range(4))
        # Padding cells are masked (transparent) over a hatched patch, so an added zero
        # never looks like a dark pixel of the image.
        self.padding_patch = Rectangle((-0.5, -0.5), 1, 1, fc=PADDING_COLOR, ec="white",
                                       hatch="//", lw=0, zorder=-1)
        self.ax_in.add_patch(self.padding_patch)
        self.input_image = self.ax_in.imshow(
            np.zeros((1, 1)), interpolation="nearest",
            cmap=matplotlib.colormaps["gray"].with_extremes(bad=(0, 0, 0, 0)))
        self.ax_in.set_xlabel("column")
        self.ax_in.set_ylabel("row")
        self.add_geometry_artists(self.ax_in, self.ax_out)
        self.kernel_cells = NumberGrid(self.ax_kernel, "RdBu", MAX_KERNEL, fmt="{:.3g}")
        # Beyond 5x5 the products' numbers no longer fit their cells: colours only.
        self.product_cells = NumberGrid(self.ax_products, "RdBu", MAX_KERNEL, max_labels=5)
        self.ax_kernel.set_title("filter")
        self.ax_products.set_title("window × filter")
        self.sum_text = self.ax_products.text(0.5, -0.08, "", transform=self.ax_products.transAxes,
                                              ha="center", va="top", fontsize=10)
        self.output_image = self.ax_out.imshow(
            np.zeros((1, 1)), interpolation="nearest",
            cmap=matplotlib.colormaps["viridis"].with_extremes(bad=EMPTY))
        self.output_bar = RangeColorbar(self.output_image, self.ax_out)
        self.pixel = Rectangle((0, 0), 1, 1, fill=False, lw=2, ec=PIXEL_COLOR)
        self.ax_out.add_patch(self.pixel)
        # The filter panel and the output's colour bar are animated too, so that
        # typing a filter value redraws by blitting instead of a full draw.
        self.animate(self.window, self.sum_text, self.output_image, self.pixel, self.output_bar.bar.ax,
                     *self.product_cells.artists(), *self.kernel_cells.artists())

    def draw_static(self, state):
        h, w = self.source.shape
        k = self.kernel.shape[0]
        limit = symmetric_limit(self.kernel)
        self.kernel_cells.show(self.kernel, -limit, limit)
        self.ax_kernel.set_title(f"filter {k}×{k}")
        padded = self.source if state is None else state["padded"]
        mask = False if state is None else state["is_padding"]
        self.input_image.set_data(np.ma.masked_array(padded, mask=mask))
        self.padding_patch.set_bounds(-0.5, -0.5, padded.shape[1], padded.shape[0])
        self.input_image.set_clim(min(0.0, self.source.min()), max(self.source.max(), 1e-12))
        self.input_image.set_extent((-0.5, padded.shape[1] - 0.5, padded.shape[0] - 0.5, -0.5))
        edge_ticks(self.ax_in, *padded.shape)
        self.draw_geometry(state, k)
        if state is None:
            self.ax_in.set_title(f"input {h}×{w}")
            self.output_image.set_extent((-0.5, 0.5, 0.5, -0.5))
            return
        (top, bottom), (left, right) = state["pads"]
        self.ax_in.set_title(f"input {h}×{w} + zeros (hatched):\ntop {top}, bottom {bottom}, "
                             f"left {left}, right {right}" if top + bottom + left + right else
                             f"input {h}×{w}, no padding", fontsize=10)
        self.product_cells.fmt = "{:.2f}" if k <= 3 else "{:.1f}"
        self._product_limit = symmetric_limit(self.kernel) * symmetric_limit(padded)
        rows, cols = state["output_shape"]
        low, high = float(state["output"].min()), float(state["output"].max())
        self.output_bar.set_limits(low, high)
        self.output_image.set_extent((-0.5, cols - 0.5, rows - 0.5, -0.5))
        self.ax_out.set_title(f"output {rows}×{cols}")

    def draw_step(self, state):
        for artist in (self.window, self.pixel, self.sum_text):
            artist.set_visible(state is not None)
        if state is None:
            self.output_image.set_data(np.full((1, 1), np.nan))
            self.product_cells.show(np.full(self.kernel.shape, np.nan), -1, 1)
            return
        row, col = self.place_window(state)
        self.product_cells.show(state["products"], -self._product_limit, self._product_limit)
        self.sum_text.set_text(f"sum = {state['value']:.2f}\n→ output[{row}, {col}]")
        self.output_image.set_data(np.ma.masked_invalid(state["output_so_far"]))

    def describe(self):
        h, w = self.source.shape
        k = self.kernel.shape[0]
        head = (f"Convolution of a {h}x{w} image with a {k}x{k} filter, stride "
                f"{self.stride.value}, padding '{self.padding.value}'")
        return self.describe_step(head, " output", "{:.3f}")
