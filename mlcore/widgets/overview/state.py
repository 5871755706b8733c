"""NetworkOverview's state: one image through a whole CNN, and one output pixel opened up.

``overview_state`` runs the model's own forward pass once, on the model's
``twin`` (same weights, its own record: the learner's ``layer.a`` and
``grads`` stay as they were), and reads what every layer of the twin keeps
(``last_input``, ``z``, ``a``), so every map shown is exactly what the
engine computed, never a private copy of the math.
``pixel_explanation`` opens one output pixel of a ``Conv2D`` or pooling
layer: the window of the layer's stored input, the kernel, their products,
the sum plus bias and the activation; its sums equal the layer's stored
``z`` (tested), so the arithmetic shown is the arithmetic done.
"""
import numpy as np

from ... import backend
from ...arguments import check_int, is_int
from ...layers import (Activation, AveragePooling2D, BatchNormalization, Conv2D, Dense,
                       Dropout, Flatten, GlobalAveragePooling2D, GlobalMaxPooling2D,
                       MaxPooling2D)
from ...ops.padding import pad2d, padding_amounts
from ...teaching import augment
from ..base.model_images import model_batch

KINDS = ((Conv2D, "conv"), (MaxPooling2D, "max pool"), (AveragePooling2D, "average pool"),
         (GlobalMaxPooling2D, "global max pool"), (GlobalAveragePooling2D, "global average pool"),
         (Dense, "dense"), (Flatten, "flatten"), (Dropout, "dropout"),
         (BatchNormalization, "batch norm"), (Activation, "activation"))
#: Kinds whose output pixels ``pixel_explanation`` can open (a window slid over maps).
WINDOW_KINDS = ("conv", "max pool", "average pool")
SCALES = ("unit", "layer", "global")


def layer_kind(layer):
    """A short name for what the layer does: 'conv', 'max pool', 'dense', ..."""
    for cls, kind in KINDS:
        if isinstance(layer, cls):
            return kind
    return type(layer).__name__.lower()


def check_cnn(model, where):
    """Raise a ValueError unless ``model`` has a ``Conv2D`` layer (naming its layers)."""
    if not any(isinstance(layer, Conv2D) for layer in model.layers):
        layers = [f"{layer.name} ({type(layer).__name__})" for layer in model.layers]
        raise ValueError(f"{where}: model '{model.name}' has no Conv2D layer (its layers: "
                         f"{layers}); the overview shows convolutional networks")


def transform_image(image, shift=(0, 0), rotation=0.0, noise=0.0, seed=0):
    """Move, turn and blur an image the learner wants to test the network on.

    Rotates by ``rotation`` degrees counter-clockwise, then moves the content
    ``shift = (dy, dx)`` pixels down and right, then adds Gaussian noise of
    standard deviation ``noise`` drawn from ``seed`` (``mlcore.augment``'s
    functions; the engine's own random generator is left where it was).
    Noisy pixels are clipped to the image's original range.

    Parameters
    ----------
    image : array (H, W, C)

    Returns
    -------
    array (H, W, C), a new array
    """
    batch = np.asarray(image)[None]
    if rotation:
        batch = augment.rotate(batch, rotation)
    if any(shift):
        batch = augment.shift(batch, *shift)
    if noise > 0:
        low, high = float(np.min(image)), float(np.max(image))
        with backend.seeded(seed):
            batch = augment.gaussian_noise(batch, noise, clip=(low, high) if high > low else None)
    return np.array(batch[0])


