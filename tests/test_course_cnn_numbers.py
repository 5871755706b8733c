"""The course's convolution, padding and pooling numbers, from mlcore's own summaries."""
import numpy as np

from mlcore import Conv2D, Dense, Flatten, MaxPooling2D, Sequential, ops


def _summary(model):
    lines = []
    model.summary(print_fn=lines.append)
    return "\n".join(lines)


def _shapes(model):
    return [layer.output_shape for layer in model.layers]


def _padding_model(padding):
    return Sequential([
        Dense(16, input_shape=(20, 20, 3), activation="relu"),
        Conv2D(32, kernel_size=(3, 3), activation="relu", padding=padding),
        Conv2D(64, kernel_size=(5, 5), activation="relu", padding=padding),
        Conv2D(128, kernel_size=(7, 7), activation="relu", padding=padding),
        Flatten(),
        Dense(2, activation="softmax"),
    ])


def test_valid_padding_model():
    model = _padding_model("valid")
    assert _shapes(model) == [(20, 20, 16), (18, 18, 32), (14, 14, 64), (8, 8, 128), (8192,), (2,)]
    assert [layer.count_params() for layer in model.layers] == [64, 4640, 51264, 401536, 0, 16386]
    text = _summary(model)
    assert "Total params: 473,890" in text and "Trainable params: 473,890" in text
    assert "(None, 8, 8, 128)" in text


def test_same_padding_model():
    model = _padding_model("same")
    assert _shapes(model)[:4] == [(20, 20, 16), (20, 20, 32), (20, 20, 64), (20, 20, 128)]
    assert model.layers[-1].count_params() == 102402
    assert "Total params: 559,906" in _summary(model)


def test_max_pooling_model():
    model = Sequential([
        Dense(16, input_shape=(20, 20, 3), activation="relu"),
        Conv2D(32, kernel_size=(3, 3), activation="relu", padding="same"),
        MaxPooling2D(pool_size=(2, 2), strides=2, padding="valid"),
        Conv2D(64, kernel_size=(5, 5), activation="relu", padding="same"),
        Flatten(),
        Dense(2, activation="softmax"),
    ])
    assert _shapes(model) == [(20, 20, 16), (20, 20, 32), (10, 10, 32), (10, 10, 64), (6400,), (2,)]
    assert model.layers[2].count_params() == 0
    text = _summary(model)
    assert "Total params: 68,770" in text and "Non-trainable params: 0" in text


def test_cnn_learnable_parameters_example():
    """20x20x3 input, conv 2 filters 3x3, conv 3 filters 3x3 (zero padding), dense 2: 2515."""
    model = Sequential([Conv2D(2, 3, padding="same", input_shape=(20, 20, 3)),
                        Conv2D(3, 3, padding="same"), Flatten(), Dense(2)])
    counts = [layer.count_params() for layer in model.layers]
    assert counts == [56, 57, 0, 2402]
    # inputs * outputs + biases, the course's way of counting
    assert counts[0] == 3 * (2 * 3 * 3) + 2 and counts[1] == 2 * (3 * 3 * 3) + 3
    assert counts[3] == (20 * 20 * 3) * 2 + 2
    assert model.count_params() == 2515


def test_mnist_7_shrinks_then_pools():
    """A 28x28 image, a 3x3 filter: 26x26; a 2x2 max pool with stride 2: 13x13."""
    model = Sequential([Conv2D(1, 3, input_shape=(28, 28, 1)), MaxPooling2D(2, strides=2)])
    assert _shapes(model) == [(26, 26, 1), (13, 13, 1)]
    assert ops.conv_output_size(28, 3) == 26 and ops.conv_output_size(26, 2, 0, 2) == 13
    out = model.predict(np.random.default_rng(0).random((1, 28, 28, 1)))
    assert out.shape == (1, 13, 13, 1)


def test_padding_four_by_four():
    """3x3 filter on 4x4: 2x2 without padding; one border of zeros keeps 4x4."""
    x = np.ones((1, 4, 4, 1))
    kernel = np.ones((3, 3, 1, 1))
    assert ops.conv2d_forward(x, kernel, padding="valid").shape == (1, 2, 2, 1)
    same = ops.conv2d_forward(x, kernel, padding="same")
    assert same.shape == (1, 4, 4, 1)
    assert same[0, 0, 0, 0] == 4 and same[0, 1, 1, 0] == 9  # corner windows see 5 zeros
