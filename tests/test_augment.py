"""mlcore.augment: each transform moves pixels where its docstring says."""
import numpy as np
import pytest

import mlcore
from mlcore import augment


def one_pixel(h=9, w=9, r=2, c=3):
    x = np.zeros((1, h, w), np.float32)
    x[0, r, c] = 1.0
    return x


def digits(n=4, h=10, w=12):
    return np.random.default_rng(1).random((n, h, w)).astype(np.float32)


@pytest.mark.parametrize("k", [1, 2, -3])
def test_shift_by_k_moves_a_known_pixel_by_k(k):
    x = one_pixel(r=4, c=5)
    down, right = augment.shift(x, k, 0), augment.shift(x, 0, k)
    assert down[0, 4 + k, 5] == 1 and down.sum() == 1
    assert right[0, 4, 5 + k] == 1 and right.sum() == 1


def test_shift_fills_the_uncovered_border_and_drops_what_leaves():
    x = np.ones((1, 5, 5))
    out = augment.shift(x, 0, 2, fill=0.0)
    assert np.array_equal(out[0, :, :2], np.zeros((5, 2)))
    assert np.array_equal(out[0, :, 2:], np.ones((5, 3)))


def test_half_pixel_shift_interpolates():
    out = augment.shift(one_pixel(), 0, 0.5)
    assert np.isclose(out[0, 2, 3], 0.5) and np.isclose(out[0, 2, 4], 0.5)


def test_flip_twice_is_identity_and_flip_reverses_columns():
    x = digits()
    assert np.array_equal(augment.flip_horizontal(augment.flip_horizontal(x)), x)
    assert np.array_equal(augment.flip_vertical(augment.flip_vertical(x)), x)
    assert augment.flip_horizontal(one_pixel())[0, 2, 9 - 1 - 3] == 1
    assert augment.flip_vertical(one_pixel())[0, 9 - 1 - 2, 3] == 1


def test_rotation_by_zero_and_zoom_by_one_are_identity():
    x = digits()
    assert np.allclose(augment.rotate(x, 0), x)
    assert np.allclose(augment.zoom(x, 1.0), x)


@pytest.mark.parametrize("size", [8, 9])
def test_rotation_by_90_is_rot90_counter_clockwise(size):
    x = np.random.default_rng(2).random((3, size, size))
    assert np.allclose(augment.rotate(x, 90), np.rot90(x, axes=(1, 2)), atol=1e-12)
    assert np.allclose(augment.rotate(x, -90), np.rot90(x, -1, axes=(1, 2)), atol=1e-12)


def test_zoom_in_moves_pixels_away_from_the_centre():
    # 9x9: centre (4, 4); a pixel 2 right of centre lands 4 right of it at zoom 2.
    x = one_pixel(r=4, c=6)
    out = augment.zoom(x, 2.0)
    assert np.isclose(out[0, 4, 8], 1.0)
    shrunk = augment.zoom(x, 0.5)  # 2 right of centre -> 1 right of it
    assert np.isclose(shrunk[0, 4, 5], 1.0) and np.isclose(shrunk.sum(), 1.0)


def test_shapes_and_channels_are_preserved():
    x = np.random.default_rng(3).random((5, 7, 6, 3)).astype(np.float32)
    for out in (augment.shift(x, 1, -1), augment.rotate(x, 30), augment.zoom(x, 1.3),
                augment.flip_horizontal(x), augment.flip_vertical(x),
                augment.random_transform(x, 20, 2, 0.1, True, True),
                augment.gaussian_noise(x, 0.1)):
        assert out.shape == x.shape and out.dtype == np.float32
    # each channel transformed alike
    assert np.allclose(augment.rotate(x, 30)[..., 1], augment.rotate(x[..., 1], 30))


def test_input_is_not_modified_and_uint8_gives_float():
    x = (digits() * 255).astype(np.uint8)
    before = x.copy()
    out = augment.random_transform(x, 15, 2, 0.1, horizontal_flip=True)
    assert np.array_equal(x, before) and out.dtype == np.float32


def test_per_image_parameters():
    x = np.concatenate([one_pixel(), one_pixel()])
    out = augment.shift(x, [0, 1], [1, 0])
    assert out[0, 2, 4] == 1 and out[1, 3, 3] == 1


def test_random_transform_is_repeatable_with_the_seed_and_varies_per_image():
    x = np.repeat(digits(1), 6, axis=0)
    mlcore.set_seed(5)
    a = augment.random_transform(x, rotation_range=20, shift_range=2, zoom_range=0.1)
    mlcore.set_seed(5)
    b = augment.random_transform(x, rotation_range=20, shift_range=2, zoom_range=0.1)
    assert np.array_equal(a, b)
    assert not np.allclose(a[0], a[1])
    assert np.array_equal(augment.random_transform(x), x)  # all ranges 0: identity


def test_gaussian_noise_statistics_and_clipping():
    x = np.full((200, 10, 10), 0.5)
    noisy = augment.gaussian_noise(x, 0.1)
    assert abs(np.std(noisy - x) - 0.1) < 0.005 and abs(np.mean(noisy - x)) < 0.005
    wild = augment.gaussian_noise(x, 5.0)
    assert wild.min() == 0.0 and wild.max() == 1.0
    assert augment.gaussian_noise(x, 5.0, clip=None).max() > 1.0
    assert np.array_equal(augment.gaussian_noise(x, 0.0), x)


def test_bad_input_gives_clear_errors():
    with pytest.raises(ValueError, match=r"augment.rotate: expected images of shape"):
        augment.rotate(np.zeros((5, 5)), 10)
    with pytest.raises(ValueError, match=r"augment.zoom: factor must be > 0"):
        augment.zoom(digits(), 0)
    with pytest.raises(ValueError, match=r"augment.shift: dy must be a number or one per image"):
        augment.shift(digits(4), [1, 2], 0)
    with pytest.raises(ValueError, match=r"stddev must be a finite number"):
        augment.gaussian_noise(digits(), -1)
    with pytest.raises(ValueError, match=r"zoom_range must be in \[0, 1\)"):
        augment.random_transform(digits(), zoom_range=1.5)
