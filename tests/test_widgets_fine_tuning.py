"""Fine-tuning explorer: labeled subsets, new heads, freezing, the frozen-bottom shortcut, the view."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import mlcore
from mlcore import Adam, Conv2D, Dense, Flatten, MaxPooling2D, Sequential
from mlcore.widgets.fine_tuning import (FineTuningExplorer, digits_5to9, fine_tune,
                                        labeled_subset, with_new_head)

from helpers import leaves_engine_rng_alone


def tiny_cnn(num_classes=3):
    return Sequential([
        Conv2D(2, 3, activation="relu", input_shape=(8, 8, 1), name="conv"),
        MaxPooling2D(2, name="pool"),
        Flatten(name="flat"),
        Dense(6, activation="relu", name="hidden"),
        Dense(num_classes, activation="softmax", name="out"),
    ])


def tiny_data(n=60, classes=3, seed=0):
    """Images whose class is where a bright square sits: learnable, not trivial."""
    generator = np.random.default_rng(seed)
    y = np.arange(n) % classes
    x = generator.normal(0, 0.1, (n, 8, 8, 1))
    for i, c in enumerate(y):
        x[i, 2 * c:2 * c + 3, 2:5, 0] += 1.0
    return x.astype("float32"), y


@pytest.fixture
def pretrained():
    mlcore.set_seed(1)
    model = tiny_cnn()
    model.compile(Adam(learning_rate=0.01), loss="sparse_categorical_crossentropy")
    x, y = tiny_data()
    model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    return model


def test_labeled_subset_takes_per_class_examples_of_each_class():
    x, y = tiny_data(n=90)
    xs, ys = labeled_subset(x, y, 4, seed=3)
    assert np.bincount(ys).tolist() == [4, 4, 4]
    # every chosen image is a real sample with its own label
    rows = [np.flatnonzero((x == image).all(axis=(1, 2, 3)))[0] for image in xs]
    assert np.array_equal(y[rows], ys)
    assert len(set(rows)) == 12
    again, _ = labeled_subset(x, y, 4, seed=3)
    other, _ = labeled_subset(x, y, 4, seed=4)
    assert np.array_equal(again, xs) and not np.array_equal(other, xs)


def test_labeled_subset_leaves_the_engine_generator_alone():
    x, y = tiny_data()
    leaves_engine_rng_alone(lambda: labeled_subset(x, y, 2, seed=9))


@pytest.mark.parametrize("per_class", [0, 21, 2.5, True])
def test_labeled_subset_rejects_bad_counts(per_class):
    x, y = tiny_data()  # 20 per class
    with pytest.raises(ValueError, match="labeled_subset: per_class must be an int in \\[1, 20\\]"):
        labeled_subset(x, y, per_class)


def test_with_new_head_copies_the_base_and_replaces_the_last_layer(pretrained):
    before = pretrained.get_weights()
    model = with_new_head(pretrained, 5)
    assert [layer.name for layer in model.layers] == ["conv", "pool", "flat", "hidden", "new_head"]
    assert model.output_shape == (None, 5)
    assert model.layers[-1].params["kernel"].shape == (6, 5)
    for kept, original in zip(model.layers[:-1], pretrained.layers[:-1]):
        assert kept is not original
        for a, b in zip(kept.get_weights(), original.get_weights()):
            assert np.array_equal(a, b)
    model.compile(Adam(learning_rate=0.1), loss="sparse_categorical_crossentropy")
    x, y = tiny_data()
    model.fit(x, y, epochs=2, verbose=0)
    assert not np.array_equal(model.layers[0].params["kernel"], before[0])
    assert all(np.array_equal(a, b) for a, b in zip(pretrained.get_weights(), before))


def test_fine_tune_keeps_frozen_layers_and_counts_parameters(pretrained):
    x, y = tiny_data(seed=1)
    x_test, y_test = tiny_data(n=30, seed=2)
    mlcore.set_seed(0)
    model = with_new_head(pretrained, 3)
    conv_before = model.layers[0].get_weights()
    hidden_before = model.layers[3].get_weights()
    result = fine_tune(model, x, y, x_test, y_test, frozen=["conv"], steps=20)
    assert all(np.array_equal(a, b) for a, b in zip(model.layers[0].get_weights(), conv_before))
    assert not np.array_equal(model.layers[3].get_weights()[0], hidden_before[0])
    conv = 3 * 3 * 1 * 2 + 2
    assert result["non_trainable"] == conv
    assert result["trainable"] == model.count_params() - conv == (18 * 6 + 6) + (6 * 3 + 3)
    predicted = model.predict(x_test).argmax(axis=1)
    assert result["accuracy"] == pytest.approx(np.mean(predicted == y_test))
    for c in range(3):
        assert result["class_accuracy"][c] == pytest.approx(np.mean(predicted[y_test == c] == c))
    assert result["epochs"] == round(20 * 32 / 60) == len(result["loss"])


@pytest.mark.parametrize("frozen", [["conv"], ["conv", "hidden"]])
def test_frozen_bottom_shortcut_equals_training_the_whole_model(pretrained, frozen):
    """Training only the top on precomputed features = the engine training the full model."""
    x, y = tiny_data(seed=1)

    mlcore.set_seed(7)
    shortcut = with_new_head(pretrained, 3)
    fine_tune(shortcut, x, y, x, y, frozen=frozen, steps=30)

    mlcore.set_seed(7)
    full = with_new_head(pretrained, 3)
    for layer in full.layers:
        layer.trainable = layer.name not in frozen
    full.compile(Adam(learning_rate=0.01), loss="sparse_categorical_crossentropy")
    full.fit(x, y, batch_size=32, epochs=round(30 * 32 / 60), verbose=0)

    for a, b in zip(shortcut.get_weights(), full.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    assert not np.allclose(shortcut.layers[-1].params["kernel"],
                           with_new_head(pretrained, 3).layers[-1].params["kernel"])


def test_fine_tune_rejects_unknown_layer_names(pretrained):
    x, y = tiny_data()
    with pytest.raises(ValueError, match=r"fine_tune: no layer named \['convv'\]"):
        fine_tune(with_new_head(pretrained, 3), x, y, x, y, frozen=["convv"])


def test_pretrained_digits_transfer_to_new_digits():
    """The shipped 0-4 network's convolutions help on 5-9 from 20 labels per digit."""
    from mlcore.teaching.pretrained import load_digits_0to4

    (x_pool, y_pool), (x_test, y_test) = digits_5to9()
    assert x_pool.shape == (2000, 28, 28, 1) and x_test.shape == (500, 28, 28, 1)
    assert np.bincount(y_pool).tolist() == [400] * 5 and np.bincount(y_test).tolist() == [100] * 5
    x, y = labeled_subset(x_pool, y_pool, 20)
    with mlcore.backend.seeded(0):
        model = with_new_head(load_digits_0to4(), 5)
        # names carry a process-wide counter, so look them up rather than spell them
        convolutions = [layer.name for layer in model.layers if isinstance(layer, mlcore.Conv2D)]
        result = fine_tune(model, x, y, x_test, y_test, frozen=convolutions)
    assert result["accuracy"] > 0.8  # chance is 0.2


