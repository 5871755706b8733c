"""Filter gallery: a Conv2D layer's filters and the feature maps they make of an image.

``feature_maps`` runs the model's own forward pass (``model.activations``,
which leaves the model's stored values alone) and takes the layer's output,
so the maps are exactly what the next layer receives (after the layer's
activation).
"""
import ipywidgets as widgets
import matplotlib
import numpy as np

from ..layers import Conv2D
from .base.model_images import model_batch
from .base.toolkit import EMPTY, RangeColorbar, mosaic, symmetric_limit
from .base.view import Explorer


def conv_layers(model):
    """The model's ``Conv2D`` layers, in order."""
    return [layer for layer in model.layers if isinstance(layer, Conv2D)]


def _layer(model, layer_name, where):
    names = [layer.name for layer in conv_layers(model)]
    if not names:
        raise ValueError(f"{where}: the model has no Conv2D layer (layers: "
                         f"{[layer.name for layer in model.layers]})")
    if layer_name is None:
        layer_name = names[0]
    if layer_name not in names:
        raise ValueError(f"{where}: no Conv2D layer named {layer_name!r}; Conv2D layers are {names}")
    return model.get_layer(layer_name)


def feature_maps(model, image, layer_name=None):
    """The output of a Conv2D layer for an image: its feature maps.

    Runs the model's forward pass on the image (all at once, by
    ``model.activations``: the layers' stored ``a``, ``z`` stay as they
    were) and returns the layer's output, i.e.
    ``activation(conv(x, kernel) + bias)`` for the input that reaches the layer.

    Parameters
    ----------
    model : Sequential
        A built model with at least one ``Conv2D`` layer.
    image : array (H, W, C) or a batch (N, H, W, C)
        ``(H, W)`` / ``(N, H, W)`` also work for one-channel models.
    layer_name : str, optional
        Name of a Conv2D layer; default the first one.

    Returns
    -------
    array (H_out, W_out, filters), or (N, H_out, W_out, filters) for a batch
    """
    where = "feature_maps"
    layer = _layer(model, layer_name, where)
    batch, single = model_batch(model, image, where)
    maps = model.activations(batch)[model.layers.index(layer)]
    return maps[0] if single else maps


def conv_filters(model, layer_name=None, input_channel=0):
    """A Conv2D layer's filters for one input channel: array (k_h, k_w, filters).

    ``kernel[:, :, input_channel, :]``: the weights each filter applies to
    that channel of its input.
    """
    layer = _layer(model, layer_name, "conv_filters")
    kernel = layer.params["kernel"]
    if not 0 <= input_channel < kernel.shape[2]:
        raise ValueError(f"conv_filters: layer '{layer.name}' has {kernel.shape[2]} input "
                         f"channels, got input_channel={input_channel}")
    return np.array(kernel[:, :, input_channel, :])


