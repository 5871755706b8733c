"""DenoisingExplorer: noise is added as asked, the model (not retrained) reconstructs."""
import numpy as np
import pytest

from mlcore import Dense, Sequential
from mlcore.widgets.denoising import DenoisingExplorer, denoise_state

from helpers import leaves_engine_rng_alone


def digits(n=3, size=6):
    rng = np.random.default_rng(0)
    return (rng.random((n, size, size)) > 0.6).astype(np.float32)


def linear_model(kernel, bias):
    model = Sequential([Dense(len(bias), input_shape=(kernel.shape[0],))])
    model.set_weights([kernel, bias])
    return model


def test_identity_model_reconstructs_the_noise_itself():
    images = digits()
    identity = linear_model(np.eye(36, dtype=np.float32), np.zeros(36, np.float32))
    s = denoise_state(identity, images, 0.3)
    assert np.allclose(s["reconstructed"], s["noisy"])
    assert np.isclose(s["reconstructed_error"], s["noisy_error"]) and s["noisy_error"] > 0.01


def test_perfect_denoiser_for_one_digit_has_zero_error():
    image = digits(1)
    oracle = linear_model(np.zeros((36, 36), np.float32), image.reshape(-1))
    s = denoise_state(oracle, image, 0.8)
    assert s["reconstructed_error"] == 0 and s["noisy_error"] > 0.05


def test_noise_level_zero_leaves_digits_clean_and_seed_repeats():
    images = digits()
    identity = linear_model(np.eye(36, dtype=np.float32), np.zeros(36, np.float32))
    assert denoise_state(identity, images, 0.0)["noisy_error"] == 0
    a, b = denoise_state(identity, images, 0.5), denoise_state(identity, images, 0.5)
    assert np.array_equal(a["noisy"], b["noisy"])
    assert 0 <= a["noisy"].min() and a["noisy"].max() <= 1


def test_the_engine_generator_is_left_where_it_was():
    identity = linear_model(np.eye(36, dtype=np.float32), np.zeros(36, np.float32))
    leaves_engine_rng_alone(lambda: denoise_state(identity, digits(), 0.4))


def test_bad_image_shape_is_named():
    identity = linear_model(np.eye(36, dtype=np.float32), np.zeros(36, np.float32))
    with pytest.raises(ValueError, match=r"denoise_state: images must have shape \(n, H, W\)"):
        denoise_state(identity, np.zeros((36,)), 0.1)


def test_view_redraws_without_changing_the_model():
    images = digits(4)
    model = linear_model(np.eye(36, dtype=np.float32) * 0.5, np.full(36, 0.25, np.float32))
    weights = [w.copy() for w in model.get_weights()]
    view = DenoisingExplorer(model, images, stddev=0.0)
    before_png = view.image.value
    before = view.pictures["noisy", 0].get_array().copy()
    assert np.array_equal(before, images[0])
    view.slider.value = 0.6
    assert not np.array_equal(view.pictures["noisy", 0].get_array(), before)
    assert view.image.value != before_png
    assert "noise std 0.60" in view.errors.get_text()
    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights()))
    view.slider.value = 1.0  # the extreme setting still draws
    assert "noise std 1.00" in view.describe()


def test_training_between_two_identical_looks_reconstructs_again():
    from helpers import assert_same_stored_values, stored_values
    from mlcore import SGD

    images = digits(4)
    model = linear_model(np.eye(36, dtype=np.float32) * 0.5, np.full(36, 0.25, np.float32))
    flat = images.reshape(4, -1)
    model.forward(flat[:2])
    before = stored_values(model)
    view = DenoisingExplorer(model, images, stddev=0.2)
    view.slider.value = 0.4
    view.slider.value = 0.2
    assert_same_stored_values(before, model)
    old = view.state["reconstructed"].copy()
    model.compile(SGD(0.1), "mean_squared_error")
    model.fit(flat, flat, epochs=3, verbose=0)
    view.slider.value = 0.4
    view.slider.value = 0.2
    expected = denoise_state(model, images, 0.2)["reconstructed"]
    np.testing.assert_array_equal(view.state["reconstructed"], expected)
    assert not np.allclose(view.state["reconstructed"], old)
