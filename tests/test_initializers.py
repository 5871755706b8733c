"""Initializers: Keras' fans and variances, measured on large draws."""
import numpy as np
import pytest

from mlcore import Dense, initializers


def test_fans_follow_keras():
    assert initializers.compute_fans((250, 100)) == (250, 100)
    assert initializers.compute_fans((3, 3, 16, 32)) == (3 * 3 * 16, 3 * 3 * 32)


@pytest.mark.parametrize("name, variance", [
    ("glorot_uniform", 2 / (400 + 300)),
    ("glorot_normal", 2 / (400 + 300)),
    ("he_uniform", 2 / 400),
    ("he_normal", 2 / 400),
    ("lecun_uniform", 1 / 400),
    ("lecun_normal", 1 / 400),
])
def test_variance(name, variance):
    w = initializers.get(name)((400, 300))
    assert w.mean() == pytest.approx(0, abs=3e-3)
    assert w.var() == pytest.approx(variance, rel=0.03)


@pytest.mark.parametrize("name", ["glorot_normal", "he_normal", "lecun_normal"])
def test_truncated_normals_stay_within_two_standard_deviations(name):
    w = initializers.get(name)((400, 300))
    limit = 2 * np.sqrt(initializers.get(name).scale / {"fan_avg": 350, "fan_in": 400}[
        initializers.get(name).mode]) / 0.87962566103423978
    assert np.abs(w).max() <= limit + 1e-12


def test_random_normal_with_stddev_one_is_the_course_init():
    """250 inputs equal to 1 with N(0, 1) weights: z has variance 250, std 15.811."""
    w = initializers.RandomNormal(stddev=1.0)((250, 20000))
    z = np.ones(250) @ w
    assert z.std() == pytest.approx(np.sqrt(250), rel=0.02)


def test_constants():
    assert (initializers.get("zeros")((2, 2)) == 0).all()
    assert (initializers.get("ones")((2, 2)) == 1).all()
    assert (initializers.Constant(0.3)((3,)) == 0.3).all()


def test_dense_default_is_glorot_uniform():
    layer = Dense(300, input_shape=(400,))
    layer.build((400,))
    limit = np.sqrt(6 / 700)
    kernel = layer.params["kernel"]
    assert np.abs(kernel).max() <= limit and kernel.var() == pytest.approx(2 / 700, rel=0.03)
    assert (layer.params["bias"] == 0).all() and kernel.dtype == np.float32


def test_callable_and_bad_names():
    layer = Dense(2, kernel_initializer=lambda shape: np.full(shape, 0.5))
    layer.build((3,))
    assert (layer.params["kernel"] == 0.5).all()
    with pytest.raises(ValueError, match="unknown initializer 'xavier'; valid names are"):
        initializers.get("xavier")
    with pytest.raises(ValueError, match="stddev must be >= 0"):
        initializers.RandomNormal(stddev=-1)


def test_an_initializer_prints_as_its_name_when_it_has_that_names_defaults():
    """A layer resolves 'glorot_uniform' in its constructor; printing it still says the name."""
    layer = Dense(3, kernel_initializer="glorot_uniform")
    assert f"{layer.kernel_initializer}" == "glorot_uniform" and str(initializers.Zeros()) == "zeros"
    assert str(initializers.RandomNormal(stddev=1.0)) == repr(initializers.RandomNormal(stddev=1.0))
    assert str(initializers.Constant(0.5)) == "Constant(value=0.5)"
