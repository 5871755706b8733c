"""What does a filter look for? Activation maximisation by gradient ascent on the input.

Pick one filter (output channel) ``f`` of a layer. Its *activation* for an
input image ``x`` is the mean of its feature map,

    A_f(x) = mean_{i, j} a[i, j, f],

where ``a`` is the layer's output. Starting from a gray image with a little
noise, gradient **ascent** changes the pixels (not the weights) to make
``A_f`` as large as possible; the image it ends on shows the pattern the
filter responds to. The gradient ``dA_f/dx`` comes from the engine's own
backward pass through the layers up to the chosen one, exactly the pass that
training uses, only stopped at the input instead of the weights.

Plain ascent on a small network tends to end in high-frequency noise
(checkerboards) or in a flat bright square. Three regularisers, as in
Yosinski et al. (2015) and Olah et al. (2017), keep the image readable:
**jitter** (each step is taken on a randomly shifted copy, so the pattern
must work at neighbouring positions too), **blur** (a small Gaussian blur
after each step removes pixel-level noise) and **decay** (each step pulls
the pixels a little back towards gray).
"""
import numpy as np

from .. import backend
from ..arguments import check_int, check_number


def _layers_up_to(model, layer_name, where):
    layer = model.get_layer(layer_name)  # raises a clear error for an unknown name
    if not model.built:
        raise ValueError(f"{where}: the model is not built yet; give its first layer an "
                         f"input_shape or call it on data first")
    index = model.layers.index(layer)
    return model.layers[:index + 1]


def _forward(layers, x):
    out = x[np.newaxis]
    for layer in layers:
        out = layer.forward(out, training=False)
    return out


def _blur_radius(sigma, shape, where, what):
    """The Gaussian kernel's radius ceil(3 sigma), after checking sigma fits an image of ``shape``."""
    check_number(where, what, sigma, 0)
    radius = int(np.ceil(3 * sigma))
    if radius >= min(shape[:2]):
        raise ValueError(f"{where}: {what}={sigma} needs a mirrored border of {radius} pixels, "
                         f"more than the image {tuple(shape[:2])} allows")
    return radius


def gaussian_blur(image, sigma):
    """Blur an image ``(H, W)`` or ``(H, W, C)`` over its two spatial axes.

    A separable Gaussian kernel ``exp(-t^2 / (2 sigma^2))`` (normalised to sum
    1, radius ``ceil(3 sigma)``) is applied along rows, then columns; the
    border is mirrored (``numpy.pad`` mode ``'reflect'``), so a constant image
    stays constant. ``sigma = 0`` returns a copy.
    """
    image = np.asarray(image)
    if image.ndim not in (2, 3):
        raise ValueError(f"gaussian_blur: expected an image (H, W) or (H, W, C), got shape {image.shape}")
    radius = _blur_radius(sigma, image.shape, "gaussian_blur", "sigma")
    if sigma == 0:
        return image.copy()
    t = np.arange(-radius, radius + 1)
    kernel = np.exp(-t ** 2 / (2.0 * sigma ** 2))
    kernel /= kernel.sum()
    out = image
    for axis in (0, 1):
        pad = [(0, 0)] * image.ndim
        pad[axis] = (radius, radius)
        windows = np.lib.stride_tricks.sliding_window_view(np.pad(out, pad, mode="reflect"),
                                                           len(kernel), axis=axis)
        out = windows @ kernel
    return out.astype(image.dtype, copy=False)


def filter_activation_gradient(model, layer_name, filter_index, x):
    """The mean activation of one filter and its gradient with respect to the input.

    Parameters
    ----------
    model : Sequential
        A built model; its layers are run in inference mode (dropout off).
    layer_name : str
        The layer whose output channel is measured, e.g. ``'conv2d'``.
    filter_index : int
        The output channel ``f``, ``0 <= f < channels``.
    x : array, shape model input (one sample, no batch axis), e.g. (28, 28, 1)

    Returns
    -------
    value : float
        ``A_f(x) = mean over positions of a[..., f]``.
    grad : array, shape of x
        ``dA_f/dx`` from the layers' ``backward`` methods. The pass also
        overwrites those layers' ``grads`` (harmless: training recomputes them).
    """
    where = "filter_activation_gradient"
    layers = _layers_up_to(model, layer_name, where)
    channels = layers[-1].output_shape[-1]
    check_int(where, "filter_index", filter_index, 0, channels - 1, note=f" for layer '{layer_name}'")
    x = np.asarray(x, dtype=backend.floatx())
    if x.shape != tuple(layers[0].input_shape):
        raise ValueError(f"{where}: expected one sample of shape {tuple(layers[0].input_shape)}, "
                         f"got {x.shape}")
    out = _forward(layers, x)
    positions = out[..., filter_index].size
    grad = np.zeros_like(out)
    grad[..., filter_index] = 1.0 / positions  # d(mean)/d(each position)
    for layer in reversed(layers):
        grad = layer.backward(grad)
    return float(out[..., filter_index].mean()), grad[0]


