"""Real Keras 3 (torch backend) as an oracle: the same weights in, the same numbers out.

Skips without Keras (fails under CI); install it with
``MLCORE_TEST_KERAS=1 python3 course.py test``. Both engines run in float64, but
Keras' torch backend still computes some steps in float32 (``ops.mean`` casts
to float32 first), so values agree to about 1e-7 relative, not 1e-15. The
tolerances below allow 1e-5, far below a difference in a formula: a batch-norm
epsilon of 1e-5 instead of Keras' 1e-3 changes the training-mode output of the
batch-norm test by 7e-3 relative, and PyTorch's place for Adam's and RMSprop's
epsilon (mlcore's before issue 11) fails the trajectory test.
"""
import numpy as np
import pytest

import mlcore
from mlcore import EarlyStopping, SGD, Adam, RMSprop, Sequential

RTOL, ATOL = 1e-5, 1e-6
# Keras' torch backend converts with np.array(tensor); numpy 2 warns about torch's __array__.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")


@pytest.fixture
def both_float64(keras, float64):
    """mlcore (see the ``float64`` fixture) and Keras both in float64."""
    previous = keras.config.floatx()
    keras.config.set_floatx("float64")
    keras.utils.set_random_seed(0)
    yield
    keras.config.set_floatx(previous)


def rng():
    return np.random.default_rng(0)


def numpy(keras, tensor):
    """A Keras tensor or variable (its ``value``) as a NumPy array."""
    return keras.ops.convert_to_numpy(getattr(tensor, "value", tensor))


# -- optimizers ------------------------------------------------------------------------
def _quadratic_grad(w, target, scale):
    """Gradient of sum(scale * (w - t)^2 * (1 + w^2)); it feeds back, so errors would grow."""
    return scale * (2 * (w - target) * (1 + w * w) + 2 * w * (w - target) ** 2)


OPTIMIZERS = [
    ("sgd", SGD, dict(learning_rate=0.05)),
    ("momentum", SGD, dict(learning_rate=0.05, momentum=0.9)),
    ("nesterov", SGD, dict(learning_rate=0.05, momentum=0.8, nesterov=True)),
    ("adam", Adam, dict(learning_rate=0.01)),
    ("adam_betas", Adam, dict(learning_rate=0.02, beta_1=0.8, beta_2=0.99, epsilon=1e-6)),
    ("rmsprop", RMSprop, dict(learning_rate=0.01)),
    ("rmsprop_momentum", RMSprop, dict(learning_rate=0.01, rho=0.8, momentum=0.5)),
    ("rmsprop_centered", RMSprop, dict(learning_rate=0.01, momentum=0.3, centered=True)),
]


@pytest.mark.parametrize("name, cls, kwargs", OPTIMIZERS, ids=[c[0] for c in OPTIMIZERS])
def test_optimizer_trajectory_matches_keras(name, cls, kwargs, keras, both_float64):
    """30 steps from the same start, the learning rate changed after 15 (momentum keeps old steps).

    Per-element gradient scales from 1e-6 to 1 put some gradients near epsilon,
    where Adam's and RMSprop's placement of epsilon matters.
    """
    generator = rng()
    start, target = generator.standard_normal((2, 3, 4))
    scale = 10.0 ** generator.uniform(-6, 0, size=(3, 4))
    ours, theirs = cls(**kwargs), getattr(keras.optimizers, cls.__name__)(**kwargs)
    w, variable = start.copy(), keras.Variable(start, dtype="float64")
    for step in range(30):
        if step == 15:
            ours.learning_rate = theirs.learning_rate = kwargs["learning_rate"] * 3
        ours.apply_gradients([(w, _quadratic_grad(w, target, scale))])
        theirs.apply_gradients([(keras.ops.convert_to_tensor(
            _quadratic_grad(numpy(keras, variable), target, scale)), variable)])
    # Keras keeps its learning rate in a float32 variable: 0.01 becomes 0.0099999998
    np.testing.assert_allclose(w, numpy(keras, variable), rtol=1e-6, atol=1e-12)
    assert not np.allclose(w, start)


