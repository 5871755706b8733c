"""The painted RGB scene: shape, colours where the layout says, determinism, bad sizes."""
import numpy as np
import pytest

from mlcore.teaching.scene import (DOOR, GRASS, HOUSE_DOOR, HOUSE_WALL, HOUSE_WINDOW, SUN, WALL, WINDOW,
                          draw_scene)


def test_default_scene_has_its_parts_where_the_layout_says():
    image = draw_scene()
    assert image.shape == (64, 96, 3) and image.dtype == np.float32
    assert image.min() >= 0 and image.max() <= 1
    for (top, bottom, left, right), colour in ((HOUSE_WALL, WALL), (HOUSE_DOOR, DOOR),
                                               (HOUSE_WINDOW, WINDOW)):
        part = image[top:bottom, left:right]
        inside = np.all(np.isclose(part, colour), axis=-1)
        assert inside.mean() > 0.5, (colour, inside.mean())   # the wall holds door and window
    top, bottom, left, right = HOUSE_WALL
    assert not np.allclose(image[top:bottom, left - 1], WALL)  # the wall ends at its bounds
    assert np.allclose(image[13, 19], SUN) and np.allclose(image[60, 5], GRASS)
    sky = image[:10, 40]
    assert np.all(np.diff(sky[:, 0]) > 0)                      # the sky pales towards the horizon


def test_deterministic_and_any_size():
    np.testing.assert_array_equal(draw_scene(), draw_scene())
    small = draw_scene(32, 48)
    assert small.shape == (32, 48, 3)
    assert np.isclose(small[..., 0].mean(), draw_scene()[..., 0].mean(), atol=0.03)


@pytest.mark.parametrize("kwargs, message", [({"height": 8}, "height must be an int >= 16, got 8"),
                                             ({"width": 20.5}, "width must be an int >= 16, got 20.5")])
def test_bad_sizes(kwargs, message):
    with pytest.raises(ValueError, match=message):
        draw_scene(**kwargs)