def test_view_retrains_on_slider_and_checkbox_changes(pretrained):
    x, y = tiny_data(n=90, seed=1)
    x_test, y_test = tiny_data(n=30, seed=2)
    view = FineTuningExplorer(pretrained=pretrained, examples_per_class=2,
                              data=((x, y), (x_test, y_test)), steps=10, max_examples=30)
    assert list(view.boxes) == ["conv", "hidden"]           # layers with weights, head excluded
    assert view.frozen() == ("conv",)                      # convolutions frozen by default
    first_png = view.image.value
    view.slider.value = 25
    assert (("conv", True), ("hidden", False), ("per_class", 25)) in view.cache
    assert view.image.value != first_png
    assert view.acc_title.get_text().endswith("(25 labeled per digit)")
    heights = [bar.get_height() for bar in view.bars]
    assert heights == pytest.approx(view.state["class_accuracy"].tolist())
    view.boxes["hidden"].value = True
    assert view.frozen() == ("conv", "hidden")
    assert "frozen: conv, hidden" in view.describe()
    result = view.state
    assert result["non_trainable"] == 20 + (18 * 6 + 6)
    assert view.loss_title.get_text().startswith(f"trainable {result['trainable']:,}")
    bundle = view._repr_mimebundle_()
    assert "image/png" in bundle
    assert bundle["text/plain"].startswith("25 labeled examples per digit, frozen: conv, hidden")


def test_training_the_pretrained_model_between_two_looks_retrains_the_copy(pretrained):
    x, y = tiny_data(n=90, seed=1)
    x_test, y_test = tiny_data(n=30, seed=2)
    view = FineTuningExplorer(pretrained=pretrained, examples_per_class=2,
                              data=((x, y), (x_test, y_test)), steps=10, max_examples=30)
    view.slider.value = 3
    view.slider.value = 2
    old_kernel = view.state["model"].get_layer("conv").params["kernel"].copy()
    pretrained.fit(*tiny_data(seed=3), epochs=2, batch_size=16, verbose=0)
    view.slider.value = 3
    view.slider.value = 2
    shown = view.state["model"].get_layer("conv").params["kernel"]  # frozen: the pretrained one
    np.testing.assert_array_equal(shown, pretrained.get_layer("conv").params["kernel"])
    assert not np.array_equal(shown, old_kernel)