@pytest.mark.parametrize("cls", [SGD, Adam, RMSprop])
def test_optimizer_defaults_are_keras_defaults(cls, keras):
    ours, theirs = cls().get_config(), getattr(keras.optimizers, cls.__name__)().get_config()
    assert ours == {key: pytest.approx(theirs[key]) for key in ours}


# -- losses ----------------------------------------------------------------------------
def _targets(name, generator, n, k):
    """Targets of the kind each loss expects, for n samples and k outputs."""
    labels = generator.integers(0, k, n)
    if name == "sparse_categorical_crossentropy":
        return labels
    if name in ("categorical_crossentropy", "categorical_hinge"):
        return np.eye(k)[labels]
    if name == "kl_divergence":
        return generator.dirichlet(np.ones(k), n)
    if name in ("binary_crossentropy", "hinge", "squared_hinge"):
        return generator.integers(0, 2, (n, k)).astype(float)  # 0/1: hinge maps them to -1/1
    if name in ("poisson", "mean_squared_logarithmic_error", "msle"):
        return generator.uniform(0, 2, (n, k))
    if name in ("mean_absolute_percentage_error", "mape"):
        return generator.uniform(0.5, 2, (n, k)) * generator.choice([-1, 1], (n, k))
    return generator.standard_normal((n, k))


OUTPUT_ACTIVATION = {  # predictions in the range each loss expects
    "sparse_categorical_crossentropy": "softmax", "categorical_crossentropy": "softmax",
    "categorical_hinge": "softmax", "kl_divergence": "softmax", "binary_crossentropy": "sigmoid",
    "poisson": "sigmoid", "mean_squared_logarithmic_error": "sigmoid", "msle": "sigmoid",
}
# mlcore's aliases that Keras 3 dropped (Keras 2 names); checked below, so the list stays true.
NOT_IN_KERAS_3 = ["cosine_proximity", "kullback_leibler_divergence", "logcosh"]
LOSS_NAMES = [name for name in mlcore.losses.names() if name not in NOT_IN_KERAS_3]


def test_every_other_loss_name_is_one_keras_3_rejects(keras):
    for name in NOT_IN_KERAS_3:
        with pytest.raises(ValueError, match="Could not interpret loss identifier"):
            keras.losses.get(name)
    assert len(LOSS_NAMES) == 18


def _twins(keras, make_layers, input_shape):
    """The same layer stack in both engines, with Keras' initial weights copied into mlcore."""
    ours = Sequential([mlcore.Input(input_shape)] + make_layers(mlcore))
    theirs = keras.Sequential([keras.Input(input_shape)] + make_layers(keras.layers))
    ours.set_weights([numpy(keras, w) for w in theirs.weights])
    return ours, theirs


def _assert_same_weights(keras, ours, theirs):
    theirs_weights = [numpy(keras, w) for w in theirs.weights]
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs_weights]
    for mine, reference in zip(ours.get_weights(), theirs_weights):
        np.testing.assert_allclose(mine, reference, rtol=RTOL, atol=ATOL)


def _one_sgd_step(keras, ours, theirs, x, y, loss, learning_rate=0.1):
    """Compile both with plain SGD and ``loss``, train one batch, return both losses."""
    ours.compile(SGD(learning_rate=learning_rate), loss=loss)
    theirs.compile(keras.optimizers.SGD(learning_rate=learning_rate), loss=loss)
    return ours.train_on_batch(x, y)["loss"], float(theirs.train_on_batch(x, y))


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_loss_value_and_training_step_match_keras(name, keras, both_float64):
    generator = rng()
    x, y = generator.standard_normal((6, 3)), _targets(name, generator, 6, 4)
    activation = OUTPUT_ACTIVATION.get(name, "linear")
    ours, theirs = _twins(keras, lambda L: [L.Dense(4, activation=activation)], (3,))
    p = ours.predict(x)
    per_sample = keras.losses.get(name)(keras.ops.convert_to_tensor(y), p)  # Keras' loss function
    expected = float(np.mean(numpy(keras, per_sample)))
    assert mlcore.losses.get(name)(y, p) == pytest.approx(expected, rel=RTOL)
    # One SGD step: equal weights afterwards means equal gradients of the loss.
    before = ours.get_weights()[0].copy()
    our_loss, their_loss = _one_sgd_step(keras, ours, theirs, x, y, name)
    assert our_loss == pytest.approx(their_loss, rel=RTOL)
    _assert_same_weights(keras, ours, theirs)
    assert np.abs(ours.get_weights()[0] - before).max() > 1e-6  # the step did move the weights


