"""Helpers shared by the test files: ``from helpers import random_array``.

(Fixtures shared by the tests live in conftest.py; plain functions live here.)
"""
import numpy as np

import mlcore


def random_array(shape, seed=0, scale=1.0, shift=0.0):
    """Standard-normal float64 draws of ``shape``, times ``scale`` plus ``shift``.

    From a generator of its own seeded with ``seed``: the same array on every
    run, whatever random numbers the engine or other tests drew before.
    """
    return np.random.default_rng(seed).standard_normal(shape) * scale + shift


def leaves_engine_rng_alone(action):
    """Return ``action()``, asserting it left the engine's random generator where it was.

    Functions that draw from a generator of their own (``backend.seeded``) must
    not change the random numbers a notebook draws next.
    """
    mlcore.set_seed(11)
    expected = mlcore.backend.rng().random(3)
    mlcore.set_seed(11)
    result = action()
    np.testing.assert_array_equal(mlcore.backend.rng().random(3), expected)
    return result
