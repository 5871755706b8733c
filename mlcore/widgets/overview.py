"""NetworkOverview: one image through a whole CNN, and one output pixel opened up.

The state comes from ``overview_state`` / ``pixel_explanation`` (one forward
pass of the engine; see ``overview_state.py``); this module only draws it.
"""
import ipywidgets as widgets
import numpy as np

from ..callbacks import Callback
from ..data import load_mnist
from ..layers import Conv2D
from .overview_columns import MAX_TILE_ROWS, MapColumn, StripColumn
from .overview_state import (SCALES, WINDOW_KINDS, check_cnn, map_limits, model_image,
                             overview_state, pixel_explanation, saliency_map, transform_image)
from .toolkit import (BLUE, EDGE_CMAP, ORANGE, PIXEL_COLOR, NumberGrid, Outlines, format_number,
                      mosaic, symmetric_limit)
from .view import Explorer

MAX_NUMBERS = 7     # window mosaics up to 7 cells a side print their numbers (4 channels of 3x3)
NUMBER = "{:.2f}"


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

    Attributes
    ----------
    selected_map : array (H_out, W_out)
        The chosen map for the current input, as the engine computed it.
    explanation : dict
        ``pixel_explanation``'s dict for the chosen pixel.
    readout : ipywidgets.Label
        The opened pixel, its value and the prediction in words (``summary()``).
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

    def __init__(self, model, image=None, class_names=None):
        where = "NetworkOverview"
        check_cnn(model, where)
        if not any(isinstance(layer, Conv2D) for layer in model.layers[:-1]):
            raise ValueError(f"{where}: model '{model.name}' has no Conv2D layer before its "
                             f"output layer '{model.layers[-1].name}' (drawn as bars)")
        self.model = model
        self._adjusting = False
        self._shown = None
        self.readout = widgets.Label()
        controls = self._input_controls(model, image, where)
        first = overview_state(model, self._source(self._start_values(controls)))
        self.columns = []
        super().__init__(figsize=(12, 7.2))
        self._build_figure(first, class_names)
        self._build_controls(controls, first)
        self.update()

    # -- controls --------------------------------------------------------------------
    def _input_controls(self, model, image, where):
        if image is None:
            images, labels = load_mnist(normalize=True)
            try:
                model_image(model, images[0], where)
            except ValueError as error:
                raise ValueError(f"{error}; MNIST-5k digits are 28x28x1: pass image=... "
                                 f"for this model") from None
            self.images = images[..., None]  # (N, 28, 28, 1), as the model takes them
            self._by_digit = [np.flatnonzero(labels == d) for d in range(10)]
            return dict(digit=widgets.Dropdown(options=list(range(10)), value=3,
                                               description="digit"),
                        sample=widgets.IntSlider(value=0, min=0, max=499, description="example"))
        try:
            self.images = model_image(model, image, where)[None]
        except ValueError as single_error:
            if np.ndim(image) < 3:
                raise
            try:
                self.images = np.stack([model_image(model, one, where) for one in image])
            except ValueError:
                raise single_error from None
        self._by_digit = None
        return dict(sample=widgets.IntSlider(value=0, min=0, max=len(self.images) - 1,
                                             description="image",
                                             disabled=len(self.images) == 1))

    @staticmethod
    def _start_values(controls):
        return {name: control.value for name, control in controls.items()}

    def _source(self, values):
        """The chosen input image, before shift, rotation and noise."""
        if self._by_digit is None:
            return self.images[values["sample"]]
        return self.images[self._by_digit[values["digit"]][values["sample"]]]

    def _build_controls(self, controls, first):
        small = dict(layout=widgets.Layout(width="230px"), style={"description_width": "60px"})
        controls.update(
            shift_y=widgets.IntSlider(value=0, min=-8, max=8, description="shift ↓", **small),
            shift_x=widgets.IntSlider(value=0, min=-8, max=8, description="shift →", **small),
            rotation=widgets.IntSlider(value=0, min=-180, max=180, step=5, description="rotate °",
                                       **small),
            noise=widgets.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.05,
                                      description="noise σ", **small),
            seed=widgets.BoundedIntText(value=0, min=0, max=10**6, description="noise seed",
                                        layout=widgets.Layout(width="150px"),
                                        style={"description_width": "75px"}),
            scale=widgets.ToggleButtons(options=list(SCALES), value="layer",
                                        tooltips=["each map on its own scale",
                                                  "one scale per layer",
                                                  "one scale for all layers"],
                                        style={"button_width": "60px"}))
        entry = first["layers"][:-1]  # the last layer is drawn as bars, not maps
        options = [(f"{entry[i]['name']} · map {k}", (i, k)) for i in range(len(entry))
                   if entry[i]["kind"] in WINDOW_KINDS for k in range(entry[i]["output"].shape[2])]
        controls.update(
            open_map=widgets.Dropdown(options=options, value=options[0][1], description="open map",
                                      layout=widgets.Layout(width="280px")),
            row=widgets.IntSlider(value=0, min=0, max=0, description="row", **small),
            col=widgets.IntSlider(value=0, min=0, max=0, description="col", **small),
            in_channel=widgets.Dropdown(options=[("all", -1)], value=-1,
                                        description="input channel",
                                        layout=widgets.Layout(width="190px"),
                                        style={"description_width": "90px"}))
        self.add_controls(show=False, **controls)
        for name, control in controls.items():
            setattr(self, name, control)
        inputs = [controls[n] for n in ("digit", "sample") if n in controls]
        self.controls = [widgets.HBox(inputs + [self.shift_y, self.shift_x]),
                         widgets.HBox([self.rotation, self.noise, self.seed]),
                         widgets.HBox([self.open_map, widgets.Label("colours:"), self.scale]),
                         widgets.HBox([self.row, self.col, self.in_channel]),
                         self.readout]
        self._fit_pixel_sliders()

    def _fit_pixel_sliders(self):
        """Row/col ranges and input channels of the chosen map's layer (set without
        recomputing in between); a newly chosen layer opens its centre pixel."""
        index = self.open_map.value[0]
        layer = self.model.layers[index]
        h, w = layer.output_shape[:2]
        channels = layer.input_shape[-1] if isinstance(layer, Conv2D) else 0
        self._adjusting = True
        try:
            self.row.max, self.col.max = h - 1, w - 1
            if self._shown is None or self._shown[0] != index:
                self.row.value, self.col.value = h // 2, w // 2
            if len(self.in_channel.options) != channels + 1:
                self.in_channel.options = [("all", -1)] + [(str(c), c) for c in range(channels)]
                self.in_channel.value = -1
            self.in_channel.disabled = channels < 2
        finally:
            self._adjusting = False

    def update(self, recompute=True):
        if self._adjusting:
            return
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
                    saliency=saliency_map(self.model, image))

    def reload(self):
        """Recompute and redraw after the model's weights changed (e.g. by training)."""
        self.cache.clear()
        self._shown = None  # the kernel panel is drawn in the background: redraw it too
        self.update()

    def training_callback(self, every=1):
        """A callback for ``model.fit(..., callbacks=[...])`` that redraws the overview
        every ``every`` epochs, so the maps change while the network learns."""
        overview = self

        class RedrawOverview(Callback):
            def on_epoch_end(self, epoch, logs=None):
                if (epoch + 1) % every == 0:
                    overview.reload()

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
        first_column = top[0, 0].subgridspec(2, 1, hspace=0.25)
        for position, (name, index, shape) in enumerate(specs[:-1]):
            ax = self.figure.add_subplot(first_column[0] if position == 0 else top[0, position])
            kind = "" if index < 0 else layers[index]["kind"]
            named = kind.replace(" ", "") in name.replace("_", "").lower()
            ax.set_title(f"{name}\n{'' if named else kind + ' '}{'×'.join(map(str, shape))}",
                         fontsize=8)
            if len(shape) == 3:
                column = MapColumn(ax, index, shape, cmap="gray" if index < 0 else "viridis")
            else:
                column = StripColumn(ax, index, shape[0])
            self.columns.append(column)
            self.animate(*column.artists())
        ax = self.figure.add_subplot(first_column[1])
        ax.set_title("saliency\n∂ p(predicted) / ∂ input", fontsize=8)
        self.saliency = MapColumn(ax, -1, specs[0][2])  # signed: drawn in EDGE_CMAP
        self.animate(*self.saliency.artists())
        self._build_bars(self.figure.add_subplot(top[0, -1]), specs[-1], class_names)
        self._build_zoom(grid[1])

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
        self.prediction = ax.text(0.5, -0.08, "", transform=ax.transAxes, ha="center",
                                  va="top", fontsize=9, color=ORANGE, fontweight="bold")
        self.ax_bars = ax
        self.animate(*self.bars, self.prediction)

    def _build_zoom(self, spec):
        row = spec.subgridspec(1, 5, width_ratios=[1, 1, 1, 1, 1.3], wspace=0.15)
        self.ax_map, self.ax_window, self.ax_kernel, self.ax_products, self.ax_text = (
            self.figure.add_subplot(row[0, i]) for i in range(5))
        self.zoom_map = MapColumn(self.ax_map, None, (1, 1, 1))
        self.window_cells = NumberGrid(self.ax_window, "viridis", MAX_NUMBERS, fmt=NUMBER)
        self.kernel_cells = NumberGrid(self.ax_kernel, EDGE_CMAP, MAX_NUMBERS, fmt=NUMBER)
        self.product_cells = NumberGrid(self.ax_products, EDGE_CMAP, MAX_NUMBERS, fmt=NUMBER)
        self.winner = Outlines(self.ax_window, color=PIXEL_COLOR, linewidth=2.5)
        self.ax_text.axis("off")
        self.equation = self.ax_text.text(0, 1, "", transform=self.ax_text.transAxes, va="top",
                                          ha="left", fontsize=8, family="monospace")
        self.animate(*self.zoom_map.artists(), *self.window_cells.artists(),
                     *self.product_cells.artists(),
                     self.winner.collection, self.equation)

    # -- drawing ---------------------------------------------------------------------
    def draw(self, state):
        overview, e = state["overview"], state["explanation"]
        limits = state["limits"]
        for column in self.columns:
            if column.index < 0:
                image = state["image"]
                low, high = min(0.0, float(image.min())), float(image.max())
                column.show(image, low, max(high, low + 1e-12), f"{low:.3g} … {high:.3g}")
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
        # The kernel and the titles change only with the chosen map: drawn in the background.
        shown = (e["layer_index"], e["channel"], state["in_channel"])
        full, self._shown = self._shown != shown, shown
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
        layer, channel, (row, col) = e["layer_index"], e["channel"], e["pixel"]
        low, high = state["limits"][layer]
        maps = state["overview"]["layers"][layer]["output"]
        chosen = self._column(layer)
        chosen.pixel.show([chosen.box(channel, row, col, 1, 1)])
        source = self._column(layer - 1)
        top, left = e["origin"]
        kh, kw = e["padding"].shape
        channels = range(source.k) if e["kind"] == "conv" else [channel]
        source.window.show([source.box(c, top, left, kh, kw) for c in channels])
        if full:
            self.zoom_map.image.set_extent((-0.5, maps.shape[1] - 0.5, maps.shape[0] - 0.5, -0.5))
            self.ax_map.set_xlim(-0.5, maps.shape[1] - 0.5)
            self.ax_map.set_ylim(maps.shape[0] - 0.5, -0.5)
            h, w = maps.shape[:2]
            self.ax_map.set_title(f"{e['layer']} · map {channel}\n{h}×{w}", fontsize=9)
        self.zoom_map.show(maps[:, :, channel:channel + 1], low[channel], high[channel], "")
        self.zoom_map.pixel.show([(col - 0.5, row - 0.5, 1, 1)])
        if e["kind"] == "conv":
            self._draw_conv(e, state["in_channel"], full)
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
        (row, col), (top, left) = e["pixel"], e["origin"]
        self.equation.set_text("\n".join(
            [f"pixel ({row}, {col}): window rows {top}..{top + e['padding'].shape[0] - 1},",
             f"  cols {left}..{left + e['padding'].shape[1] - 1} of the input",
             "sum of products per channel:"] + pairs[:8] +
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
        (row, col), (top, left) = e["pixel"], e["origin"]
        self.equation.set_text("\n".join([
            f"pixel ({row}, {col}): window rows {top}..{top + window.shape[0] - 1},",
            f"  cols {left}..{left + window.shape[1] - 1} of the input",
            f"{how} of the window = {format_number(e['value'], '{:.4f}')}",
            f"(engine's output: {format_number(e['a'], '{:.4f}')})"]))

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
