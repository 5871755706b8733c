"""NetworkOverview's controls: the input image, its shift/rotation/noise, the colour
scale, and the map and pixel to open."""
import ipywidgets as widgets
import numpy as np

from ...data import load_mnist
from ...layers import Conv2D
from ..base.model_images import model_batch
from .state import SCALES, WINDOW_KINDS


def input_controls(model, image, where):
    """The images to choose from and the controls that choose one.

    Returns
    -------
    images : array (N, H, W, C)
        MNIST-5k (when ``image`` is None) or the image(s) passed, as the model takes them.
    by_digit : list of 10 index arrays, or None
        For MNIST: the examples of each digit; None for images passed in.
    controls : dict of str -> widget
        ``digit`` and ``sample`` for MNIST, else ``sample`` alone.
    """
    if image is None:
        images, labels = load_mnist(normalize=True)
        try:
            model_batch(model, images[0], where, batch=False)
        except ValueError as error:
            raise ValueError(f"{error}; MNIST-5k digits are 28x28x1: pass image=... "
                             f"for this model") from None
        by_digit = [np.flatnonzero(labels == d) for d in range(10)]
        return images[..., None], by_digit, dict(
            digit=widgets.Dropdown(options=list(range(10)), value=3, description="digit"),
            sample=widgets.IntSlider(value=0, min=0, max=499, description="example"))
    images, _ = model_batch(model, image, where)
    return images, None, dict(sample=widgets.IntSlider(value=0, min=0, max=len(images) - 1,
                                                       description="image",
                                                       disabled=len(images) == 1))


def view_controls(first):
    """Shift, rotation, noise, colour scale, and the map, pixel and input channel to open;
    ``first`` is ``overview_state``'s dict, whose window layers' maps can be opened."""
    small = dict(layout=widgets.Layout(width="230px"), style={"description_width": "60px"})
    entry = first["layers"][:-1]  # the last layer is drawn as bars, not maps
    options = [(f"{entry[i]['name']} · map {k}", (i, k)) for i in range(len(entry))
               if entry[i]["kind"] in WINDOW_KINDS for k in range(entry[i]["output"].shape[2])]
    return dict(
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
                                    style={"button_width": "60px"}),
        open_map=widgets.Dropdown(options=options, value=options[0][1], description="open map",
                                  layout=widgets.Layout(width="280px")),
        row=widgets.IntSlider(value=0, min=0, max=0, description="row", **small),
        col=widgets.IntSlider(value=0, min=0, max=0, description="col", **small),
        in_channel=widgets.Dropdown(options=[("all", -1)], value=-1,
                                    description="input channel",
                                    layout=widgets.Layout(width="190px"),
                                    style={"description_width": "90px"}))


def control_rows(controls, readout):
    """The controls laid out in rows, the readout last."""
    inputs = [controls[n] for n in ("digit", "sample") if n in controls]
    c = controls
    return [widgets.HBox(inputs + [c["shift_y"], c["shift_x"]]),
            widgets.HBox([c["rotation"], c["noise"], c["seed"]]),
            widgets.HBox([c["open_map"], widgets.Label("colours:"), c["scale"]]),
            widgets.HBox([c["row"], c["col"], c["in_channel"]]),
            readout]


def fit_pixel_sliders(layer, row, col, in_channel, centre):
    """Give ``row``/``col`` the range of ``layer``'s output and ``in_channel`` its input
    channels (a pooling layer has none to pick); ``centre`` also opens the centre pixel."""
    h, w = layer.output_shape[:2]
    channels = layer.input_shape[-1] if isinstance(layer, Conv2D) else 0
    row.max, col.max = h - 1, w - 1
    if centre:
        row.value, col.value = h // 2, w // 2
    if len(in_channel.options) != channels + 1:
        in_channel.options = [("all", -1)] + [(str(c), c) for c in range(channels)]
        in_channel.value = -1
    in_channel.disabled = channels < 2