def maximize_activation(model, layer_name, filter_index, steps=40, learning_rate=0.05,
                        seed=None, noise=0.1, contrast=0.2, jitter=0, blur=0.0, decay=0.0):
    """Find an input that makes one filter respond strongly, by gradient ascent.

    Start from ``x_0 = 0.5 + noise * u`` (gray, with uniform noise ``u`` in
    [-0.5, 0.5]) and repeat ``steps`` times

        x <- x + learning_rate * g / (rms(g) + 1e-8),   g = dA_f/dx,

    normalising the step by the gradient's root-mean-square (as in Chollet's
    Keras example) so the learning rate is a step size in pixel units whatever
    the scale of the activation. With ``contrast`` set, every step is followed
    by a projection back to images of mean 0.5 and standard deviation
    ``contrast``: the filter cannot win by making everything brighter, only by
    arranging a pattern (without it, a filter whose weights are mostly
    positive just asks for a white image).

    The regularisers act in this order within a step: the gradient is taken
    on ``x`` rolled by a random ``(dy, dx)`` with ``|dy|, |dx| <= jitter``
    (wrapping around; the gradient is rolled back), then after the update
    ``x <- 0.5 + (1 - decay) (x - 0.5)`` and ``x <- gaussian_blur(x, blur)``,
    then the contrast projection. ``decay`` shrinks every pixel's distance to
    gray by the same factor, which the contrast projection would undo, so it
    acts only with ``contrast=None``. All three off (the defaults) is plain
    ascent.

    Parameters
    ----------
    model : Sequential
        A built (usually trained) model.
    layer_name : str
        Name of the layer whose filter is maximised.
    filter_index : int
        Which output channel of that layer.
    steps : int, default 40
    learning_rate : float, default 0.05
    seed : int, optional
        Seed for the starting noise (own generator); None uses the engine's
        generator (``mlcore.set_seed``).
    noise : float, default 0.1
        Amplitude of the starting noise around gray 0.5.
    contrast : float or None, default 0.2
        Standard deviation the image is held at (None: unconstrained ascent).
    jitter : int, default 0
        Largest random shift in pixels before each gradient (0: none).
    blur : float, default 0
        Standard deviation in pixels of the Gaussian blur after each step (0: none).
    decay : float in [0, 1), default 0
        Fraction of each pixel's distance to gray removed after each step;
        only with ``contrast=None``.

    Returns
    -------
    image : array, shape of one input sample
        The input after the last step (not clipped; rescale it to show it).
    values : array, shape (steps + 1,)
        ``A_f`` of the (unshifted) image at the start and after every step.
    """
    where = "maximize_activation"
    check_int(where, "steps", steps, 1)
    check_number(where, "learning_rate", learning_rate, 0, include_low=False)
    shape = tuple(_layers_up_to(model, layer_name, where)[0].input_shape)
    rng = backend.rng() if seed is None else np.random.default_rng(seed)
    if contrast is not None and not (isinstance(contrast, (int, float, np.floating)) and contrast > 0):
        raise ValueError(f"{where}: contrast must be a number > 0 or None, got {contrast!r}")
    check_int(where, "jitter", jitter, 0, min(shape[:2]) - 1, note=" pixels")
    check_number(where, "decay", decay, 0, 1, include_high=False)
    if decay and contrast is not None:
        raise ValueError(f"{where}: decay={decay} would be undone by the contrast projection; "
                         f"pass contrast=None with decay")
    _blur_radius(blur, shape, where, "blur")
    x = (0.5 + noise * (rng.random(shape) - 0.5)).astype(backend.floatx())
    values = []
    for _ in range(steps):
        shift = tuple(int(s) for s in rng.integers(-jitter, jitter + 1, size=2)) if jitter else (0, 0)
        value, grad = filter_activation_gradient(model, layer_name, filter_index,
                                                 np.roll(x, shift, axis=(0, 1)))
        grad = np.roll(grad, (-shift[0], -shift[1]), axis=(0, 1))
        values.append(value if not jitter else _mean_activation(model, layer_name, filter_index, x))
        x += learning_rate * grad / (np.sqrt(np.mean(grad ** 2)) + 1e-8)
        if decay:
            x = 0.5 + (1.0 - decay) * (x - 0.5)
        if blur:
            x = gaussian_blur(x, blur)
        if contrast is not None:
            x = 0.5 + (x - x.mean()) * (contrast / (x.std() + 1e-8))
    values.append(_mean_activation(model, layer_name, filter_index, x))
    return x, np.array(values)


def _mean_activation(model, layer_name, filter_index, x):
    layers = _layers_up_to(model, layer_name, "maximize_activation")
    return float(_forward(layers, x)[..., filter_index].mean())
