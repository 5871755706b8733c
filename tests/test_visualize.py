"""Activation maximisation: the input gradient is right, ascent raises the activation."""
import numpy as np
import pytest

import mlcore
from mlcore import Conv2D, Dense, Flatten, MaxPooling2D, Sequential
from mlcore.gradcheck import numerical_gradient, relative_error
from mlcore.visualize import filter_activation_gradient, maximize_activation


def small_cnn(activation="relu"):
    return Sequential([
        Conv2D(3, 3, activation=activation, input_shape=(10, 10, 2), name="c1"),
        MaxPooling2D(2, name="p1"),
        Conv2D(4, 3, activation=activation, name="c2"),
        Flatten(name="f"),
        Dense(5, activation="softmax", name="out"),
    ])


@pytest.mark.parametrize("layer_name, filter_index", [("c1", 0), ("c1", 2), ("c2", 1), ("c2", 3)])
def test_input_gradient_matches_finite_differences(layer_name, filter_index):
    with mlcore.float_precision("float64"):
        mlcore.set_seed(3)
        model = small_cnn(activation="tanh")  # smooth, so differences are exact to O(h^2)
        x = mlcore.backend.rng().standard_normal((10, 10, 2))
        _, analytic = filter_activation_gradient(model, layer_name, filter_index, x)

        def objective():
            return filter_activation_gradient(model, layer_name, filter_index, x)[0]

        numeric = numerical_gradient(objective, x)
    assert analytic.shape == x.shape
    assert np.abs(analytic).max() > 1e-4  # a non-trivial gradient
    assert relative_error(analytic, numeric) < 1e-6


def test_gradient_of_a_linear_filter_is_its_kernel_summed_over_windows():
    # One 'valid' conv with no activation: A(x) = mean_ij sum(window_ij * k) + b,
    # so dA/dx[p, q] = (1/P) * sum of the kernel weights that ever cover (p, q).
    with mlcore.float_precision("float64"):
        mlcore.set_seed(0)
        model = Sequential([Conv2D(1, 3, input_shape=(5, 5, 1), name="c")])
        kernel = model.get_layer("c").params["kernel"][:, :, 0, 0]
        _, grad = filter_activation_gradient(model, "c", 0, np.zeros((5, 5, 1)))
    expected = np.zeros((5, 5))
    for i in range(3):
        for j in range(3):
            expected[i:i + 3, j:j + 3] += kernel / 9
    np.testing.assert_allclose(grad[:, :, 0], expected, atol=1e-12)


@pytest.mark.parametrize("contrast", [None, 0.2])
@pytest.mark.parametrize("layer_name, filter_index", [("c1", 1), ("c2", 0)])
def test_gradient_ascent_increases_the_activation(layer_name, filter_index, contrast):
    mlcore.set_seed(1)
    model = small_cnn()
    image, values = maximize_activation(model, layer_name, filter_index, steps=30,
                                        learning_rate=0.05, seed=0, noise=1.0, contrast=contrast)
    assert image.shape == (10, 10, 2) and values.shape == (31,)
    if contrast is not None:  # projected back to gray mean and the chosen contrast
        assert np.isclose(image.mean(), 0.5, atol=1e-5) and np.isclose(image.std(), contrast, rtol=1e-4)
    assert values[-1] > values[0] + 0.1
    if contrast is None:  # nothing bounds the input: every step climbs
        assert np.all(np.diff(values) > 0)
    else:  # climb, then a plateau where fixed-size steps jitter near the best value
        assert np.mean(np.diff(values[:11]) > 0) >= 0.9
        assert values[-10:].min() >= 0.95 * values.max()


def test_weights_untouched_and_seed_reproducible():
    mlcore.set_seed(2)
    model = small_cnn()
    before = model.get_weights()
    state = mlcore.backend.rng().bit_generator.state
    a, values_a = maximize_activation(model, "c2", 2, steps=5, seed=7)
    b, values_b = maximize_activation(model, "c2", 2, steps=5, seed=7)
    assert mlcore.backend.rng().bit_generator.state == state  # own generator when seeded
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(values_a, values_b)
    for w0, w1 in zip(before, model.get_weights()):
        np.testing.assert_array_equal(w0, w1)


def test_bad_arguments_name_the_function_and_the_value():
    mlcore.set_seed(0)
    model = small_cnn()
    with pytest.raises(ValueError, match="no layer named 'conv9'"):
        maximize_activation(model, "conv9", 0)
    with pytest.raises(ValueError, match=r"filter_index must be an int in \[0, 3\).*got 3"):
        maximize_activation(model, "c1", 3)
    with pytest.raises(ValueError, match="steps must be a positive int, got 0"):
        maximize_activation(model, "c1", 0, steps=0)
    with pytest.raises(ValueError, match="learning_rate must be a number > 0"):
        maximize_activation(model, "c1", 0, learning_rate=-1)
    with pytest.raises(ValueError, match="contrast must be a number > 0 or None, got 0"):
        maximize_activation(model, "c1", 0, contrast=0)
    with pytest.raises(ValueError, match=r"expected one sample of shape \(10, 10, 2\)"):
        filter_activation_gradient(model, "c1", 0, np.zeros((1, 10, 10, 2)))
