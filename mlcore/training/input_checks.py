"""Checking what ``fit``, ``evaluate``, ``predict`` and ``train_on_batch`` are given.

Every check raises before any arithmetic, with a message that starts with
the method it guards (``where``, e.g. ``'sequential.evaluate'``) and says
what was expected and what arrived.
"""
import numpy as np

from .. import backend
from ..arguments import check_int, is_int
from ..summary import batch_shape
from .callbacks import Callback

VERBOSE = (0, 1, 2, "auto")


def check_x(x, first_layer, where):
    """``x`` as a float array of samples ``(N, ...)`` that ``first_layer`` accepts.

    Parameters
    ----------
    x : array-like
        Numbers; the first axis indexes samples. For a first layer with
        ``input_shape=(1,)`` a 1-D ``x`` is read as one feature per sample.
    first_layer : Layer
        Its ``input_shape`` (None until the model is built) is what one
        sample must look like.
    where : str
        Names the method in messages.

    Returns
    -------
    array of the engine's float type, shape (N,) + input_shape
    """
    if x is None:
        raise ValueError(f"{where}: x is required")
    x = np.asarray(x)
    if not (np.issubdtype(x.dtype, np.number) or x.dtype == bool):
        raise TypeError(f"{where}: x must be numbers, got dtype {x.dtype}")
    x = x.astype(backend.floatx(), copy=False)
    expected = first_layer.input_shape
    if x.ndim == 0:
        raise ValueError(f"{where}: x must have a batch axis, got a scalar")
    if x.ndim == 1 and expected == (1,):
        x = x[:, None]  # a plain list of scalars, one feature each
    if expected is None and x.ndim < 2:
        raise ValueError(
            f"{where}: x must have shape (samples, features, ...), got shape {x.shape}. The "
            f"model has no input_shape to say otherwise; for one feature per sample pass "
            f"x.reshape(-1, 1)")
    if expected is not None and tuple(x.shape[1:]) != tuple(expected):
        hint = ("; one sample needs a batch axis too: x[None]"
                if tuple(x.shape) == tuple(expected) else "")
        raise ValueError(f"{where}: layer '{first_layer.name}' expects input of shape "
                         f"{batch_shape(expected)}, got x of shape {tuple(x.shape)}{hint}")
    check_finite(x, f"{where}: x")
    return x


def check_y(y, x, loss, output_shape, where):
    """``y`` as the targets ``loss`` compares with the outputs for ``x``.

    Parameters
    ----------
    y : array-like
        One target per sample of ``x``: class indices, one-hot rows or values.
    x : array, shape (N, ...)
    loss : Loss
        Turns ``y`` into arrays shaped like the outputs (``loss.prepare``)
        and says what is wrong with them.
    output_shape : tuple of int
        One output sample's shape.
    where : str
    """
    if y is None:
        raise ValueError(f"{where}: y (the targets) is required")
    y = np.asarray(y)
    if y.ndim == 0:
        raise ValueError(f"{where}: y must hold one target per sample ({len(x)} for x), "
                         f"got a scalar")
    if len(y) != len(x):
        raise ValueError(f"{where}: x has {len(x)} samples but y has {len(y)}")
    if np.issubdtype(y.dtype, np.floating):
        check_finite(y, f"{where}: y")
    template = np.empty((len(x),) + tuple(output_shape), backend.floatx())
    try:
        y_ready, _ = loss.prepare(y, template)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    return y_ready


def check_not_empty(x, where):
    """Raise unless ``x`` holds at least one sample (a loss over none is undefined)."""
    if len(x) == 0:
        raise ValueError(f"{where}: x has no samples (shape {x.shape})")


def check_finite(a, what):
    """Raise if a float array holds NaN or infinity, saying how many and where the first is."""
    if np.issubdtype(a.dtype, np.floating) and not np.isfinite(a).all():
        bad = np.argwhere(~np.isfinite(a))
        raise ValueError(f"{what} contains {len(bad)} NaN or infinite values "
                         f"(first at index {tuple(int(i) for i in bad[0])})")


def check_verbose(verbose, where):
    """``verbose`` as 0, 1 or 2 (Keras' ``'auto'`` is 1)."""
    if not (verbose == "auto" or is_int(verbose) and verbose in VERBOSE):
        raise ValueError(f"{where}: verbose must be one of {VERBOSE}, got {verbose!r}")
    return 1 if verbose == "auto" else verbose


def check_fit_arguments(where, batch_size, epochs, initial_epoch, validation_split):
    """Raise unless ``fit``'s counts and fraction make sense; return ``batch_size`` as an int."""
    for name, value in (("epochs", epochs), ("initial_epoch", initial_epoch)):
        check_int(where, name, value, 0)
    if not 0 <= validation_split < 1:
        raise ValueError(f"{where}: validation_split must be in [0, 1), got {validation_split!r}")
    return check_int(where, "batch_size", batch_size, 1)


def check_callbacks(callbacks, where):
    """``callbacks`` as a list of Callback objects."""
    if isinstance(callbacks, Callback):
        raise TypeError(f"{where}: callbacks must be a list, got one {type(callbacks).__name__}: "
                        f"write callbacks=[...]")
    callbacks = list(callbacks or [])
    for callback in callbacks:
        if not isinstance(callback, Callback):
            raise TypeError(f"{where}: callbacks must be Callback objects (e.g. "
                            f"LambdaCallback(...)), got {type(callback).__name__}")
    return callbacks


def validation_pair(validation_data, where):
    """``(x_val, y_val)`` from ``fit``'s ``validation_data``."""
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        what = (f"a {len(validation_data)}-tuple (sample weights are not supported)"
                if isinstance(validation_data, (tuple, list)) else type(validation_data).__name__)
        raise ValueError(f"{where}: validation_data must be a pair (x_val, y_val), got {what}")
    return validation_data


def split_off_end(x, y, fraction, where):
    """Keras' ``validation_split``: the last ``fraction`` of the samples, before any shuffling.

    As Keras 3's ``train_validation_split``, training keeps the first
    ``floor(N * (1 - fraction))`` samples, and a split that leaves either
    side empty raises.

    Returns
    -------
    (x_train, y_train), (x_val, y_val)
    """
    cut = int(np.floor(len(x) * (1.0 - fraction)))
    if cut in (0, len(x)):
        raise ValueError(f"{where}: {len(x)} samples cannot be split into training and "
                         f"validation sets with validation_split={fraction!r} ({cut} for "
                         f"training, {len(x) - cut} for validation); give more samples or "
                         f"another validation_split")
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])