def overview_state(model, image):
    """Every layer's output for one image, from ONE forward pass of the engine.

    Parameters
    ----------
    model : Sequential
        Built, with at least one ``Conv2D`` layer.
    image : array (H, W, C), or (H, W) for a one-channel model

    Returns
    -------
    dict
        ``input``: the image, (H, W, C) in the float type the model computes in;
        ``layers``: one dict per layer, in order, with ``name``, ``kind``
        (:func:`layer_kind`), ``input`` (what reached the layer, one sample),
        ``z`` (the pre-activation, or None for layers without one) and
        ``output`` (the layer's ``a``: maps (H_out, W_out, C_out) or a vector);
        ``probabilities``: the last layer's output (classes,);
        ``predicted``: the index of the largest probability.

    Raises
    ------
    ValueError
        For a model without ``Conv2D`` layers or an image of the wrong shape.
    """
    where = "overview_state"
    check_cnn(model, where)
    batch, _ = model_batch(model, image, where, batch=False)
    twin = model.twin()  # the learner's model keeps its own a, z, last_input
    with np.errstate(over="ignore", invalid="ignore"):  # exploded weights show as nan
        probabilities = twin.forward(batch)[0]
    layers = [dict(name=layer.name, kind=layer_kind(layer), input=layer.last_input[0],
                   output=layer.a[0], z=None if layer.z is None else layer.z[0])
              for layer in twin.layers]
    return dict(input=batch[0], layers=layers, probabilities=probabilities.reshape(-1),
                predicted=int(np.argmax(probabilities)))


def saliency_map(model, image, output=None):
    """How much each input pixel moves one output: ``d a_out[output] / d image``.

    A saliency map (Simonyan et al., 2013): the engine's own backward pass
    from the last layer's output ``output`` (default: the predicted class)
    back to the image, by ``model.input_gradient``, which leaves every
    layer's ``grads`` and stored values as they were.

    Parameters
    ----------
    model : Sequential
    image : array (H, W, C), or (H, W) for a one-channel model
    output : int, optional
        Index into the last layer's output; default its largest entry.

    Returns
    -------
    array (H, W, C): positive where brightening the pixel raises the output.
    """
    batch, _ = model_batch(model, image, "saliency_map", batch=False)
    if output is None:
        output = int(np.argmax(model.activations(batch)[-1]))
    with np.errstate(over="ignore", invalid="ignore"):
        return model.input_gradient(batch, output)[0]


def map_layers(state):
    """Indices of the layers whose output is maps (H, W, C), in order."""
    return [i for i, entry in enumerate(state["layers"]) if entry["output"].ndim == 3]


def map_limits(state, scale="layer"):
    """Colour limits of every map layer's channels, CNN Explainer's three ways.

    A layer with a negative value anywhere gets limits symmetric about 0
    (``-m .. m``, for a diverging colour map); otherwise ``0 .. m``, so 0 is
    always the same colour. ``m`` is the largest ``|value|`` of

    - ``'unit'``: each map (channel) on its own;
    - ``'layer'``: the whole layer;
    - ``'global'``: all map layers of the network.

    Returns
    -------
    dict
        layer index (see :func:`map_layers`) -> ``(low, high)``, arrays (C,)
        with ``high > low``.
    """
    if scale not in SCALES:
        raise ValueError(f"map_limits: scale must be one of {list(SCALES)}, got {scale!r}")
    outputs = {i: state["layers"][i]["output"] for i in map_layers(state)}
    largest = {i: np.abs(maps).max(axis=(0, 1)) for i, maps in outputs.items()}
    if scale == "layer":
        largest = {i: np.full_like(m, m.max()) for i, m in largest.items()}
    elif scale == "global":
        top = max(float(m.max()) for m in largest.values())
        largest = {i: np.full_like(m, top) for i, m in largest.items()}
    limits = {}
    for i, maps in outputs.items():
        high = np.maximum(largest[i], 1e-12)  # an all-zero map: any non-empty range
        limits[i] = (-high if maps.min() < 0 else np.zeros_like(high), high)
    return limits


def _window_layer(model, state, layer, where):
    """(index, layer object, state entry) of a Conv2D / pooling layer given by name or index."""
    names = [entry["name"] for entry in state["layers"]]
    index = names.index(layer) if layer in names else layer
    if not (is_int(index) and 0 <= index < len(names)):
        raise ValueError(f"{where}: no layer {layer!r}; give a name or an index of {names}")
    entry = state["layers"][index]
    if entry["kind"] not in WINDOW_KINDS:
        choices = [e["name"] for e in state["layers"] if e["kind"] in WINDOW_KINDS]
        raise ValueError(f"{where}: layer '{entry['name']}' is a {entry['kind']} layer; only "
                         f"Conv2D and pooling layers slide a window: {choices}")
    return int(index), model.layers[index], entry


