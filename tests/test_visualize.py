"""Activation maximisation: the input gradient is right, ascent raises the activation."""
import numpy as np
import pytest

import mlcore
from mlcore import Conv2D, Dense, Flatten, MaxPooling2D, Sequential
from mlcore.teaching.gradcheck import numerical_gradient, relative_error
from mlcore.teaching.visualize import filter_activation_gradient, gaussian_blur, maximize_activation


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
    with pytest.raises(ValueError, match=r"filter_index must be an int in \[0, 2\].*got 3"):
        maximize_activation(model, "c1", 3)
    with pytest.raises(ValueError, match="steps must be a positive int, got 0"):
        maximize_activation(model, "c1", 0, steps=0)
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        maximize_activation(model, "c1", 0, learning_rate=-1)
    with pytest.raises(ValueError, match="contrast must be a number > 0 or None, got 0"):
        maximize_activation(model, "c1", 0, contrast=0)
    with pytest.raises(ValueError, match=r"expected one sample of shape \(10, 10, 2\)"):
        filter_activation_gradient(model, "c1", 0, np.zeros((1, 10, 10, 2)))


def test_gaussian_blur_matches_the_separable_kernel_and_keeps_constants():
    sigma = 1.0
    t = np.arange(-3, 4)
    g = np.exp(-t ** 2 / 2.0)
    g /= g.sum()
    delta = np.zeros((15, 15))
    delta[7, 7] = 1.0
    np.testing.assert_allclose(gaussian_blur(delta, sigma)[4:11, 4:11], np.outer(g, g), atol=1e-15)
    assert np.isclose(gaussian_blur(delta, sigma).sum(), 1.0)  # far from the border nothing is lost
    constant = np.full((6, 9, 2), 0.3)
    np.testing.assert_allclose(gaussian_blur(constant, 0.8), constant, atol=1e-15)
    image = mlcore.backend.rng().random((8, 8, 3)).astype("float32")
    blurred = gaussian_blur(image, 0.7)
    assert blurred.dtype == np.float32 and blurred.std() < image.std()
    for c in range(3):  # channels are blurred independently
        np.testing.assert_allclose(blurred[..., c], gaussian_blur(image[..., c], 0.7), atol=1e-6)
    np.testing.assert_array_equal(gaussian_blur(image, 0), image)


def _first_step_by_hand(model, layer_name, f, jitter, blur, decay, seed=4, noise=1.0, lr=0.05):
    """One step of the documented order: jittered gradient, update, decay, blur."""
    rng = np.random.default_rng(seed)
    x = (0.5 + noise * (rng.random((10, 10, 2)) - 0.5)).astype("float32")
    shift = tuple(rng.integers(-jitter, jitter + 1, size=2)) if jitter else (0, 0)
    _, grad = filter_activation_gradient(model, layer_name, f, np.roll(x, shift, axis=(0, 1)))
    grad = np.roll(grad, (-shift[0], -shift[1]), axis=(0, 1))
    x = x + lr * grad / (np.sqrt(np.mean(grad ** 2)) + 1e-8)
    x = 0.5 + (1 - decay) * (x - 0.5)
    return gaussian_blur(x, blur) if blur else x


@pytest.mark.parametrize("jitter, blur, decay", [(2, 0.0, 0.0), (0, 0.8, 0.0), (0, 0.0, 0.1), (3, 0.6, 0.05)])
def test_one_regularised_step_follows_the_documented_order(jitter, blur, decay):
    mlcore.set_seed(5)
    model = small_cnn()
    image, values = maximize_activation(model, "c2", 1, steps=1, learning_rate=0.05, seed=4,
                                        noise=1.0, contrast=None, jitter=jitter, blur=blur, decay=decay)
    expected = _first_step_by_hand(model, "c2", 1, jitter, blur, decay)
    np.testing.assert_allclose(image, expected, atol=1e-5)
    # values are measured on the unshifted image
    assert np.isclose(values[-1], filter_activation_gradient(model, "c2", 1, image)[0], rtol=1e-6)


def _roughness(image):
    """Mean squared difference of neighbouring pixels, relative to the image's variance."""
    image = image - image.mean()
    steps = np.mean(np.diff(image, axis=0) ** 2) + np.mean(np.diff(image, axis=1) ** 2)
    return steps / np.mean(image ** 2)


def test_blur_and_jitter_make_smoother_images_that_still_excite_the_filter():
    mlcore.set_seed(1)
    model = small_cnn()
    plain, plain_values = maximize_activation(model, "c2", 0, steps=40, seed=1, noise=1.0)
    smooth, smooth_values = maximize_activation(model, "c2", 0, steps=40, seed=1, noise=1.0,
                                                jitter=1, blur=0.7)
    assert _roughness(smooth) < 0.5 * _roughness(plain)
    assert smooth_values[-1] > smooth_values[0] + 0.1


def test_decay_keeps_unconstrained_ascent_bounded():
    mlcore.set_seed(2)
    model = small_cnn()
    free, _ = maximize_activation(model, "c1", 1, steps=60, seed=0, contrast=None)
    decayed, values = maximize_activation(model, "c1", 1, steps=60, seed=0, contrast=None, decay=0.1)
    assert np.abs(decayed - 0.5).max() < 0.5 * np.abs(free - 0.5).max()
    assert values[-1] > values[0]


def test_bad_regulariser_arguments_are_refused():
    mlcore.set_seed(0)
    model = small_cnn()
    with pytest.raises(ValueError, match=r"jitter must be an int in \[0, 9\] pixels, got -1"):
        maximize_activation(model, "c1", 0, jitter=-1)
    with pytest.raises(ValueError, match="jitter must be an int.*got 1.5"):
        maximize_activation(model, "c1", 0, jitter=1.5)
    with pytest.raises(ValueError, match=r"decay must be a number in \[0, 1\), got 1"):
        maximize_activation(model, "c1", 0, decay=1, contrast=None)
    with pytest.raises(ValueError, match="undone by the contrast projection; pass contrast=None"):
        maximize_activation(model, "c1", 0, decay=0.1)
    with pytest.raises(ValueError, match="blur must be a finite number >= 0, got -0.5"):
        maximize_activation(model, "c1", 0, blur=-0.5)
    with pytest.raises(ValueError, match=r"blur=4 needs a mirrored border of 12 pixels"):
        maximize_activation(model, "c1", 0, blur=4)
    with pytest.raises(ValueError, match=r"expected an image \(H, W\) or \(H, W, C\), got shape \(5,\)"):
        gaussian_blur(np.zeros(5), 1.0)
