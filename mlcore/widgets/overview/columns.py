"""The columns of NetworkOverview: a layer's maps tiled in one image, or a vector as a strip.

Each column is one ``imshow`` however many maps it holds (one artist to
redraw per frame), fed values scaled to 0..1 by its colour limits.
"""
import matplotlib
import numpy as np

from ..base.toolkit import EDGE_CMAP, PIXEL_COLOR, Outlines, mosaic, symmetric_limit

MAX_TILE_ROWS = 8   # a layer's maps are stacked up to 8 high, then in more columns


def _cmap(name):
    return matplotlib.colormaps[name].with_extremes(bad="white")  # white gaps between tiles


def _set_cmap(image, name):
    if image.cmap.name != name:
        image.set_cmap(_cmap(name))


class MapColumn:
    """One layer's maps (H, W, K), tiled 8 high, on one colour scale from ``low``/``high``."""

    def __init__(self, ax, index, shape, cmap="viridis", numbered=False):
        self.index = index
        self.h, self.w, self.k = shape
        self.tiles = -(-self.k // MAX_TILE_ROWS)
        self.cmap = cmap
        self.image = ax.imshow(mosaic(np.zeros(shape), self.tiles), cmap=_cmap(cmap), vmin=0,
                               vmax=1, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        # Each map's number at its tile's top-left, on a white tag; animated like the
        # image, so that the blitted image is not drawn over them.
        self.numbers = [ax.text(x + 0.3, y + 0.3, str(channel), ha="left", va="top",
                                fontsize=6, bbox=dict(fc="white", ec="none", pad=0.6, alpha=0.85))
                        for channel in range(self.k if numbered else 0)
                        for x, y, _, _ in [self.box(channel, 0, 0, 1, 1)]]
        self.legend = ax.text(0.5, -0.01, "", transform=ax.transAxes, ha="center", va="top",
                              fontsize=7)
        self.window = Outlines(ax)
        self.pixel = Outlines(ax, color=PIXEL_COLOR, linewidth=2.5)

    def artists(self):
        return [self.image, *self.numbers, self.legend, self.window.collection, self.pixel.collection]

    def show(self, maps, low, high, legend):
        _set_cmap(self.image, EDGE_CMAP if np.any(low < 0) else self.cmap)
        self.image.set_data(np.ma.masked_invalid(mosaic((maps - low) / (high - low), self.tiles)))
        self.legend.set_text(legend)

    def box(self, channel, top, left, height, width):
        """(x, y, w, h) in data coordinates of a block of map ``channel``."""
        r, c = divmod(channel, self.tiles)
        return (c * (self.w + 1) + left - 0.5, r * (self.h + 1) + top - 0.5, width, height)


class StripColumn:
    """A vector layer (flatten, dense) as a column of cells, coloured by value."""

    def __init__(self, ax, index, size, cmap="viridis"):
        self.index = index
        self.cmap = cmap
        self.image = ax.imshow(np.zeros((size, 1)), cmap=_cmap(cmap), vmin=0, vmax=1,
                               aspect="auto", interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        self.legend = ax.text(0.5, -0.01, "", transform=ax.transAxes, ha="center", va="top",
                              fontsize=7)

    def artists(self):
        return [self.image, self.legend]

    def show(self, values):
        top = symmetric_limit(values)
        signed = values.min() < 0
        _set_cmap(self.image, EDGE_CMAP if signed else self.cmap)
        self.image.set_data(((values / top + 1) / 2 if signed else values / top)[:, None])
        self.legend.set_text(f"±{top:.3g}" if signed else f"0 … {top:.3g}")
