"""The two-class sets in the plane (mlcore.data.planar)."""
import numpy as np
import pytest

from mlcore import data
from mlcore.data import PLANAR_SETS, make_planar


@pytest.mark.parametrize("name", PLANAR_SETS)
def test_shapes_balance_and_seed(name):
    x, y = make_planar(name, 301, noise=0.2, seed=4)
    assert x.shape == (301, 2) and y.shape == (301,)
    assert set(np.unique(y)) == {0, 1} and (y == 0).sum() == 150
    x2, y2 = make_planar(name, 301, noise=0.2, seed=4)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    x3, _ = make_planar(name, 301, noise=0.2, seed=5)
    assert not np.array_equal(x, x3)
    if name != "gauss":  # bounded: radius 5 plus at most noise * 5 along each axis
        assert np.abs(x).max() <= 5 + 0.2 * 5


def test_labels_follow_each_rule_without_noise():
    x, y = make_planar("circle", 400)
    radius = np.hypot(*x.T)
    assert radius[y == 1].max() <= 2.5 and radius[y == 0].min() >= 3.5 and radius.max() <= 5
    x, y = make_planar("xor", 400)
    assert np.array_equal(y, (x[:, 0] * x[:, 1] > 0).astype(int))
    assert np.abs(x).min() >= 0.3  # no point on the border
    x, y = make_planar("gauss", 4000)
    assert np.allclose(x[y == 1].mean(axis=0), [2, 2], atol=0.1)
    assert np.allclose(x[y == 0].mean(axis=0), [-2, -2], atol=0.1)
    assert np.allclose(x[y == 1].std(axis=0), 1, atol=0.05)
    x, y = make_planar("spiral", 400)
    # a point at radius r lies at angle 1.75 * 2pi * r / 5 (+ pi for class 0), measured from +x2
    t = np.hypot(*x.T) / 5
    angle = 1.75 * 2 * np.pi * t + np.pi * (y == 0)
    assert np.allclose(x, 5 * t[:, None] * np.column_stack([np.sin(angle), np.cos(angle)]))


def test_noise_moves_points_within_its_bound():
    clean, y = make_planar("circle", 200, seed=1)
    noisy, y_noisy = make_planar("circle", 200, noise=0.3, seed=1)
    assert np.array_equal(y, y_noisy)
    assert 0 < np.abs(noisy - clean).max() <= 0.3 * 5  # noise * 5 * U(-1, 1)
    wide, y = make_planar("gauss", 4000, noise=0.2)
    assert np.allclose(wide[y == 1].std(axis=0), 1 + 5 * 0.2, atol=0.1)


@pytest.mark.parametrize("kwargs, message", [
    (dict(name="moons"), "name must be one of"),
    (dict(name="xor", n=1), "n must be an int >= 2"),
    (dict(name="xor", noise=-0.1), "noise must be a number in"),
])
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_planar(**kwargs)


def test_chapter_sets_are_reexported_and_fixed():
    """ring_data (chapter 01) and toy_data (chapter 08) moved here unchanged: the first
    numbers are the ones the chapters were trained on."""
    from mlcore.widgets.activation_boundary import ring_data
    from mlcore.widgets.regularization import toy_data

    assert ring_data is data.ring_data and toy_data is data.toy_data
    x, y = data.ring_data()
    assert np.allclose(x[0], [-0.13502584, 0.28844076]) and y[:3].tolist() == [0, 0, 0]
    x, y = data.toy_data("moons", 260, seed=0)
    assert np.allclose(x[0], [1.89662243, 0.35645375]) and y.sum() == 130
