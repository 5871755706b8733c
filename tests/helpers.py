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


def stored_values(model):
    """Copies of what every layer keeps between passes: ``a``, ``z``, ``last_input``,
    ``grads`` and ``state``, to compare with ``assert_same_stored_values``."""
    def copied(value):
        return None if value is None else np.array(value)
    return [dict(a=copied(layer.a), z=copied(layer.z), last_input=copied(layer.last_input),
                 grads={k: np.array(v) for k, v in layer.grads.items()},
                 state={k: np.array(v) for k, v in layer.state.items()})
            for layer in model.layers]


def assert_same_stored_values(before, model):
    """Assert that ``model``'s layers keep what ``stored_values`` copied (shapes and values)."""
    after = stored_values(model)
    assert len(after) == len(before)
    for index, (old, new) in enumerate(zip(before, after)):
        for key in ("a", "z", "last_input"):
            if old[key] is None:
                assert new[key] is None, f"layer {index}: {key} was None"
            else:
                assert new[key] is not None and new[key].shape == old[key].shape, \
                    f"layer {index}: {key}"
                np.testing.assert_array_equal(new[key], old[key], err_msg=f"layer {index}: {key}")
        for key in ("grads", "state"):
            assert new[key].keys() == old[key].keys()
            for name in old[key]:
                np.testing.assert_array_equal(new[key][name], old[key][name],
                                              err_msg=f"layer {index}: {key}[{name!r}]")
