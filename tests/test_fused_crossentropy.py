"""Cross-entropy after the model's own softmax or sigmoid, computed from the logits.

``fit``, ``evaluate`` and ``train_on_batch`` fuse the last activation with the
loss (``Loss.fused_with``): no clipping, and dC/dz = (p - y) / n, so a
confidently wrong output learns. Checked against the formula on a saturated
case, PyTorch's ``CrossEntropyLoss`` and ``BCEWithLogitsLoss`` in float64, and
finite differences.
"""
import numpy as np
import pytest

from mlcore import SGD, Activation, Conv2D, Dense, Flatten, Sequential, activations, losses
from mlcore.teaching.gradcheck import check_model


def _confidently_wrong(head, loss, logits, label):
    """A one-layer model whose output for any input has the given logits."""
    layers = [Dense(len(logits), input_shape=(2,), kernel_initializer="zeros",
                    activation=None if head == "separate softmax" else head)]
    if head == "separate softmax":
        layers.append(Activation("softmax"))
    model = Sequential(layers)
    model.layers[0].params["bias"][:] = logits
    model.compile(SGD(learning_rate=0.5), loss)
    return model, np.ones((1, 2)), np.asarray(label)


SATURATED = [  # (last activation, loss, logits, target, p - y)
    ("softmax", "sparse_categorical_crossentropy", [50, 0, 0], [2], [1, 0, -1]),
    ("softmax", "categorical_crossentropy", [50, 0, 0], [[0, 0, 1]], [1, 0, -1]),
    ("separate softmax", "sparse_categorical_crossentropy", [50, 0, 0], [2], [1, 0, -1]),
    ("sigmoid", "binary_crossentropy", [50], [[0]], [1]),
    ("sigmoid", "binary_crossentropy", [-50], [[1]], [-1]),
]


@pytest.mark.parametrize("head, loss, logits, target, expected", SATURATED)
def test_a_saturated_wrong_answer_gets_gradient_p_minus_y_and_moves(head, loss, logits, target,
                                                                    expected):
    """Clipped at 1e-7, this loss was 16.1 with gradient 0: the model never moved."""
    model, x, y = _confidently_wrong(head, loss, logits, target)
    assert model.evaluate(x, y) == pytest.approx(50, rel=1e-6)  # -log p = 50, not -log 1e-7
    logs = model.train_on_batch(x, y)
    assert logs["loss"] == pytest.approx(50, rel=1e-6)
    dense = model.layers[0]
    np.testing.assert_allclose(dense.grads["bias"], expected, atol=1e-7)
    np.testing.assert_allclose(model.layers[-1].grad_z[0], expected, atol=1e-7)
    np.testing.assert_allclose(dense.params["bias"], np.asarray(logits) - 0.5 * np.asarray(expected),
                               atol=1e-6)
    model.fit(np.repeat(x, 8, axis=0), np.repeat(y, 8, axis=0), epochs=60, verbose=0)
    assert model.evaluate(x, y) < 1  # it learned the right answer


def test_a_loss_called_on_probabilities_still_clips_as_keras_does():
    """Chapter 03's hand computations: -log(1e-7) = 16.1 for a probability of 0."""
    assert losses.categorical_crossentropy([[0, 0, 1]], [[1.0, 0, 0]]) == pytest.approx(
        -np.log(losses.EPSILON), rel=1e-6)
    assert losses.binary_crossentropy([[0.0]], [[1.0]]) == pytest.approx(-np.log(losses.EPSILON),
                                                                        rel=1e-4)
    assert not losses.categorical_crossentropy.gradient([[0, 0, 1]], [[1.0, 0, 0]]).any()


PAIRS = [  # (loss, activation, the fused twin's class or None)
    (losses.CategoricalCrossentropy(), activations.softmax, losses.CategoricalCrossentropy),
    (losses.SparseCategoricalCrossentropy(), activations.softmax,
     losses.SparseCategoricalCrossentropy),
    (losses.BinaryCrossentropy(), activations.sigmoid, losses.BinaryCrossentropy),
    (losses.BinaryCrossentropy(), activations.softmax, None),
    (losses.CategoricalCrossentropy(), activations.sigmoid, None),
    (losses.CategoricalCrossentropy(from_logits=True), activations.softmax, None),
    (losses.MeanSquaredError(), activations.softmax, None),
    (losses.BinaryCrossentropy(), activations.linear, None),
]


@pytest.mark.parametrize("loss, activation, twin", PAIRS)
def test_only_a_cross_entropy_after_its_own_activation_fuses(loss, activation, twin):
    fused = loss.fused_with(activation)
    if twin is None:
        assert fused is None
    else:
        assert type(fused) is twin and fused.from_logits and not loss.from_logits


def test_metrics_and_predictions_still_see_probabilities():
    model, x, y = _confidently_wrong("softmax", "categorical_crossentropy", [50, 0, 0],
                                     [[0, 0, 1]])
    model.compile(SGD(learning_rate=0.5), "categorical_crossentropy",
                  ["accuracy", "categorical_crossentropy"])
    loss, accuracy, clipped = model.evaluate(x, y)
    assert (loss, accuracy) == (pytest.approx(50, rel=1e-6), 0.0)
    assert clipped == pytest.approx(-np.log(losses.EPSILON), rel=1e-4)  # a metric: as Keras'
    np.testing.assert_allclose(model.predict(x).sum(axis=-1), 1, rtol=1e-6)


