"""The widgets' shared toolkit: colours, number formatting and reusable artists.

Every view imports what it shares with other views from here, never from
another view's module, so each view module holds only its own controls,
compute and draw.
"""
import numpy as np
from matplotlib.artist import Artist
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PolyCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize
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
# Two classes: orange (class 0, or -1) through white to blue (class 1, or +1), as Playground
CLASS_CMAP = LinearSegmentedColormap.from_list("classes", ["#E69F00", "#F7F7F7", "#0072B2"])


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


def mosaic(stack, columns):
    """Tile maps ``(H, W, K)`` into one image, row by row, a nan gap between tiles.

    Returns an array ``(rows * (H + 1) - 1, columns * (W + 1) - 1)`` with
    ``rows = ceil(K / columns)``; unused tiles are nan.
    """
    h, w, k = stack.shape
    rows = -(-k // columns)
    out = np.full((rows * (h + 1) - 1, columns * (w + 1) - 1), np.nan)
    for index in range(k):
        r, c = divmod(index, columns)
        out[r * (h + 1):r * (h + 1) + h, c * (w + 1):c * (w + 1) + w] = stack[:, :, index]
    return out


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


class PixelImage(Artist):
    """An RGBA picture put on the canvas pixel for pixel, over a given axes.

    ``imshow`` resamples its data on every draw (about 10 ms for a picture
    the size of an axes); a picture already made at the axes' size in
    pixels needs none, so this artist copies it straight onto the canvas.
    Give it ``pixels`` of the shape ``shape`` (row 0 at the top) and change
    them in place, or ``set_pixels``.

    Parameters
    ----------
    ax : Axes
        Its position on the figure must be final (no layout engine moving it).
    """

    def __init__(self, ax, zorder=0.5):
        super().__init__()
        box = ax.get_window_extent()
        self.left, self.bottom = int(round(box.x0)), int(round(box.y0))
        self.shape = (int(round(box.height)), int(round(box.width)), 4)
        self.pixels = np.zeros(self.shape, np.uint8)
        self.set_zorder(zorder)
        ax.add_artist(self)

    def set_pixels(self, pixels):
        self.pixels[...] = pixels

    def draw(self, renderer):
        if not self.get_visible():
            return
        gc = renderer.new_gc()
        renderer.draw_image(gc, self.left, self.bottom, np.ascontiguousarray(self.pixels[::-1]))
        gc.restore()


def scatter_layer(ax, points, **style):
    """Points drawn once into a ``PointLayer`` the size of ``ax`` (row 0 at the top).

    For points over a picture that changes every frame: blending this
    layer onto the picture (``blend``) costs far less than drawing the
    scatter again each time. ``style`` goes to ``Axes.scatter``.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    box, dpi = ax.get_window_extent(), ax.figure.dpi
    figure = Figure(figsize=(round(box.width) / dpi, round(box.height) / dpi), dpi=dpi)
    FigureCanvasAgg(figure)
    figure.patch.set_alpha(0)
    layer_ax = figure.add_axes((0, 0, 1, 1), xlim=ax.get_xlim(), ylim=ax.get_ylim())
    layer_ax.set_axis_off()
    layer_ax.scatter(*np.asarray(points).reshape(-1, 2).T, **style)
    figure.canvas.draw()
    return PointLayer(np.asarray(figure.canvas.buffer_rgba(), dtype=np.float32) / 255)


class PointLayer:
    """An RGBA layer (floats 0..1, shape (H, W, 4)) kept as what ``blend`` needs.

    Only the pixels a point covers (alpha > 0) are stored, in row-major order
    (``index`` into the flattened picture), with their colour already
    weighted by alpha (``ink`` = 255 rgb alpha) and the share of the picture
    that shows through (``keep`` = 1 - alpha): a frame's blend is one
    multiply-add over those pixels.
    """

    def __init__(self, rgba):
        alpha = rgba[..., 3:]
        covered = alpha[..., 0] > 0
        self.shape = rgba.shape
        self.index = np.flatnonzero(covered)
        self.ink = rgba[covered, :3] * 255 * alpha[covered]
        self.keep = 1 - alpha[covered]


def blend(pixels, layer):
    """``layer`` (a ``PointLayer``) over uint8 RGBA ``pixels`` (C-contiguous), in place."""
    if pixels.shape[:2] != layer.shape[:2] or not pixels.flags.c_contiguous:
        raise ValueError(f"blend: pixels must be a C-contiguous array of shape "
                         f"{layer.shape[:2] + (4,)}, got shape {pixels.shape}")
    flat = pixels.reshape(-1, pixels.shape[-1])
    mixed = layer.ink + flat[layer.index, :3] * layer.keep
    flat[layer.index, :3] = np.round(mixed).astype(np.uint8)
    return pixels


def color_lookup(cmap, lighten=0.0, levels=256):
    """A cmap as a (levels, 4) uint8 table, blended ``lighten`` of the way to white.

    ``table[(values * (levels - 1)).astype(int)]`` colours values in 0..1 far
    faster than calling the cmap.
    """
    rgba = cmap(np.linspace(0, 1, levels))
    rgba[:, :3] += lighten * (1 - rgba[:, :3])
    return np.round(255 * rgba).astype(np.uint8)


def nearest_resize(values, height, width):
    """``values`` (h, w, ...) resampled to (height, width, ...) by the nearest cell."""
    rows = (np.arange(height) * values.shape[0] // height)
    cols = (np.arange(width) * values.shape[1] // width)
    return values[rows[:, None], cols[None, :]]


class TileMosaic:
    """Many small images (tiles) placed on an axes, drawn as ONE image artist.

    Fifty thumbnails as fifty ``imshow`` artists cost fifty draws per frame;
    pasted into one RGBA picture (transparent between the tiles, a thin grey
    frame around each) they cost one. The axes' position and limits must be
    final when the mosaic is made: tiles are placed in its pixels.

    Parameters
    ----------
    ax : Axes
    centres : array, shape (n, 2)
        Where each tile goes, in data coordinates.
    tile : int
        Side of a tile in pixels.
    cmap : Colormap
        Tile values are drawn through it, -1 .. 1 (see ``show``).
    """

    def __init__(self, ax, centres, tile, cmap, zorder=2):
        self.image = PixelImage(ax, zorder=zorder)
        height, width, _ = self.image.shape
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        centres = np.asarray(centres, dtype=float).reshape(-1, 2)
        cols = np.round((centres[:, 0] - x0) / (x1 - x0) * width - tile / 2).astype(int)
        rows = np.round((y1 - centres[:, 1]) / (y1 - y0) * height - tile / 2).astype(int)
        self.corners = list(zip(np.clip(rows, 1, height - tile - 1),
                                np.clip(cols, 1, width - tile - 1)))
        self.tile, self.table = tile, color_lookup(cmap)
        for r, c in self.corners:  # the frames: drawn once, the tiles overwrite their inside
            self.image.pixels[r - 1:r + tile + 1, c - 1:c + tile + 1] = (80, 80, 80, 255)

    def show(self, tiles):
        """Draw the tiles: (n, h, w) values in -1 .. 1, row 0 at the bottom (``origin='lower'``).

        Any h, w work: tiles are resampled to ``tile`` pixels (nearest value).
        """
        tiles = np.asarray(tiles)
        t = self.tile
        index = np.clip(((tiles + 1) * 127.5).astype(int), 0, 255)
        rgba = self.table[nearest_resize(index.transpose(1, 2, 0)[::-1], t, t)]  # (t, t, n, 4)
        for k, (r, c) in enumerate(self.corners):
            self.image.pixels[r:r + t, c:c + t] = rgba[:, :, k]
