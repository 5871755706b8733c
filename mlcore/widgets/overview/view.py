"""NetworkOverview: one image through a whole CNN, and one output pixel opened up.

The state comes from ``overview_state`` / ``pixel_explanation`` (one forward
pass of the engine; see ``state.py``); this module draws the columns and the
bars, ``zoom.py`` the opened pixel below them, and ``controls.py`` builds the
controls.
"""
import ipywidgets as widgets
import numpy as np

from ...training.callbacks import Callback
from ...layers import Conv2D
from ..base.toolkit import BLUE, ORANGE, format_number, symmetric_limit
from ..base.view import Explorer
from .columns import MAX_TILE_ROWS, MapColumn, StripColumn
from .controls import control_rows, fit_pixel_sliders, input_controls, view_controls
from .state import (check_cnn, map_limits, overview_state, pixel_explanation, saliency_map,
                    transform_image)
from .zoom import PixelZoom


class NetworkOverview(Explorer):
    """One input through a whole CNN: every layer's maps, the class probabilities,
    and the arithmetic behind any output pixel of a Conv2D or pooling layer.

    Like CNN Explainer, for any trained ``mlcore`` ``Sequential`` with
    ``Conv2D`` layers. Columns, left to right: the input, then one per layer
    with all its feature maps (tiled up to 8 high; shape in the title) on a
    shared colour scale, vector layers (flatten, dense) as a strip of cells,
    and the last layer's outputs as bars with the predicted class marked.
    The row below opens one pixel of the chosen map: the map with the pixel
    outlined, the window of the layer's input (all input channels, also
    outlined in the column to the left), the kernel, the products, the sums
    per channel plus the bias, ``z`` and the activation; for a pooling map
    the window and its maximum (or mean).

    Controls: the input (a digit and which of its 500 MNIST-5k examples, or
    the index into the images you passed); shift, rotation and seeded noise
    (``mlcore.augment``); the colour scale (CNN Explainer's unit = each map
    on its own, layer, or global = one scale for all layers); the map to
    open, and the pixel's row and column. A picture in an
    ``ipywidgets.Image`` cannot be clicked, so the map and pixel are chosen
    with the dropdown and the sliders.

    Beyond CNN Explainer: any engine model and input shape; a saliency map
    (the gradient of the predicted probability with respect to the input,
    from the engine's backward pass) under the input; the chosen map back
    in the kernel (``selected_map``); and live redraws while training
    (``model.fit(..., callbacks=[overview.training_callback()])``).

    Parameters
    ----------
    model : Sequential
        Built, with at least one ``Conv2D`` layer.
    image : array, optional
        One image of the model's input shape ((H, W) also works for a
        one-channel model) or a batch of them. Default: MNIST-5k (the model
        must then take 28x28x1 images scaled to [0, 1]).
    class_names : list of str, optional
        Labels of the output bars; default 0, 1, 2, ...
    cmap : str, default "viridis"
        Colour map of the feature maps, strips and zoomed window (a chapter
        whose other figures use "cividis" passes it, for one convention).
    saliency : bool, default True
        Draw the saliency map under the input (False: the input alone, and
        no extra backward pass per update).
    map_numbers : bool, default False
        Write each map's number (0, 1, ...) at the top-left of its tile, so
        a text can name "map 1" and the reader can find it.

    Attributes
    ----------
    selected_map : array (H_out, W_out)
        The chosen map for the current input, as the engine computed it.
    explanation : dict
        ``pixel_explanation``'s dict for the chosen pixel.
    readout : ipywidgets.Label
        The opened pixel, its value and the prediction in words (``summary()``).
    zoom : PixelZoom
        The row that opens the pixel (``zoom.py``): its axes and artists.
    state : dict
        ``overview``: ``overview_state``'s dict; ``explanation``; ``limits``
        (``map_limits``); ``image``: the input after shift, rotation, noise.

    Raises
    ------
    ValueError
        For a model without ``Conv2D`` layers (before its output layer), or an
        image of the wrong shape.
    """

    title = "network overview"
    cache_size = 16

    def __init__(self, model, image=None, class_names=None, cmap="viridis", saliency=True,
                 map_numbers=False):
        where = "NetworkOverview"
        check_cnn(model, where)
        if not any(isinstance(layer, Conv2D) for layer in model.layers[:-1]):
            raise ValueError(f"{where}: model '{model.name}' has no Conv2D layer before its "
                             f"output layer '{model.layers[-1].name}' (drawn as bars)")
        self.model = model
        self.cmap, self.with_saliency, self.map_numbers = cmap, saliency, map_numbers
        self._shown = None
        self.readout = widgets.Label()
        self.images, self._by_digit, controls = input_controls(model, image, where)
        first = overview_state(model, self._source(
            {name: control.value for name, control in controls.items()}))
        self.columns = []
        super().__init__(figsize=(12, 7.2))
        self.follow_weights(model)
        self._build_figure(first, class_names)
        controls.update(view_controls(first))
        self.add_controls(show=False, **controls)
        for name, control in controls.items():
            setattr(self, name, control)
        self.controls = control_rows(controls, self.readout)
        self.update()

    # -- controls --------------------------------------------------------------------
    def _source(self, values):
        """The chosen input image, before shift, rotation and noise."""
        if self._by_digit is None:
            return self.images[values["sample"]]
        return self.images[self._by_digit[values["digit"]][values["sample"]]]

    def _fit_pixel_sliders(self):
        """Fit row, col and input channel to the chosen map's layer, without an update
        per change; a newly chosen layer opens its centre pixel."""
        index = self.open_map.value[0]
        with self.quietly():
            fit_pixel_sliders(self.model.layers[index], self.row, self.col, self.in_channel,
                              centre=self._shown is None or self._shown[0] != index)

    def update(self, recompute=True):
        """The base's update, after fitting the pixel sliders to the chosen map."""
        if not self._quiet:
            self._fit_pixel_sliders()
        super().update(recompute)

    # -- state -----------------------------------------------------------------------
    def compute(self, open_map, row, col, in_channel, scale, shift_y, shift_x, rotation, noise,
                seed, **source):
        image = transform_image(self._source(source), (shift_y, shift_x), rotation, noise, seed)
        state = overview_state(self.model, image)
        layer, channel = open_map
        explanation = pixel_explanation(self.model, None, layer, channel, row, col, state=state)
        return dict(overview=state, explanation=explanation, limits=map_limits(state, scale),
                    image=image, scale=scale, in_channel=in_channel,
                    saliency=saliency_map(self.model, image, state["predicted"])
                    if self.with_saliency else None)

    def training_callback(self, every=1):
        """A callback for ``model.fit(..., callbacks=[...])`` that redraws the overview
        every ``every`` epochs, so the maps change while the network learns."""
        overview = self

        class RedrawOverview(Callback):
            def on_epoch_end(self, epoch, logs=None):
                if (epoch + 1) % every == 0:
                    overview.update()  # new weights: recomputed and redrawn

        return RedrawOverview()

    @property
    def explanation(self):
        return self.state["explanation"]

    @property
    def selected_map(self):
        layer, channel = self.open_map.value
        return np.array(self.state["overview"]["layers"][layer]["output"][:, :, channel])

    # -- figure ----------------------------------------------------------------------
    def _build_figure(self, first, class_names):
        layers = first["layers"]
        specs = [("input", -1, first["input"].shape)] + [
            (entry["name"], i, entry["output"].shape) for i, entry in enumerate(layers)]
        ratios = []
        for _, index, shape in specs[:-1]:
            if len(shape) == 3:
                tiles = -(-shape[2] // MAX_TILE_ROWS)
                rows = -(-shape[2] // tiles)
                ratios.append(float(np.clip(tiles * (shape[1] + 1) / (rows * (shape[0] + 1)),
                                            0.25, 0.45)))
            else:
                ratios.append(0.12)
        grid = self.figure.add_gridspec(2, 1, height_ratios=[3.2, 2])
        top = grid[0].subgridspec(1, len(specs), width_ratios=ratios + [0.6], wspace=0.08)
        first_column = top[0, 0].subgridspec(2 if self.with_saliency else 1, 1, hspace=0.25)
        for position, (name, index, shape) in enumerate(specs[:-1]):
            ax = self.figure.add_subplot(first_column[0] if position == 0 else top[0, position])
            kind = "" if index < 0 else layers[index]["kind"]
            named = kind.replace(" ", "") in name.replace("_", "").lower()
            ax.set_title(f"{name}\n{'' if named else kind + ' '}{'×'.join(map(str, shape))}",
                         fontsize=8)
            if len(shape) == 3:
                column = MapColumn(ax, index, shape, cmap="gray" if index < 0 else self.cmap,
                                   numbered=self.map_numbers and index >= 0)
            else:
                column = StripColumn(ax, index, shape[0], cmap=self.cmap)
            self.columns.append(column)
            self.animate(*column.artists())
        self.saliency = None
        if self.with_saliency:
            ax = self.figure.add_subplot(first_column[1])
            ax.set_title("saliency\n∂ p(predicted) / ∂ input", fontsize=8)
            self.saliency = MapColumn(ax, -1, specs[0][2])  # signed: drawn in EDGE_CMAP
            self.animate(*self.saliency.artists())
        self._build_bars(self.figure.add_subplot(top[0, -1]), specs[-1], class_names)
        self.zoom = PixelZoom(self.figure, grid[1], cmap=self.cmap)
        self.animate(*self.zoom.artists())

    def _build_bars(self, ax, spec, class_names):
        name, index, shape = spec
        count = int(np.prod(shape))
        names = [str(c) for c in (range(count) if class_names is None else class_names)]
        if len(names) != count:
            raise ValueError(f"NetworkOverview: the model has {count} outputs, got "
                             f"{len(names)} class_names")
        self.class_names = names
        self.bars = ax.barh(range(count), np.zeros(count), color=BLUE)
        ax.set_yticks(range(count), names, fontsize=8 if count <= 12 else 6)
        ax.invert_yaxis()
        probabilities = self.model.layers[-1].activation.name in ("softmax", "sigmoid") \
            if hasattr(self.model.layers[-1], "activation") else False
        self._bar_limits = (0.0, 1.0) if probabilities else None
        ax.set_xlim(0, 1)
        ax.set_title(f"{name}\n{'probabilities' if probabilities else 'outputs'}", fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        ax.set_xlabel("probability" if probabilities else "output", fontsize=7)
        self.prediction = ax.text(0.5, -0.13, "", transform=ax.transAxes, ha="center",
                                  va="top", fontsize=9, color=ORANGE, fontweight="bold")
        self.ax_bars = ax
        self.animate(*self.bars, self.prediction)

    # -- drawing ---------------------------------------------------------------------
    def draw(self, state):
        overview, e = state["overview"], state["explanation"]
        limits = state["limits"]
        for column in self.columns:
            if column.index < 0:
                image = state["image"]
                low, high = min(0.0, float(image.min())), float(image.max())
                column.show(image, low, max(high, low + 1e-12), f"{low:.3g} … {high:.3g}")
                if self.saliency is not None:
                    gradient = state["saliency"]
                    top = symmetric_limit(gradient)
                    self.saliency.show(gradient, -top, top, f"±{top:.3g}")
            elif isinstance(column, MapColumn):
                low, high = limits[column.index]
                column.show(overview["layers"][column.index]["output"], low, high,
                            self._legend(low, high, state["scale"]))
            else:
                column.show(overview["layers"][column.index]["output"])
            if isinstance(column, MapColumn):
                column.window.show([])
                column.pixel.show([])
        self._draw_bars(overview)
        self.readout.value = self.summary()
        # The kernel and the titles change only with the chosen map or the weights: drawn
        # in the background.
        shown = (e["layer_index"], e["channel"], state["in_channel"])
        full, self._shown = self._shown != shown or self.changed("weights"), shown
        self._draw_zoom(state, e, full)
        return full or self._bar_limits is None

    @staticmethod
    def _legend(low, high, scale):
        if scale == "unit":
            return "each map: its own range"
        return f"±{high[0]:.3g}" if low[0] < 0 else f"0 … {high[0]:.3g}"

    def _draw_bars(self, overview):
        values = overview["probabilities"]
        for k, bar in enumerate(self.bars):
            bar.set_width(values[k])
            bar.set_color(ORANGE if k == overview["predicted"] else BLUE)
        if self._bar_limits is None:
            self.ax_bars.set_xlim(min(0.0, float(values.min())), max(1e-12, float(values.max())))
        label = self.class_names[overview["predicted"]]
        self.prediction.set_text(f"predicted: {label}" + (f" ({values.max():.1%})" if
                                 self._bar_limits else ""))

    def _column(self, index):
        return next(c for c in self.columns if c.index == index)

    def _draw_zoom(self, state, e, full):
        """Outline the opened pixel and its input window in the columns; open it below."""
        layer, channel, (row, col) = e["layer_index"], e["channel"], e["pixel"]
        chosen = self._column(layer)
        chosen.pixel.show([chosen.box(channel, row, col, 1, 1)])
        source = self._column(layer - 1)
        top, left = e["origin"]
        kh, kw = e["padding"].shape
        channels = range(source.k) if e["kind"] == "conv" else [channel]
        source.window.show([source.box(c, top, left, kh, kw) for c in channels])
        low, high = state["limits"][layer]
        self.zoom.draw(state["overview"]["layers"][layer]["output"], low, high, e,
                       state["in_channel"], full)

    def summary(self):
        """One line: the opened pixel, its value and the prediction (the readout's text)."""
        overview, e = self.state["overview"], self.explanation
        label = self.class_names[overview["predicted"]]
        return (f"open: {e['layer']} · map {e['channel']}, pixel {e['pixel']} = "
                f"{format_number(e['a'], '{:.4g}')} · predicted: {label} "
                f"({overview['probabilities'].max():.1%})")

    def describe(self):
        if self.state is None:
            return self.title
        return f"Network overview of '{self.model.name}': {self.summary()}"
