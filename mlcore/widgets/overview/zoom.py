"""NetworkOverview's bottom row: one output pixel opened up.

The chosen map with the pixel outlined, the window of the layer's input, the
kernel, the products, and the arithmetic in words: the sums per channel plus
the bias, ``z`` and the activation; for a pooling map the window and its
maximum (or mean). It draws ``pixel_explanation``'s dict (``state.py``).
"""
import numpy as np
from matplotlib.ticker import MaxNLocator

from ..base.toolkit import (EDGE_CMAP, PIXEL_COLOR, NumberGrid, Outlines, format_number,
                            mosaic, symmetric_limit)
from .columns import MapColumn

MAX_NUMBERS = 7     # window mosaics up to 7 cells a side print their numbers (4 channels of 3x3)
NUMBER = "{:.2f}"


class PixelZoom:
    """The row of five axes that opens one pixel of a Conv2D or pooling map.

    Parameters
    ----------
    figure : matplotlib Figure
    spec : SubplotSpec
        The figure's slot for the row.
    cmap : str
        Colour map of the opened map and of the window's values.
    """

    def __init__(self, figure, spec, cmap="viridis"):
        row = spec.subgridspec(1, 5, width_ratios=[1, 1, 1, 1, 1.3], wspace=0.15)
        self.ax_map, self.ax_window, self.ax_kernel, self.ax_products, self.ax_text = (
            figure.add_subplot(row[0, i]) for i in range(5))
        self.zoom_map = MapColumn(self.ax_map, None, (1, 1, 1), cmap=cmap)
        # Whole-pixel row and column numbers, so the opened pixel can be found by its index.
        for axis in (self.ax_map.xaxis, self.ax_map.yaxis):
            axis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        self.ax_map.tick_params(labelsize=7, length=2)
        self.window_cells = NumberGrid(self.ax_window, cmap, MAX_NUMBERS, fmt=NUMBER)
        self.kernel_cells = NumberGrid(self.ax_kernel, EDGE_CMAP, MAX_NUMBERS, fmt=NUMBER)
        self.product_cells = NumberGrid(self.ax_products, EDGE_CMAP, MAX_NUMBERS, fmt=NUMBER)
        self.winner = Outlines(self.ax_window, color=PIXEL_COLOR, linewidth=2.5)
        self.ax_text.axis("off")
        self.equation = self.ax_text.text(0, 1, "", transform=self.ax_text.transAxes, va="top",
                                          ha="left", fontsize=8, family="monospace")

    def artists(self):
        """The artists that change with every pixel (the kernel changes only with the map)."""
        return (*self.zoom_map.artists(), *self.window_cells.artists(),
                *self.product_cells.artists(), self.winner.collection, self.equation)

    def draw(self, maps, low, high, e, in_channel, full):
        """Show pixel ``e['pixel']`` of ``maps[:, :, e['channel']]`` (H, W, K) on the colour
        scale ``low``/``high`` (one per map); ``full`` also redraws the kernel and titles."""
        channel, (row, col) = e["channel"], e["pixel"]
        if full:
            self.zoom_map.image.set_extent((-0.5, maps.shape[1] - 0.5, maps.shape[0] - 0.5, -0.5))
            self.ax_map.set_xlim(-0.5, maps.shape[1] - 0.5)
            self.ax_map.set_ylim(maps.shape[0] - 0.5, -0.5)
            h, w = maps.shape[:2]
            self.ax_map.set_title(f"{e['layer']} · map {channel}\n{h}×{w}", fontsize=9)
        self.zoom_map.show(maps[:, :, channel:channel + 1], low[channel], high[channel], "")
        self.zoom_map.pixel.show([(col - 0.5, row - 0.5, 1, 1)])
        if e["kind"] == "conv":
            self._draw_conv(e, in_channel, full)
        else:
            self._draw_pool(e, full)

    def _draw_conv(self, e, in_channel, full):
        window = np.where(e["padding"][:, :, None], np.nan, e["window"])
        picked = slice(None) if in_channel < 0 else slice(in_channel, in_channel + 1)
        tiles = int(np.ceil(np.sqrt(window[:, :, picked].shape[2])))
        shown = [mosaic(a[:, :, picked], tiles) for a in (window, e["kernel"], e["products"])]
        finite = window[np.isfinite(window)]
        self.window_cells.show(shown[0], min(0.0, float(finite.min(initial=0))),
                               max(1e-12, float(finite.max(initial=0))))
        limit = symmetric_limit(shown[2])
        self.product_cells.show(shown[2], -limit, limit)
        self.winner.show([])
        c_in = window.shape[2]
        if full:
            limit = symmetric_limit(shown[1])
            self.kernel_cells.show(shown[1], -limit, limit)
            channels = f"{c_in} channel{'s' * (c_in > 1)}" if in_channel < 0 else \
                f"channel {in_channel} of {c_in}"
            self.ax_window.set_title(f"input window, {channels}\n(blank: zero padding)",
                                     fontsize=9)
            self.ax_kernel.set_title(f"kernel[:, :, {':' if in_channel < 0 else in_channel}, "
                                     f"{e['channel']}]", fontsize=9)
            self.ax_products.set_title("window × kernel" + (
                "" if max(shown[0].shape) <= MAX_NUMBERS else "\n(numbers: pick an input channel)"),
                fontsize=9)
            for ax in (self.ax_kernel, self.ax_products):
                ax.set_visible(True)
        self.product_cells.image.set_visible(True)
        marks = [" ◀" if c == in_channel else "" for c in range(c_in)]
        sums = [f"ch {c:>2}: {format_number(s, '{:+.3f}')}{marks[c]}"
                for c, s in enumerate(e["channel_sums"])]
        pairs = ["   ".join(sums[i:i + 2]) for i in range(0, len(sums), 2)]
        self.equation.set_text("\n".join(
            _window_lines(e, e["padding"].shape) + ["sum of products per channel:"] + pairs[:8] +
            (["  ..."] if len(pairs) > 8 else []) +
            [f"Σ       = {format_number(e['sum'], '{:+.4f}')}",
             f"+ bias  = {format_number(e['bias'], '{:+.4f}')}",
             f"z       = {format_number(e['value'], '{:+.4f}')}"
             f"  (engine {format_number(e['z'], '{:.4f}')})",
             f"{e['activation']}(z) = {format_number(e['a'], '{:.4f}')}"]))

    def _draw_pool(self, e, full):
        window = e["window"]
        finite = window[np.isfinite(window)]
        self.window_cells.show(window, min(0.0, float(finite.min())),
                               max(1e-12, float(finite.max())))
        if e["winner"] is None:
            self.winner.show([])
        else:
            r, c = e["winner"]
            self.winner.show([(c - 0.5, r - 0.5, 1, 1)])
        if full:
            ph, pw = window.shape
            self.ax_window.set_title(f"{ph}×{pw} window of channel {e['channel']}", fontsize=9)
            for ax in (self.ax_kernel, self.ax_products):
                ax.set_visible(False)
        for artist in self.product_cells.artists():  # animated: drawn even on a hidden axes
            artist.set_visible(False)
        how = "max" if e["kind"] == "max pool" else "mean"
        self.equation.set_text("\n".join(_window_lines(e, window.shape) + [
            f"{how} of the window = {format_number(e['value'], '{:.4f}')}",
            f"(engine's output: {format_number(e['a'], '{:.4f}')})"]))


def _window_lines(e, size):
    """The first two lines of the arithmetic: which pixel, and its window of the layer's input."""
    (row, col), (top, left), (kh, kw) = e["pixel"], e["origin"], size
    return [f"pixel ({row}, {col}): window rows {top}..{top + kh - 1},",
            f"  cols {left}..{left + kw - 1} of the layer's input"]
