"""The widgets' shared toolkit: colours, number formatting and reusable artists.

Every view imports what it shares with other views from here, never from
another view's module, so each view module holds only its own controls,
compute and draw.
"""
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PolyCollection
from matplotlib.colors import Normalize
from matplotlib.ticker import FuncFormatter

# Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
BLUE, ORANGE, GREEN = OKABE_ITO[:3]
WINDOW_COLOR = "#E69F00"
PIXEL_COLOR = "#D55E00"
BORDER_COLOR = "#56B4E9"
PADDING_COLOR = "#CC79A7"  # reddish purple, hatched: zeros added by padding, never a pixel value
EMPTY = "0.85"  # light grey: output pixels not computed yet, gaps between tiles
EDGE_CMAP = "RdBu"    # diverging: red negative, blue positive (colorblind-safe pair)
NODE_CMAP = "PuOr"    # diverging too: node values can have either sign
NEUTRAL = "#9a9a9a"   # edges and nodes with no value to show yet


def format_number(value, fmt="{:.2f}"):
    """Format a number for a label: no '-0.00', and 'inf'/'nan' spelled out."""
    if not np.isfinite(value):
        return "overflow" if np.isinf(value) else "nan"
    text = fmt.format(value)
    return text[1:] if text.startswith("-") and float(text) == 0 else text



class NumberGrid:
    """A heatmap whose cells also print their numbers (up to ``max_cells`` a side).

    A fixed pool of text artists is reused, so redrawing only moves and
    rewrites them; text is black or white, whichever reads on the cell colour.
    """

    def __init__(self, ax, cmap, max_cells, fmt="{:.2f}", max_labels=None, fontsize=9):
        self.ax, self.fmt, self.max_cells = ax, fmt, max_cells
        self.max_labels = max_cells if max_labels is None else max_labels
        self.image = ax.imshow(np.zeros((1, 1)), cmap=cmap, interpolation="nearest")
        self.texts = [ax.text(0, 0, "", ha="center", va="center", fontsize=fontsize)
                      for _ in range(max_cells * max_cells)]
        ax.set_xticks([])
        ax.set_yticks([])

    def artists(self):
        return [self.image] + self.texts

    def show(self, values, vmin, vmax, labels=True):
        """Draw ``values`` (rows, cols; nan = empty cell) with colours from vmin..vmax."""
        rows, cols = values.shape
        self.image.set_data(np.ma.masked_invalid(values))
        self.image.set_clim(vmin, vmax)
        self.image.set_extent((-0.5, cols - 0.5, rows - 0.5, -0.5))
        self.ax.set_xlim(-0.5, cols - 0.5)
        self.ax.set_ylim(rows - 0.5, -0.5)
        labels = labels and max(rows, cols) <= self.max_labels
        rgba = self.image.cmap(Normalize(vmin, vmax)(values))
        dark = rgba[..., :3] @ np.array([0.299, 0.587, 0.114]) < 0.5
        size = min(9.0, 28 / max(rows, cols) + 3)
        for k, text in enumerate(self.texts):
            r, c = divmod(k, self.max_cells)
            visible = labels and r < rows and c < cols and bool(np.isfinite(values[r, c]))
            text.set_visible(visible)
            if visible:
                text.set_position((c, r))
                text.set_text(format_number(values[r, c], self.fmt))
                text.set_color("white" if dark[r, c] else "black")
                text.set_fontsize(size)


class RangeColorbar:
    """A colour bar for an image whose colour limits change often.

    Built once for 0..1 and labelled, when drawn, with the image's current
    limits at its bottom, middle and top: changing the limits costs no
    rebuild (a colour bar linked to the image rebuilds itself on every
    change, about 35 ms).
    """

    def __init__(self, image, ax, label=None):
        self.image = image
        self.bar = ax.figure.colorbar(ScalarMappable(Normalize(0, 1), image.cmap), ax=ax,
                                      shrink=0.8, label=label)
        self.bar.set_ticks([0, 0.5, 1])
        self.bar.formatter = FuncFormatter(self._label)

    def _label(self, position, _):
        low, high = self.image.get_clim()
        return format_number(low + position * (high - low), "{:.3g}")

    def set_limits(self, low, high):
        """Colour limits of the image (and so the bar's labels); equal limits are widened."""
        self.image.set_clim(low, high if high > low else low + 1e-12)


def edge_ticks(ax, rows, cols):
    """Limits of a (rows, cols) image and ticks at its first and last row/column only."""
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_xticks(sorted({0, cols - 1}))
    ax.set_yticks(sorted({0, rows - 1}))


def symmetric_limit(*arrays):
    """max |value| over the arrays (at least 1e-12), for a colormap centred at 0."""
    return max([1e-12] + [float(np.nanmax(np.abs(a))) for a in arrays if np.size(a)])


class Outlines:
    """Rectangle outlines on an axes that move on every redraw (one artist, blitted).

    ``show([(x, y, width, height), ...])`` replaces them (data coordinates;
    an empty list hides them). Cheaper than one ``Rectangle`` per outline
    when their number changes, e.g. a window drawn on every input channel.
    """

    def __init__(self, ax, color=WINDOW_COLOR, linewidth=2.0):
        self.collection = PolyCollection([], facecolors="none", edgecolors=color,
                                         linewidths=linewidth, zorder=3)
        ax.add_collection(self.collection, autolim=False)

    def show(self, boxes):
        self.collection.set_verts([[(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                                   for x, y, w, h in boxes])