def pixel_explanation(model, image, layer, channel, row, col, state=None):
    """How one output pixel of a Conv2D or pooling layer was computed.

    For ``Conv2D`` (filter ``k = channel``, strides ``s``, padding ``p``):
    ``z = sum_{a, b, c} x_pad[row*s_h + a, col*s_w + b, c] * kernel[a, b, c, k] + bias[k]``
    and ``a = g(z)``. For max / average pooling: the max / mean of the
    window ``x_pad[row*s_h : row*s_h + p_h, col*s_w : col*s_w + p_w, channel]``
    (padded cells are left out, as in Keras).

    Parameters
    ----------
    model : Sequential
    image : array (H, W, C), or (H, W) for a one-channel model
    layer : str or int
        Name or index (in ``model.layers``) of a Conv2D or pooling layer.
    channel, row, col : int
        The output pixel ``a[row, col, channel]``.
    state : dict, optional
        ``overview_state(model, image)`` if already computed (it saves the
        forward pass; ``image`` is then not used).

    Returns
    -------
    dict
        Always: ``kind``, ``layer`` (name), ``layer_index``, ``channel``,
        ``pixel`` (row, col), ``origin`` (top, left): the window's corner in
        the unpadded input (negative inside a 'same' border), ``padding``
        (p_h, p_w) bool, True where the window covers padding, ``value``:
        the result recomputed from the window, ``a``: the layer's stored
        output at the pixel (equal to ``value`` after the activation).

        Conv2D: ``window`` and ``kernel`` (k_h, k_w, C_in), ``products``
        (their element-wise product), ``channel_sums`` (C_in,), ``sum``,
        ``bias``, ``value`` = sum + bias, ``z``: the layer's stored
        pre-activation at the pixel, ``activation`` (its name).

        Pooling: ``window`` (p_h, p_w) of the chosen channel (nan on
        padding), ``winner`` (r, c) inside the window for max pooling (the
        engine's choice on ties, the first), else None.
    """
    where = "pixel_explanation"
    if state is None:
        state = overview_state(model, image)
    index, obj, entry = _window_layer(model, state, layer, where)
    out_h, out_w, channels = entry["output"].shape
    for what, value, size in (("channel", channel, channels), ("row", row, out_h),
                              ("col", col, out_w)):
        check_int(where, what, value, 0, size - 1,
                  note=f" for layer '{entry['name']}' (output {out_h}x{out_w}x{channels})")
    x = entry["input"]
    window_hw = obj.kernel_size if entry["kind"] == "conv" else obj.pool_size
    pads = padding_amounts(x.shape[:2], window_hw, obj.strides, obj.padding)
    top, left = row * obj.strides[0], col * obj.strides[1]  # in the padded input
    cut = (slice(top, top + window_hw[0]), slice(left, left + window_hw[1]))
    inside = pad2d(np.ones((1,) + x.shape[:2] + (1,)), pads)[0, :, :, 0][cut]
    result = dict(kind=entry["kind"], layer=entry["name"], layer_index=index, channel=channel,
                  pixel=(row, col), origin=(top - pads[0][0], left - pads[1][0]),
                  padding=inside == 0, a=float(entry["output"][row, col, channel]))
    if entry["kind"] == "conv":
        window = pad2d(x[None], pads)[0][cut]
        kernel = obj.params["kernel"][:, :, :, channel]
        products = window * kernel
        bias = float(obj.params["bias"][channel]) if obj.use_bias else 0.0
        total = float(products.sum(dtype=np.float64))
        result.update(window=window, kernel=np.array(kernel), products=products,
                      channel_sums=products.sum(axis=(0, 1), dtype=np.float64), sum=total,
                      bias=bias, value=total + bias, z=float(entry["z"][row, col, channel]),
                      activation=obj.activation.name)
    else:
        window = pad2d(x[None, :, :, channel:channel + 1], pads, value=np.nan)[0, :, :, 0][cut]
        if entry["kind"] == "max pool":
            winner = divmod(int(np.nanargmax(window)), window.shape[1])
            result.update(window=window, winner=winner, value=float(window[winner]))
        else:
            result.update(window=window, winner=None, value=float(np.nanmean(window)))
    return result
