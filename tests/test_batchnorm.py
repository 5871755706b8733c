"""BatchNormalization: gradients, Keras' axis and moving-statistics semantics, parameter counts."""
import numpy as np
import pytest

from mlcore import SGD, BatchNormalization, Conv2D, Dense, Sequential
from mlcore.teaching.gradcheck import check_layer

from helpers import random_array as _x


pytestmark = pytest.mark.usefixtures("float64")  # conftest.py


@pytest.mark.parametrize("x_shape, axis", [
    ((6, 4), -1), ((5, 3, 4), -1), ((5, 3, 4), 1), ((4, 1, 3), 1),
    ((3, 4, 4, 2), -1), ((3, 4, 4, 2), 2),
])
@pytest.mark.parametrize("center, scale", [(True, True), (False, True), (True, False)])
def test_training_mode_gradients(x_shape, axis, center, scale):
    layer = BatchNormalization(axis=axis, center=center, scale=scale,
                               gamma_initializer="random_normal", beta_initializer="random_normal")
    errors = check_layer(layer, _x(x_shape, scale=3, shift=2), training=True)
    assert max(errors.values()) < 1e-6, errors


def test_inference_mode_gradients_use_the_moving_statistics():
    layer = BatchNormalization(moving_mean_initializer="random_normal",
                               moving_variance_initializer="ones")
    errors = check_layer(layer, _x((5, 3)), training=False)
    assert max(errors.values()) < 1e-6, errors


def test_training_normalises_each_feature_over_the_batch():
    layer = BatchNormalization(epsilon=1e-12)
    out = layer.forward(_x((64, 3), scale=5, shift=-7), training=True)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), 1, rtol=1e-9)


def test_inference_uses_moving_averages_and_frozen_layer_runs_in_inference_mode():
    layer = BatchNormalization(momentum=0.5)
    layer.build((2,))
    layer.set_weights([np.array([2.0, 3.0]), np.array([0.5, -1.0]),   # gamma, beta
                       np.array([1.0, -1.0]), np.array([4.0, 9.0])])   # moving mean, variance
    x = _x((4, 2))
    expected = np.array([2.0, 3.0]) * (x - [1.0, -1.0]) / np.sqrt(np.array([4.0, 9.0]) + 1e-3) \
        + [0.5, -1.0]
    np.testing.assert_allclose(layer.forward(x, training=False), expected)
    layer.trainable = False  # as in Keras: frozen means inference mode, statistics untouched
    np.testing.assert_allclose(layer.forward(x, training=True), expected)
    np.testing.assert_array_equal(layer.state["moving_mean"], [1.0, -1.0])


def test_moving_statistics_follow_the_keras_rule_during_fit():
    """moving = moving * momentum + batch_stat * (1 - momentum), biased batch variance."""
    x = _x((40, 3), scale=[1.0, 2.0, 5.0], shift=[3.0, -1.0, 0.0])
    y = np.random.default_rng(1).integers(0, 2, 40)
    model = Sequential([BatchNormalization(momentum=0.9, input_shape=(3,)),
                        Dense(2, activation="softmax")])
    model.compile(SGD(learning_rate=0.1), "sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    mean, var = np.zeros(3), np.ones(3)
    for _ in range(2):
        for start in range(0, 40, 8):
            batch = x[start:start + 8]
            mean = mean * 0.9 + batch.mean(axis=0) * 0.1
            var = var * 0.9 + batch.var(axis=0) * 0.1
    bn = model.layers[0]
    np.testing.assert_allclose(bn.state["moving_mean"], mean, rtol=1e-12)
    np.testing.assert_allclose(bn.state["moving_variance"], var, rtol=1e-12)
    before = bn.get_weights()
    model.predict(x)  # inference never moves the statistics
    for a, b in zip(before, bn.get_weights()):
        np.testing.assert_array_equal(a, b)


def _course_model(axis):
    return Sequential([Dense(16, input_shape=(1, 5), activation="relu"),
                       Dense(32, activation="relu"),
                       BatchNormalization(axis=axis),
                       Dense(2, activation="softmax")])


@pytest.mark.parametrize("axis, total, trainable", [(1, 710, 708), (-1, 834, 770), (2, 834, 770)])
def test_the_course_model_counts_params_like_keras(axis, total, trainable):
    model = _course_model(axis)
    assert model.count_params() == total
    assert model.count_trainable_params() == trainable
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert f"Total params: {total:,}" in text
    assert f"Non-trainable params: {total - trainable:,}" in text


def test_weight_order_and_save_load_round_trip(tmp_path):
    model = Sequential([Conv2D(2, 3, input_shape=(5, 5, 1)), BatchNormalization()])
    bn = model.layers[1]
    assert bn.weight_names == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert set(bn.params) == {"gamma", "beta"}
    assert set(bn.state) == {"moving_mean", "moving_variance"}
    model.forward(_x((4, 5, 5, 1)), training=True)
    model.save_weights(tmp_path / "w.npz")
    other = Sequential([Conv2D(2, 3, input_shape=(5, 5, 1)), BatchNormalization()])
    other.load_weights(tmp_path / "w.npz")
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kwargs, shape, message", [
    ({"axis": 0}, (4,), r"axis=0 is not a feature axis .* use 1 to 1 or -1 to -1"),
    ({"axis": 3}, (4, 2), r"axis=3 is not a feature axis of inputs with shape \(batch, 4, 2\)"),
    ({"axis": -4}, (4, 2), r"axis=-4 is not a feature axis"),
])
def test_bad_axis(kwargs, shape, message):
    with pytest.raises(ValueError, match="bn: " + message):
        BatchNormalization(name="bn", **kwargs).build(shape)


@pytest.mark.parametrize("kwargs, message", [
    ({"axis": 1.5}, "axis must be an int"), ({"momentum": 1.5}, "momentum must be a number in"),
    ({"epsilon": 0}, "epsilon must be a finite number > 0"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match="bn: " + message):
        BatchNormalization(name="bn", **kwargs)