class FilterGallery(Explorer):
    """A Conv2D layer's filters and the feature maps they produce for an input.

    Three panels: the input sample; the layer's filters for one input
    channel (diverging colours, white = 0); the feature maps (the layer's
    output after its activation). Filter k and map k sit at the same
    position of their grids. Controls: a layer picker (the model's Conv2D
    layers), a sample picker when ``image`` is a batch, an input-channel
    picker when the layer sees more than one channel.

    Parameters
    ----------
    model : Sequential
        Built, with at least one ``Conv2D`` layer.
    image : array (H, W[, C]) or a batch (N, H, W[, C])
        A batch makes a sample picker; its feature maps are computed at once.
    layer : str, optional
        Name of the Conv2D layer shown first; default the first one.

    Attributes
    ----------
    state : dict
        ``maps``: array (N, H_out, W_out, filters), the feature maps of every
        sample for the current layer; ``kernel``: the layer's kernel
        (k_h, k_w, C_in, filters) they were computed with, so the filters
        shown always belong to the maps beside them (training between two
        looks recomputes both).
    layer, sample, input_channel : ipywidgets
    """

    title = "filter gallery"

    def __init__(self, model, image, layer=None):
        super().__init__(figsize=(10, 3.8))
        where = "FilterGallery"
        self.model = model
        self.follow_weights(model)
        self.batch, single = model_batch(model, image, where)
        names = [conv.name for conv in conv_layers(model)]
        _layer(model, layer, where)  # a clear error for a model without it
        self.layer = widgets.Dropdown(options=names, value=layer or names[0], description="layer")
        self.sample = widgets.IntSlider(value=0, min=0, max=len(self.batch) - 1,
                                        description="sample", disabled=single)
        self.input_channel = widgets.IntSlider(value=0, min=0, max=0, description="input channel")
        self.controls = [widgets.HBox([self.layer, self.sample, self.input_channel])]
        self._build_axes()
        low, high = float(self.batch.min()), float(self.batch.max())
        self.input_image.set_clim(low, high if high > low else low + 1e-12)
        self.add_controls(show=False, layer=self.layer)
        self.add_controls(show=False, recompute=False, sample=self.sample,
                          input_channel=self.input_channel)
        self.update()

    def _build_axes(self):
        grid = self.figure.add_gridspec(1, 3, width_ratios=[0.7, 1, 1.3])
        self.ax_input, self.ax_filters, self.ax_maps = (self.figure.add_subplot(grid[0, i])
                                                        for i in range(3))
        self.input_image = self.ax_input.imshow(np.zeros((1, 1)), cmap="gray",
                                                interpolation="nearest")
        self.filter_image = self.ax_filters.imshow(
            np.zeros((1, 1)), interpolation="nearest",
            cmap=matplotlib.colormaps["RdBu"].with_extremes(bad=EMPTY))  # grey gaps: white is 0
        self.map_image = self.ax_maps.imshow(
            np.zeros((1, 1)), interpolation="nearest",
            cmap=matplotlib.colormaps["viridis"].with_extremes(bad="white"))
        self.filter_bar = RangeColorbar(self.filter_image, self.ax_filters, label="weight")
        self.map_bar = RangeColorbar(self.map_image, self.ax_maps, label="activation")
        for ax in (self.ax_input, self.ax_filters, self.ax_maps):
            ax.set_xticks([])
            ax.set_yticks([])
        self.animate(self.input_image, self.map_image)

    def compute(self, layer):
        """The feature maps of every sample for this layer and the kernel that made them."""
        return dict(maps=feature_maps(self.model, self.batch, layer),
                    kernel=np.array(self.model.get_layer(layer).params["kernel"]))

    def draw(self, state):
        """The sample and its maps (and the filters, when the layer, channel or weights changed)."""
        maps = state["maps"]
        if self.changed("layer", "weights"):
            self.map_bar.set_limits(float(maps.min()), float(maps.max()))
            self.columns = int(np.ceil(np.sqrt(maps.shape[-1])))
            channels = state["kernel"].shape[2]
            with self.quietly():  # the clamped channel value is drawn below, once
                self.input_channel.max = channels - 1
            self.input_channel.disabled = channels == 1
        full = self.changed("layer", "input_channel", "weights")
        if full:
            self._draw_filters(state)
        sample = self.batch[self.sample.value]
        self.input_image.set_data(sample[:, :, 0] if sample.shape[-1] == 1 else
                                  _to_rgb(sample))
        self.map_image.set_data(np.ma.masked_invalid(mosaic(maps[self.sample.value],
                                                            self.columns)))
        return full

    def _draw_filters(self, state):
        maps, filters = state["maps"], state["kernel"][:, :, self.input_channel.value, :]
        limit = symmetric_limit(filters)
        self.filter_image.set_data(np.ma.masked_invalid(mosaic(filters, self.columns)))
        self.filter_bar.set_limits(-limit, limit)
        k = filters.shape[-1]
        channel = (f", input channel {self.input_channel.value}"
                   if self.input_channel.max > 0 else "")
        self.ax_filters.set_title(f"{k} filters {filters.shape[0]}×{filters.shape[1]}{channel}",
                                  fontsize=10)
        h, w = maps.shape[1:3]
        self.ax_maps.set_title(f"{k} feature maps {h}×{w} (same order)", fontsize=10)
        self.ax_input.set_title(f"input {self.batch.shape[1]}×{self.batch.shape[2]}", fontsize=10)
        for image in (self.input_image, self.filter_image, self.map_image):
            rows, cols = (self.batch.shape[1:3] if image is self.input_image
                          else image.get_array().shape)
            image.set_extent((-0.5, cols - 0.5, rows - 0.5, -0.5))
            image.axes.set_xlim(-0.5, cols - 0.5)
            image.axes.set_ylim(rows - 0.5, -0.5)

    def describe(self):
        n, h, w, k = self.state["maps"].shape
        return (f"Filters and feature maps of layer '{self.layer.value}': {k} maps of {h}x{w} "
                f"for sample {self.sample.value} of {n}")


def _to_rgb(sample):
    """An (H, W, C) sample as something imshow can show: RGB in [0, 1], else channel 0."""
    if sample.shape[-1] != 3:
        return sample[:, :, 0]
    low, high = sample.min(), sample.max()
    return (sample - low) / (high - low) if high > low else np.zeros_like(sample)
