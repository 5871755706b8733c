"""A small colour picture drawn by code, for showing what convolution does to RGB images.

The course runs offline and ships no photographs, so :func:`draw_scene` paints
one: a sky that darkens towards the top, a yellow sun, a green hill, a red
house with a brown roof, a blue door and a white window. Every region is a
flat colour or a smooth gradient with sharp borders, so edges between
colours are where a filter should fire. Nothing is random: the same call
always gives the same pixels.
"""
import numpy as np

from ..arguments import check_int

# RGB in [0, 1]
SUN = (1.0, 0.85, 0.1)
GRASS = (0.2, 0.6, 0.15)
WALL = (0.8, 0.1, 0.1)
ROOF = (0.45, 0.25, 0.1)
DOOR = (0.15, 0.25, 0.75)
WINDOW = (0.95, 0.95, 0.95)

#: Where the parts of :func:`draw_scene`'s default 64x96 picture are, as
#: (top, bottom, left, right) pixel bounds (bottom and right excluded).
HOUSE_WALL = (30, 52, 52, 80)
HOUSE_DOOR = (40, 52, 62, 69)
HOUSE_WINDOW = (34, 40, 72, 77)


def draw_scene(height=64, width=96):
    """Paint the scene: an array ``(height, width, 3)`` of float32 RGB values in [0, 1].

    Parameters
    ----------
    height, width : int, default 64 and 96
        Size in pixels, at least 16 each. Shapes are placed in proportion to
        the size (only the roof's slope is fixed, in pixels); for the default size :data:`HOUSE_WALL`, :data:`HOUSE_DOOR`
        and :data:`HOUSE_WINDOW` give the house's pixel bounds.

    Returns
    -------
    image : ndarray, float32, shape (height, width, 3)
        Channels last in the order red, green, blue (as ``Conv2D`` expects).
    """
    for name, value in (("height", height), ("width", width)):
        check_int("draw_scene", name, value, 16)
    rows = np.arange(height)[:, None] / height        # 0 at the top, towards 1 at the bottom
    cols = np.arange(width)[None, :] / width
    # sky: deep blue at the top, pale near the horizon
    sky = np.stack([0.25 + 0.6 * rows, 0.45 + 0.45 * rows, 0.85 + 0.1 * rows], axis=-1)
    image = np.array(np.broadcast_to(sky, (height, width, 3)))
    _paint(image, (rows - 0.22) ** 2 + ((cols - 0.2) * width / height) ** 2 < 0.11 ** 2, SUN)
    _paint(image, rows > 0.72 - 0.12 * np.cos(np.pi * (cols - 0.3)) ** 2, GRASS)
    top, bottom, left, right = _box(HOUSE_WALL, height, width)
    # roof: a triangle over the wall, overhanging it by 3 pixels on each side at its foot
    above_wall = top - np.arange(height)[:, None]             # 1 on the row just above the wall
    half_width = (right - left) / 2 + 3 - above_wall * 1.4
    centre = (left + right - 1) / 2
    _paint(image, (above_wall >= 1) & (np.abs(np.arange(width)[None, :] - centre) <= half_width), ROOF)
    for box, colour in ((HOUSE_WALL, WALL), (HOUSE_DOOR, DOOR), (HOUSE_WINDOW, WINDOW)):
        t, b, l, r = _box(box, height, width)
        image[t:b, l:r] = colour
    return image.astype(np.float32)


def _box(box, height, width):
    """A (top, bottom, left, right) box of the 64x96 layout, scaled to height x width."""
    top, bottom, left, right = box
    return (round(top * height / 64), round(bottom * height / 64),
            round(left * width / 96), round(right * width / 96))


def _paint(image, mask, colour):
    image[np.broadcast_to(mask, image.shape[:2])] = colour
