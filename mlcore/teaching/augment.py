"""Data augmentation for image batches: flips, shifts, zoom, rotation, noise.

Every function takes a batch of images of shape ``(N, H, W)`` or
``(N, H, W, C)`` (channels-last, as everywhere in mlcore) and returns a new
array of the same shape; the input is never modified. Geometric transforms
map each output pixel back to a point of the input and read it with bilinear
interpolation; points outside the image read ``fill`` (0: black background
for MNIST). Random choices come from ``mlcore.backend.rng()``, so
``set_seed`` makes them repeatable.

Conventions (as the picture is displayed, row 0 at the top):

- ``shift(x, dy, dx)``: content moves ``dy`` rows down and ``dx`` columns right;
- ``rotate(x, degrees)``: counter-clockwise, about the image centre
  (``rotate(x, 90)`` equals ``np.rot90`` on the image axes);
- ``zoom(x, factor)``: ``factor > 1`` magnifies (zoom in), ``< 1`` shrinks.
"""
import numpy as np

from .. import backend


def _check_images(where, images):
    images = np.asarray(images)
    if images.ndim not in (3, 4):
        raise ValueError(f"augment.{where}: expected images of shape (N, H, W) or "
                         f"(N, H, W, C), got shape {images.shape}")
    if not np.issubdtype(images.dtype, np.number):
        raise TypeError(f"augment.{where}: images must be numbers, got dtype {images.dtype}")
    return images


def _per_image(value, n, where, what):
    """Broadcast a scalar or a length-N sequence to shape (N,) float64."""
    value = np.asarray(value, dtype=np.float64)
    if value.ndim == 0:
        return np.full(n, float(value))
    if value.shape != (n,):
        raise ValueError(f"augment.{where}: {what} must be a number or one per image "
                         f"({n}), got shape {value.shape}")
    return value


def affine(images, matrices, fill=0.0):
    """Resample each image through an affine map of pixel coordinates.

    Output pixel ``(r, c)`` reads the input at ``M @ (r - rc, c - cc, 1) +
    (rc, cc)`` where ``(rc, cc)`` is the image centre and ``M`` the image's
    2x3 matrix; non-integer points are interpolated bilinearly.

    Parameters
    ----------
    images : array, shape (N, H, W) or (N, H, W, C)
    matrices : array, shape (2, 3) or (N, 2, 3)
        Rows give the source row and column offsets from the centre.
    fill : float
        Value read outside the image.

    Returns
    -------
    array, same shape as ``images``, float (the input's float type, else float32)
    """
    images = _check_images("affine", images)
    n, h, w = images.shape[:3]
    matrices = np.broadcast_to(np.asarray(matrices, dtype=np.float64), (n, 2, 3))
    dtype = images.dtype if np.issubdtype(images.dtype, np.floating) else np.float32
    x = images if images.ndim == 4 else images[..., None]
    # Pad by one pixel of `fill` so every neighbour lookup lands in the array.
    padded = np.pad(x.astype(dtype, copy=False), ((0, 0), (1, 1), (1, 1), (0, 0)),
                    constant_values=fill)
    rc, cc = (h - 1) / 2, (w - 1) / 2
    rows, cols = np.meshgrid(np.arange(h) - rc, np.arange(w) - cc, indexing="ij")
    grid = np.stack([rows, cols, np.ones_like(rows)])               # (3, H, W)
    src = np.einsum("nij,jhw->nihw", matrices, grid)                 # (N, 2, H, W)
    src_r = np.clip(src[:, 0] + rc + 1, 0, h + 1)                    # +1: padding
    src_c = np.clip(src[:, 1] + cc + 1, 0, w + 1)
    r0 = np.minimum(np.floor(src_r).astype(np.intp), h)
    c0 = np.minimum(np.floor(src_c).astype(np.intp), w)
    fr, fc = (src_r - r0)[..., None], (src_c - c0)[..., None]
    batch = np.arange(n)[:, None, None]
    out = ((1 - fr) * (1 - fc) * padded[batch, r0, c0]
           + (1 - fr) * fc * padded[batch, r0, c0 + 1]
           + fr * (1 - fc) * padded[batch, r0 + 1, c0]
           + fr * fc * padded[batch, r0 + 1, c0 + 1]).astype(dtype)
    return out if images.ndim == 4 else out[..., 0]


