"""Images as a model takes them: the one check every view that reads a CNN shares."""
import numpy as np

from ... import backend


def model_batch(model, images, where, batch=True):
    """``images`` as a float batch for ``model``: returns ``(batch (N, H, W, C), single)``.

    Takes one image ``(H, W, C)`` of the model's input shape or, when
    ``batch`` is True, a batch ``(N, H, W, C)``; a one-channel model also
    takes ``(H, W)`` and ``(N, H, W)``. ``single`` says one image was given.

    Parameters
    ----------
    model : Sequential
        Built (its first layer has an ``input_shape``).
    images : array
    where : str
        Who asks, for the error messages.
    batch : bool, default True
        Whether a batch is accepted too.

    Returns
    -------
    (array (N,) + input shape in the float type the model computes in, bool)

    Raises
    ------
    ValueError
        Naming the expected and the given shape, for an unbuilt model or
        images of another shape.
    """
    if model.input_shape is None:
        raise ValueError(f"{where}: the model is not built; give its first layer an input_shape")
    expected = tuple(model.input_shape[1:])
    images = np.asarray(images)
    if not np.issubdtype(images.dtype, np.number):
        raise ValueError(f"{where}: the images must be numbers, got dtype {images.dtype}")
    shape = images.shape
    gray = len(expected) == 3 and expected[-1] == 1
    floatx = backend.floatx()
    if shape == expected or (gray and shape == expected[:-1]):
        return images.reshape((1,) + expected).astype(floatx), True
    one = shape[1:]
    if batch and len(shape) > 1 and (one == expected or (gray and one == expected[:-1])):
        return images.reshape((shape[0],) + expected).astype(floatx), False
    also = f" or {expected[:-1]}" if gray else ""
    batches = (f" or a batch (N, {', '.join(map(str, expected))})" + (
        f" or (N, {', '.join(map(str, expected[:-1]))})" if gray else "")) if batch else ""
    raise ValueError(f"{where}: model '{model.name}' expects one image of shape "
                     f"{expected}{also}{batches}, got an array of shape {shape}")