# -- PyTorch in float64 ---------------------------------------------------------------
def _twin_models(torch, activation, scale):
    """mlcore Dense(4) on 3 inputs, and the same affine map in torch; large weights saturate."""
    generator = np.random.default_rng(1)
    kernel, bias = generator.standard_normal((3, 4)) * scale, generator.standard_normal(4)
    model = Sequential([Dense(4, input_shape=(3,), activation=activation)])
    model.set_weights([kernel, bias])
    weights = [torch.tensor(w, requires_grad=True) for w in (kernel, bias)]
    return model, weights, generator.standard_normal((6, 3))


def _compare_with_torch(torch, model, weights, x, y, loss_name, torch_loss, torch_target):
    model.compile(SGD(learning_rate=0.1), loss_name)
    z = torch.tensor(x) @ weights[0] + weights[1]
    z.retain_grad()
    expected = torch_loss(z, torch_target)
    expected.backward()
    assert model.evaluate(x, y) == pytest.approx(expected.item(), rel=1e-12)
    assert model.train_on_batch(x, y)["loss"] == pytest.approx(expected.item(), rel=1e-12)
    dense = model.layers[0]
    np.testing.assert_allclose(dense.grad_z, z.grad.numpy(), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(dense.grads["kernel"], weights[0].grad.numpy(), rtol=1e-10,
                               atol=1e-15)
    np.testing.assert_allclose(dense.grads["bias"], weights[1].grad.numpy(), rtol=1e-10,
                               atol=1e-15)


@pytest.mark.parametrize("scale", [1, 40])
def test_softmax_with_class_labels_matches_torch_cross_entropy(torch, float64, scale):
    model, weights, x = _twin_models(torch, "softmax", scale)
    labels = np.array([0, 1, 2, 3, 3, 1])
    _compare_with_torch(torch, model, weights, x, labels, "sparse_categorical_crossentropy",
                        torch.nn.CrossEntropyLoss(), torch.tensor(labels))


@pytest.mark.parametrize("scale", [1, 40])
def test_softmax_with_probability_targets_matches_torch_cross_entropy(torch, float64, scale):
    """One-hot rows and soft targets (a distribution per sample), as CrossEntropyLoss takes them."""
    model, weights, x = _twin_models(torch, "softmax", scale)
    targets = np.random.default_rng(2).dirichlet(np.ones(4), 6)
    targets[:3] = np.eye(4)[[3, 0, 2]]
    _compare_with_torch(torch, model, weights, x, targets, "categorical_crossentropy",
                        torch.nn.CrossEntropyLoss(), torch.tensor(targets))


@pytest.mark.parametrize("scale", [1, 40])
def test_sigmoid_matches_torch_bce_with_logits(torch, float64, scale):
    model, weights, x = _twin_models(torch, "sigmoid", scale)
    bits = np.random.default_rng(3).integers(0, 2, (6, 4)).astype(float)
    _compare_with_torch(torch, model, weights, x, bits, "binary_crossentropy",
                        torch.nn.BCEWithLogitsLoss(), torch.tensor(bits))


def test_the_saturated_cases_above_are_saturated(float64):
    """With weights x40 some probabilities round to 0 or 1, where a clipped loss has no gradient."""
    for activation in ("softmax", "sigmoid"):
        model = Sequential([Dense(4, input_shape=(3,), activation=activation)])
        generator = np.random.default_rng(1)
        model.set_weights([generator.standard_normal((3, 4)) * 40, generator.standard_normal(4)])
        p = model.predict(generator.standard_normal((6, 3)))
        assert ((p < losses.EPSILON) | (p > 1 - losses.EPSILON)).any()


# -- finite differences -----------------------------------------------------------------
FUSED_MODELS = [
    ("dense softmax", (4,), lambda: [Dense(5, activation="tanh"), Dense(3, activation="softmax")],
     "sparse_categorical_crossentropy"),
    ("separate softmax", (4,), lambda: [Dense(3), Activation("softmax")],
     "categorical_crossentropy"),
    ("sigmoid", (4,), lambda: [Dense(5, activation="tanh"), Dense(2, activation="sigmoid")],
     "binary_crossentropy"),
    ("conv softmax", (5, 5, 1), lambda: [Conv2D(2, 3, activation="tanh"), Flatten(),
                                         Dense(3, activation="softmax")],
     "sparse_categorical_crossentropy"),
]


@pytest.mark.parametrize("name, input_shape, make_layers, loss", FUSED_MODELS,
                         ids=[m[0] for m in FUSED_MODELS])
def test_the_fused_gradient_matches_finite_differences(name, input_shape, make_layers, loss,
                                                       float64):
    """The last kernel scaled up until some probabilities are below 1e-7 or above 1 - 1e-7,
    where clipping would cut the gradient; tanh below, which has no kinks and no dead units."""
    generator = np.random.default_rng(4)
    model = Sequential(make_layers())
    model.build(input_shape)
    model.layers[-2 if name == "separate softmax" else -1].params["kernel"] *= 25
    model.compile(SGD(), loss)
    x = generator.standard_normal((5,) + input_shape)
    p = model.predict(x)
    assert ((p < losses.EPSILON) | (p > 1 - losses.EPSILON)).any()
    units = model.output_shape[-1]
    y = {"sparse_categorical_crossentropy": generator.integers(0, units, 5),
         "categorical_crossentropy": np.eye(units)[generator.integers(0, units, 5)],
         "binary_crossentropy": generator.integers(0, 2, (5, units)).astype(float)}[loss]
    errors = check_model(model, x, y)
    assert max(errors.values()) < 1e-6, errors