def _matrices(n, angle=0.0, factor=1.0, dy=0.0, dx=0.0):
    """Per-image inverse maps for rotate-then-zoom-then-shift (angles in degrees)."""
    theta = np.deg2rad(angle)
    cos, sin = np.cos(theta), np.sin(theta)
    m = np.zeros((n, 2, 3))
    # Inverse rotation (counter-clockwise on screen, rows pointing down) and zoom.
    m[:, 0, 0], m[:, 0, 1] = cos / factor, sin / factor
    m[:, 1, 0], m[:, 1, 1] = -sin / factor, cos / factor
    m[:, 0, 2], m[:, 1, 2] = -dy, -dx
    # The shift is applied after rotation/zoom, so undo it first.
    m[:, :, 2] = np.einsum("nij,nj->ni", m[:, :, :2], m[:, :, 2])
    return m


def shift(images, dy, dx, fill=0.0):
    """Move the content ``dy`` pixels down and ``dx`` pixels right.

    ``dy`` and ``dx`` may be fractions, or one value per image.
    Pixels that enter from outside get ``fill``.
    """
    images = _check_images("shift", images)
    n = len(images)
    return affine(images, _matrices(n, dy=_per_image(dy, n, "shift", "dy"),
                                    dx=_per_image(dx, n, "shift", "dx")), fill)


def rotate(images, degrees, fill=0.0):
    """Rotate counter-clockwise by ``degrees`` about the centre (one value or one per image)."""
    images = _check_images("rotate", images)
    n = len(images)
    return affine(images, _matrices(n, angle=_per_image(degrees, n, "rotate", "degrees")), fill)


def zoom(images, factor, fill=0.0):
    """Magnify by ``factor`` about the centre: 1.2 zooms in, 0.8 zooms out."""
    images = _check_images("zoom", images)
    n = len(images)
    factor = _per_image(factor, n, "zoom", "factor")
    if np.any(factor <= 0):
        raise ValueError(f"augment.zoom: factor must be > 0, got {factor[factor <= 0][0]:g}")
    return affine(images, _matrices(n, factor=factor), fill)


def flip_horizontal(images):
    """Mirror left-right (column order reversed)."""
    return _check_images("flip_horizontal", images)[:, :, ::-1].copy()


def flip_vertical(images):
    """Mirror top-bottom (row order reversed)."""
    return _check_images("flip_vertical", images)[:, ::-1].copy()


def gaussian_noise(images, stddev, clip=(0.0, 1.0)):
    """Add N(0, stddev^2) noise to every pixel, then clip to ``clip`` (None: no clipping).

    Used to make noisy inputs for a denoising autoencoder (pixels in [0, 1]).
    """
    images = _check_images("gaussian_noise", images)
    if not np.isfinite(stddev) or stddev < 0:
        raise ValueError(f"augment.gaussian_noise: stddev must be a finite number >= 0, "
                         f"got {stddev!r}")
    dtype = images.dtype if np.issubdtype(images.dtype, np.floating) else np.float32
    noisy = images + backend.rng().normal(0.0, stddev, images.shape).astype(dtype)
    return noisy if clip is None else np.clip(noisy, *clip)


def random_transform(images, rotation_range=0.0, shift_range=0.0, zoom_range=0.0,
                     horizontal_flip=False, vertical_flip=False, fill=0.0):
    """Apply a different random transform to every image (like Keras'
    ``ImageDataGenerator`` arguments of the same names).

    Parameters
    ----------
    images : array, shape (N, H, W) or (N, H, W, C)
    rotation_range : float
        Angles drawn uniformly from [-rotation_range, rotation_range] degrees.
    shift_range : float
        Shifts drawn uniformly from [-shift_range, shift_range] pixels, per axis.
    zoom_range : float
        Zoom factors drawn uniformly from [1 - zoom_range, 1 + zoom_range].
    horizontal_flip, vertical_flip : bool
        Mirror each image with probability 1/2.

    Returns
    -------
    array, same shape as ``images``
    """
    images = _check_images("random_transform", images)
    if not 0 <= zoom_range < 1:
        raise ValueError(f"augment.random_transform: zoom_range must be in [0, 1), got {zoom_range!r}")
    n, rng = len(images), backend.rng()
    angle = rng.uniform(-rotation_range, rotation_range, n)
    factor = rng.uniform(1 - zoom_range, 1 + zoom_range, n)
    dy, dx = rng.uniform(-shift_range, shift_range, (2, n))
    out = affine(images, _matrices(n, angle, factor, dy, dx), fill)
    if horizontal_flip:
        pick = rng.random(n) < 0.5
        out[pick] = out[pick][:, :, ::-1]
    if vertical_flip:
        pick = rng.random(n) < 0.5
        out[pick] = out[pick][:, ::-1]
    return out