SATURATED = [  # (last activation, loss, logits, target, p - y)
    ("softmax", "sparse_categorical_crossentropy", [50.0, 0.0, 0.0], [2], [1, 0, -1]),
    ("sigmoid", "binary_crossentropy", [50.0], [[0.0]], [1]),
]


@pytest.mark.parametrize("activation, loss, logits, target, p_minus_y", SATURATED,
                         ids=[s[1] for s in SATURATED])
def test_a_saturated_wrong_answer_is_where_keras_torch_backend_differs(
        activation, loss, logits, target, p_minus_y, keras, both_float64):
    """The documented difference (see mlcore.losses): Keras on torch clips the probability
    at 1e-7, so a confidently wrong answer costs -log(1e-7) = 16.1 and its SGD step moves
    no weight. mlcore, like Keras on TensorFlow and PyTorch, computes the loss from the
    logits: 50, and the bias moves by -learning_rate * (p - y)."""
    ours, theirs = _twins(keras, lambda L: [L.Dense(len(logits), activation=activation,
                                                    kernel_initializer="zeros")], (2,))
    for model in (ours, theirs):
        model.set_weights([np.zeros((2, len(logits))), np.array(logits)])
    x, y = np.ones((1, 2)), np.array(target)
    our_loss, their_loss = _one_sgd_step(keras, ours, theirs, x, y, loss)
    assert their_loss == pytest.approx(-np.log(1e-7), rel=1e-6)
    np.testing.assert_array_equal(numpy(keras, theirs.weights[1]), logits)  # Keras: stuck
    assert our_loss == pytest.approx(50, rel=1e-12)
    np.testing.assert_allclose(ours.get_weights()[1], np.array(logits) - 0.1 * np.array(p_minus_y),
                               atol=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 10, 33, 100])
@pytest.mark.parametrize("split", [0.01, 0.1, 0.2, 0.25, 0.29, 0.3, 0.5, 0.9])
def test_validation_split_sizes_and_errors_match_keras(n, split, keras):
    """Keras 3's own split function is the oracle: the same sizes, or both raise."""
    from keras.src.trainers.data_adapters.array_slicing import train_validation_split
    from mlcore.training.input_checks import split_off_end

    x, y = np.arange(n, dtype=float)[:, None], np.arange(n)
    try:
        (keras_x, _), (keras_val, _) = train_validation_split((x, y), split)
    except ValueError as keras_error:
        assert "not sufficient to split" in str(keras_error)
        with pytest.raises(ValueError, match="cannot be split"):
            split_off_end(x, y, split, "fit")
        return
    (ours_x, _), (ours_val, _) = split_off_end(x, y, split, "fit")
    np.testing.assert_array_equal(ours_x, keras_x)
    np.testing.assert_array_equal(ours_val, keras_val)


