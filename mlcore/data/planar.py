"""Two-class data sets in the plane, for decision-boundary pictures.

``make_planar`` gives TensorFlow Playground's four classification sets
(circle, xor, gauss, spiral) on its domain [-6, 6]²; ``ring_data`` and
``toy_data`` are the sets chapters 01 and 08 train on. Every generator takes
a ``seed`` and uses its own generator, so the data never depend on what a
notebook drew before.
"""
import numpy as np

from ..arguments import check_int, check_number

PLANAR_SETS = ("circle", "xor", "gauss", "spiral")
RADIUS = 5.0  # the sets fill about [-5, 5]², inside Playground's [-6, 6]² picture


def make_planar(name, n=500, noise=0.0, seed=0):
    """A shuffled two-class set in the plane, ``n // 2`` samples of class 0.

    =========  ===============================================================
    name       class 1 / class 0
    =========  ===============================================================
    circle     a disc of radius 2.5 / a ring of radii 3.5 to 5 around it
    xor        points in [-5, 5]² with x₁ x₂ > 0 / x₁ x₂ < 0 (0.3 away
               from the axes)
    gauss      a Gaussian cloud around (2, 2) / one around (-2, -2), both of
               standard deviation 1 + 5 * noise
    spiral     two interleaved spiral arms, 1.75 turns out to radius 5
    =========  ===============================================================

    Noise (except for gauss, where it widens the clouds) moves every point by
    ``noise * 5 * U(-1, 1)`` along each axis after its class is chosen, so
    with more noise the classes overlap.

    Parameters
    ----------
    name : {'circle', 'xor', 'gauss', 'spiral'}
    n : int, >= 2
        Number of samples.
    noise : float in [0, 1]
        Playground's noise slider 0..50 is 0..0.5 here.
    seed : int
        Seeds the set's own generator.

    Returns
    -------
    x : ndarray of float64, shape (n, 2)
    y : ndarray of int, shape (n,)
        Labels 0 or 1, in a random order (the first k samples are a random subset).
    """
    if name not in PLANAR_SETS:
        raise ValueError(f"make_planar: name must be one of {PLANAR_SETS}, got {name!r}")
    check_int("make_planar", "n", n, 2)
    check_number("make_planar", "noise", noise, 0, 1)
    generator = np.random.default_rng(seed)
    y = (np.arange(n) < n - n // 2).astype(int)  # class 1 first, n // 2 of class 0
    x = _GENERATORS[name](generator, y, noise)
    if name != "gauss":
        x = x + noise * RADIUS * generator.uniform(-1, 1, x.shape)
    order = generator.permutation(n)
    return x[order], y[order]


def _circle(generator, y, noise):
    n = len(y)
    radius = np.where(y == 1, generator.uniform(0, 0.5 * RADIUS, n),
                      generator.uniform(0.7 * RADIUS, RADIUS, n))
    angle = generator.uniform(0, 2 * np.pi, n)
    return radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])


def _xor(generator, y, noise):
    n, padding = len(y), 0.3
    size = generator.uniform(padding, RADIUS, (n, 2))  # 0.3 away from the axes: off the border
    sign_1 = generator.choice([-1.0, 1.0], n)
    sign_2 = np.where(y == 1, sign_1, -sign_1)  # same signs: x1 x2 > 0, class 1
    return size * np.column_stack([sign_1, sign_2])


def _gauss(generator, y, noise):
    centre = np.where(y[:, None] == 1, 2.0, -2.0)
    return centre + generator.normal(0, 1 + 5 * noise, (len(y), 2))


def _spiral(generator, y, noise):
    n = len(y)
    t = generator.uniform(0, 1, n)  # position along the arm: 0 at the centre, 1 at the tip
    angle = 1.75 * 2 * np.pi * t + np.pi * (y == 0)
    return RADIUS * t[:, None] * np.column_stack([np.sin(angle), np.cos(angle)])


_GENERATORS = {"circle": _circle, "xor": _xor, "gauss": _gauss, "spiral": _spiral}


def ring_data(n=200, seed=0):
    """Two classes in the plane: a disc (class 0) inside a ring (class 1).

    Class 0 has radius uniform in [0, 0.5], class 1 in [0.8, 1.2], angles
    uniform; n // 2 samples each (chapter 01's activation explorer).

    Returns
    -------
    x : array, shape (n, 2)
    y : array of int, shape (n,)
    """
    r = np.random.default_rng(seed)
    half = n // 2
    radius = np.concatenate([r.uniform(0, 0.5, half), r.uniform(0.8, 1.2, n - half)])
    angle = r.uniform(0, 2 * np.pi, n)
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    y = np.concatenate([np.zeros(half, int), np.ones(n - half, int)])
    return x, y


def toy_data(kind="moons", n=200, noise=0.25, seed=0):
    """A noisy two-class 2-D data set, the same for the same seed (chapter 08).

    Parameters
    ----------
    kind : {'moons', 'circles'}
        Two interleaved half circles, or a ring around a disk.
    n : int
        Number of samples (half per class).
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate.

    Returns
    -------
    x : ndarray, shape (n, 2)
    y : ndarray of int, shape (n,)
        Class 0 or 1.
    """
    generator = np.random.default_rng(seed)
    half = n // 2
    angle = generator.uniform(0, np.pi, n) if kind == "moons" else \
        generator.uniform(0, 2 * np.pi, n)
    y = (np.arange(n) >= half).astype(int)
    if kind == "moons":
        x = np.where(y[:, None] == 0,
                     np.column_stack([np.cos(angle), np.sin(angle)]),
                     np.column_stack([1 - np.cos(angle), 0.5 - np.sin(angle)]))
    elif kind == "circles":
        radius = np.where(y == 0, 1.0, 0.45)
        x = np.column_stack([np.cos(angle), np.sin(angle)]) * radius[:, None]
    else:
        raise ValueError(f"toy_data: kind must be 'moons' or 'circles', got {kind!r}")
    x = x + generator.normal(0, noise, x.shape)
    order = generator.permutation(n)
    return x[order], y[order]