# -- layers ----------------------------------------------------------------------------
LAYERS = [
    ("dense_relu", (5,), lambda L: [L.Dense(3, activation="relu")]),
    ("dense_on_images", (4, 4, 2), lambda L: [L.Dense(3, activation="tanh")]),
    ("conv_valid", (7, 7, 2), lambda L: [L.Conv2D(3, 3, activation="relu")]),
    ("conv_same", (7, 7, 2), lambda L: [L.Conv2D(3, (3, 2), padding="same")]),
    ("conv_valid_stride2", (8, 8, 2), lambda L: [L.Conv2D(3, 3, strides=2)]),
    ("conv_same_stride2", (8, 8, 2), lambda L: [L.Conv2D(3, 4, strides=2, padding="same")]),
    ("conv_same_stride3_odd", (7, 9, 1), lambda L: [L.Conv2D(2, 3, strides=3, padding="same")]),
    ("maxpool", (6, 6, 2), lambda L: [L.Conv2D(2, 3, padding="same"), L.MaxPooling2D(2)]),
    ("maxpool_stride1", (5, 5, 2), lambda L: [L.Conv2D(2, 2), L.MaxPooling2D(2, strides=1)]),
    ("maxpool_same", (5, 5, 2), lambda L: [L.Conv2D(2, 2), L.MaxPooling2D(2, padding="same")]),
    ("avgpool", (6, 6, 2), lambda L: [L.Conv2D(2, 3, padding="same"), L.AveragePooling2D(2)]),
    ("avgpool_3x3_stride2", (7, 7, 2), lambda L: [L.Conv2D(2, 1),
                                                  L.AveragePooling2D(3, strides=2)]),
    ("batchnorm_last_axis", (5,), lambda L: [L.Dense(4), L.BatchNormalization()]),
    ("batchnorm_axis1_course", (1, 5), lambda L: [L.Dense(4), L.BatchNormalization(axis=1)]),
    ("batchnorm_conv", (4, 4, 2), lambda L: [L.Conv2D(3, 3, padding="same"),
                                             L.BatchNormalization(momentum=0.9)]),
]


@pytest.mark.parametrize("name, input_shape, make_layers", LAYERS, ids=[c[0] for c in LAYERS])
def test_layer_forward_and_one_training_step_match_keras(name, input_shape, make_layers, keras,
                                                         both_float64):
    generator = rng()
    x = generator.standard_normal((6,) + input_shape)
    ours, theirs = _twins(keras, make_layers, input_shape)
    for layer in theirs.layers:  # non-zero biases and BN parameters, so they are checked too
        for weight in layer.trainable_weights:
            weight.assign(numpy(keras, weight) + generator.uniform(-0.5, 0.5, weight.shape))
    ours.set_weights([numpy(keras, w) for w in theirs.weights])
    np.testing.assert_allclose(ours.predict(x), numpy(keras, theirs(x, training=False)),
                               rtol=RTOL, atol=ATOL)
    y = generator.standard_normal((6,) + ours.layers[-1].output_shape)
    # The step trains in training mode: BatchNormalization uses batch statistics
    # and moves its moving mean and variance, which the weight lists include.
    our_loss, their_loss = _one_sgd_step(keras, ours, theirs, x, y, "mse")
    assert our_loss == pytest.approx(their_loss, rel=RTOL)
    _assert_same_weights(keras, ours, theirs)
    np.testing.assert_allclose(ours.forward(x, training=True),
                               numpy(keras, theirs(x, training=True)), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours.predict(x), numpy(keras, theirs(x, training=False)),
                               rtol=RTOL, atol=ATOL)


# -- EarlyStopping ---------------------------------------------------------------------
class ScriptedValLoss:
    """Mixin for a callback that replaces each epoch's val_loss by a script and records the weights.

    Placed before EarlyStopping, it makes both engines see the same sequence.
    """

    def __init__(self, script):
        super().__init__()
        self.script, self.weights = script, []

    def on_epoch_end(self, epoch, logs=None):
        logs["val_loss"] = self.script[epoch]
        self.weights.append([np.array(w) for w in self.model.get_weights()])


SCRIPTS = [  # (name, val_loss per epoch, epochs Keras runs)
    # best at epoch 1; epochs 2 and 3 do not improve, so patience 2 stops after epoch 3
    ("stops", [1.0, 0.8, 0.9, 0.85, 0.95, 0.99, 0.7, 0.6], 4),
    # best at epoch 3; training ends without stopping, and Keras 3 still restores epoch 3
    ("runs_out", [1.0, 0.8, 0.9, 0.7, 0.75], 5),
]


@pytest.mark.parametrize("name, script, epochs_run", SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_early_stopping_matches_keras(name, script, epochs_run, keras, both_float64):
    generator = rng()
    x, y = generator.standard_normal((8, 2)), generator.standard_normal((8, 1))
    ours, theirs = _twins(keras, lambda L: [L.Dense(1)], (2,))
    ours.compile(SGD(learning_rate=0.1), loss="mse")
    theirs.compile(keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    runs = {}
    for engine, model, base in (("mlcore", ours, mlcore.Callback),
                                ("keras", theirs, keras.callbacks.Callback)):
        scripted = type("Scripted", (ScriptedValLoss, base), {})(script)
        stopping = (EarlyStopping if engine == "mlcore" else keras.callbacks.EarlyStopping)(
            monitor="val_loss", patience=2, restore_best_weights=True)
        history = model.fit(x, y, batch_size=8, epochs=len(script), shuffle=False, verbose=0,
                            validation_data=(x, y), callbacks=[scripted, stopping])
        best = int(np.argmin(script[:len(history.epoch)]))
        runs[engine] = dict(epochs=len(history.epoch), stopped_epoch=stopping.stopped_epoch or None,
                            weights=[np.array(w) for w in model.get_weights()],
                            best_weights=scripted.weights[best])
    assert runs["keras"]["epochs"] == epochs_run  # the oracle does what the script says
    assert runs["mlcore"]["epochs"] == runs["keras"]["epochs"]
    assert runs["mlcore"]["stopped_epoch"] == runs["keras"]["stopped_epoch"]
    for engine in runs:  # the weights left at the end are those of the best epoch
        for final, best in zip(runs[engine]["weights"], runs[engine]["best_weights"]):
            np.testing.assert_array_equal(final, best, err_msg=engine)
    for mine, reference in zip(runs["mlcore"]["weights"], runs["keras"]["weights"]):
        np.testing.assert_allclose(mine, reference, rtol=RTOL, atol=ATOL)


# -- the course's models ---------------------------------------------------------------
def _course_cnn(padding):
    return lambda L: [L.Dense(16, activation="relu"),
                      L.Conv2D(32, kernel_size=(3, 3), padding=padding, activation="relu"),
                      L.Conv2D(64, kernel_size=(5, 5), padding=padding, activation="relu"),
                      L.Conv2D(128, kernel_size=(7, 7), padding=padding, activation="relu"),
                      L.Flatten(), L.Dense(2, activation="softmax")]


def _digit_cnn(pool):
    return lambda L: [L.Conv2D(32, 3, activation="relu"), *([L.MaxPooling2D(2)] if pool else []),
                      L.Conv2D(64, 3, padding="same", activation="relu"),
                      L.Flatten(), L.Dense(10, activation="softmax")]


def _batch_norm_course(axis):
    return lambda L: [L.Dense(16, activation="relu"), L.Dense(32, activation="relu"),
                      L.BatchNormalization(axis=axis), L.Dense(2, activation="softmax")]


def _deep_net(L):
    stack = [L.Dense(64, activation="sigmoid")]
    for _ in range(5):
        stack += [L.BatchNormalization(), L.Dense(64, activation="sigmoid")]
    return stack + [L.BatchNormalization(), L.Dense(10, activation="softmax")]


# (chapter and model, input shape, layers, parameters as the course states them, trainable)
COURSE_MODELS = [
    ("00 2-3-2", (2,), lambda L: [L.Dense(3, activation="relu"), L.Dense(2, activation="softmax")],
     17, 17),
    ("00 8-6-6-4", (8,), lambda L: [L.Dense(6, activation="relu"), L.Dense(6, activation="relu"),
                                    L.Dense(4, activation="softmax")], 124, 124),
    ("02 side effects", (1,), lambda L: [L.Dense(16, activation="relu"),
                                         L.Dense(32, activation="relu"), L.Dense(2)], 642, 642),
    ("04 digits", (28, 28), lambda L: [L.Flatten(), L.Dense(64, activation="relu"),
                                       L.Dense(10, activation="softmax")], 50_890, 50_890),
    ("04 dropout", (28, 28), lambda L: [L.Flatten(), L.Dense(256, activation="relu"),
                                        L.Dropout(0.5), L.Dense(10, activation="softmax")],
     203_530, 203_530),
    ("05 autoencoder", (784,), lambda L: [L.Dense(32, activation="relu"),
                                          L.Dense(784, activation="sigmoid")], 50_992, 50_992),
    ("09 cnn", (28, 28, 1), lambda L: [L.Conv2D(8, 3, activation="relu"), L.MaxPooling2D(2),
                                       L.Conv2D(16, 3, activation="relu"), L.MaxPooling2D(2),
                                       L.Flatten(), L.Dense(10, activation="softmax")],
     5_258, 5_258),
    ("09 exercise", (32, 32, 3), lambda L: [L.Conv2D(6, 5)], 456, 456),
    ("10 valid", (20, 20, 3), _course_cnn("valid"), 473_890, 473_890),
    ("10 same", (20, 20, 3), _course_cnn("same"), 559_906, 559_906),
    ("10 exercise", (32, 32, 3), lambda L: [L.Conv2D(8, kernel_size=5),
                                            L.Conv2D(16, kernel_size=4, strides=2,
                                                     padding="same")], 2_672, 2_672),
    ("11 no pooling", (28, 28, 1), _digit_cnn(pool=False), 451_466, 451_466),
    ("11 pooling", (28, 28, 1), _digit_cnn(pool=True), 126_986, 126_986),
    ("11 model_pool", (20, 20, 3), lambda L: [
        L.Dense(16, activation="relu"),
        L.Conv2D(32, kernel_size=(3, 3), padding="same", activation="relu"),
        L.MaxPooling2D(pool_size=(2, 2), strides=2, padding="valid"),
        L.Conv2D(64, kernel_size=(5, 5), padding="same", activation="relu"),
        L.Flatten(), L.Dense(2, activation="softmax")], 68_770, 68_770),
    ("11 small_cnn", (20, 20, 3), lambda L: [L.Conv2D(2, kernel_size=3, padding="same"),
                                             L.Conv2D(3, kernel_size=3, padding="same"),
                                             L.Flatten(), L.Dense(2, activation="softmax")],
     2_515, 2_515),
    ("11 pooled_small", (20, 20, 3), lambda L: [
        L.Conv2D(2, kernel_size=3, padding="same"), L.MaxPooling2D(2),
        L.Conv2D(3, kernel_size=3, padding="same"), L.MaxPooling2D(2),
        L.Flatten(), L.Dense(2, activation="softmax")], 265, 265),
    ("12 drivers", (2,), lambda L: [L.Dense(16, activation="relu"),
                                    L.Dense(2, activation="softmax")], 82, 82),
    ("12 deep net", (784,), _deep_net, 73_226, 72_458),
    ("12 axis=1", (1, 5), _batch_norm_course(axis=1), 710, 708),
    ("12 axis=-1", (1, 5), _batch_norm_course(axis=-1), 834, 770),
    ("13 digits_cnn", (28, 28, 1), lambda L: [  # mlcore.pretrained.digits_cnn's stack
        L.Conv2D(8, 3, activation="relu"), L.MaxPooling2D(2), L.Conv2D(16, 3, activation="relu"),
        L.MaxPooling2D(2), L.Flatten(), L.Dense(32, activation="relu"),
        L.Dense(5, activation="softmax")], 14_245, 14_245),
]


@pytest.mark.parametrize("name, input_shape, make_layers, total, trainable", COURSE_MODELS,
                         ids=[m[0] for m in COURSE_MODELS])
def test_course_model_parameter_counts_match_keras(name, input_shape, make_layers, total,
                                                   trainable, keras):
    ours = Sequential([mlcore.Input(input_shape)] + make_layers(mlcore))
    theirs = keras.Sequential([keras.Input(input_shape)] + make_layers(keras.layers))
    keras_trainable = sum(int(np.prod(w.shape)) for w in theirs.trainable_weights)
    assert (theirs.count_params(), keras_trainable) == (total, trainable)
    assert (ours.count_params(), ours.count_trainable_params()) == (total, trainable)
    assert [layer.count_params() for layer in ours.layers] == \
        [layer.count_params() for layer in theirs.layers]


def test_the_pretrained_digits_cnn_is_the_stack_compared_above():
    ours = mlcore.pretrained.digits_cnn()
    assert [type(layer).__name__ for layer in ours.layers] == [
        "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense"]
    assert ours.count_params() == 14_245
