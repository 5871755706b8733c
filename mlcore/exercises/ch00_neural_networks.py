"""Exercises for chapter 00: parameters, one node with a bias, and a forward pass; and its predictions."""
import numpy as np

from ..layers import Dense
from ..model import Sequential
from .prediction import Prediction
from .questions import Case, Function, Mistake, Value

TITLE = "Neural networks"

INPUTS, WEIGHTS, BIAS = np.array([1.0, 3.0]), np.array([0.5, -0.2]), 0.3


def _animal_net():
    return Sequential([Dense(6, input_shape=(8,), activation="relu"),
                       Dense(6, activation="relu"),
                       Dense(4, activation="softmax")])


def _neuron_output(inputs=INPUTS, weights=WEIGHTS, bias=BIAS):
    neuron = Sequential([Dense(1, input_shape=(2,), activation="relu")])
    neuron.set_weights([np.asarray(weights, dtype=float).reshape(2, 1), np.array([bias])])
    return float(neuron.predict(np.asarray(inputs, dtype=float)[None, :])[0, 0])


def dense_relu(x, kernel, bias):
    """The engine's forward pass of Dense(relu) with the given weights."""
    layer = Dense(kernel.shape[1], input_shape=(kernel.shape[0],), activation="relu")
    model = Sequential([layer])
    layer.set_weights([kernel, bias])
    return model.predict(x)


def _dense_relu_transposed(x, kernel, bias):
    return np.maximum(x @ kernel.T + bias, 0)


def _dense_no_bias(x, kernel, bias):
    return np.maximum(x @ kernel, 0)


def _dense_no_relu(x, kernel, bias):
    return x @ kernel + bias


def questions():
    square = np.array([[0.5, -1.0], [2.0, 0.25]])
    return [
        Value(
            "Parameters of the 8-6-6-4 network",
            "How many learnable parameters does the 8-6-6-4 animal network of section 4 have "
            "(Dense layers 8 -> 6 -> 6 -> 4)?",
            lambda: _animal_net().count_params(),
            mistakes=[Mistake("those are the weights only: every node of a Dense layer also has a "
                              "bias.", value=8 * 6 + 6 * 6 + 6 * 4),
                      Mistake("the input layer has no biases: it only holds the sample.",
                              value=lambda: _animal_net().count_params() + 8),
                      Mistake("the output layer's weights and biases count too.",
                              value=8 * 6 + 6 + 6 * 6 + 6)],
            hints=["Per Dense layer: n_in * n_out weights plus n_out biases.",
                   "Add up three layers: 8 -> 6, 6 -> 6 and 6 -> 4."],
            solution="(8*6 + 6) + (6*6 + 6) + (6*4 + 4) = 54 + 42 + 28 = 124.",
            solution_code="n_params = (8 * 6 + 6) + (6 * 6 + 6) + (6 * 4 + 4)",
            solution_name="n_params",
        ),
        Value(
            "One relu node with a bias",
            "A relu node gets the inputs a1 = 1, a2 = 3 with weights w1 = 0.5, w2 = -0.2 and "
            "bias b = 0.3. What does it output?",
            _neuron_output,
            mistakes=[Mistake("that is what the node gives without its bias (the weighted sum "
                              "alone is negative). Add b before the activation.",
                              value=lambda: _neuron_output(bias=0.0)),
                      Mistake("each input is multiplied by its own weight: a1 with w1, a2 with w2.",
                              value=lambda: _neuron_output(weights=WEIGHTS[::-1])),
                      Mistake("the bias is added once per node, not once per input.",
                              value=lambda: _neuron_output(bias=2 * BIAS))],
            hints=["z = w1*a1 + w2*a2 + b, then a = relu(z) = max(z, 0)."],
            solution="z = 0.5*1 + (-0.2)*3 + 0.3 = 0.2, and relu(0.2) = 0.2. Without the bias the "
                     "sum would be -0.1 and the node would stay silent.",
            solution_code="a = max(0.5 * 1 + (-0.2) * 3 + 0.3, 0)",
            solution_name="a",
            variants=[[0.2], (0.2,), np.array([0.2]), 0.2000001],
        ),
        Function(
            "Write the forward pass of a Dense relu layer",
            "Write dense_relu(x, kernel, bias) for a batch x of shape (N, n_in), a kernel of shape "
            "(n_in, n_out) (so w_jk is kernel[k, j]) and a bias of shape (n_out,). It returns "
            "relu(z) with z_j = sum_k w_jk a_k + b_j for every sample: shape (N, n_out).",
            "dense_relu", dense_relu,
            cases=[Case(np.array([[1.0, 2.0]]), square, np.array([0.5, -1.0])),
                   Case(np.array([[0.8, -0.3], [1.0, 1.0], [-2.0, 0.5]]),
                        np.array([[0.2, -0.5, 1.0], [0.7, 0.1, -0.4]]), np.array([0.0, 0.1, -0.2])),
                   Case(np.array([[1.0, 2.0, 3.0, 4.0]]), np.arange(8.0).reshape(4, 2) - 3,
                        np.array([1.0, -1.0]))],
            mistakes=[Mistake("it matches x @ kernel.T: the kernel is (inputs, nodes), so "
                              "x @ kernel already sums over the inputs.", value=_dense_relu_transposed),
                      Mistake("the bias is missing: add it to x @ kernel before relu.",
                              value=_dense_no_bias),
                      Mistake("relu is missing: negative sums must become 0.", value=_dense_no_relu)],
            hints=["x @ kernel computes every weighted sum of every sample at once.",
                   "np.maximum(z, 0) is relu; the bias broadcasts over the rows."],
            solution="One matrix product gives all the weighted sums, the bias is added to each "
                     "row, and relu clips the negatives.",
            solution_code="def dense_relu(x, kernel, bias):\n"
                          "    return np.maximum(x @ kernel + bias, 0)",
            solution_name="dense_relu",
        ),
    ]


def predictions():
    return [
        Prediction(
            "Examples needed to beat the word list",
            "The classifier learns from 8, 16, 32, 64 or 128 labelled headlines, on five random "
            "splits. From which number on does it beat the word-count rule on every split "
            "(and at every larger number too)?",
            kind="choice", options=[8, 16, 32, 64, 128],
            explain=lambda size: f"From {size:g} on. At every size it gets all its own training headlines "
                                 "right, so it is not short of training but of examples: with fewer "
                                 "headlines some of the 24 wordings never turn up among them (the chapter "
                                 "counts them), and a word it never saw keeps the random weight it "
                                 "started with.",
        ),
        Prediction(
            "The smallest bias that switches the node on",
            "Inputs a1 = 1, a2 = 2, weights w1 = -0.55, w2 = 0.10. The bias slider moves in steps of "
            "0.05. What is the smallest bias on the slider that makes the node output more than 0?",
            kind="number", tolerance=0.001, bounds=(-5, 5),
            explain="The node fires when z = -0.55 + 0.20 + b > 0, that is b > 0.35. At b = 0.35 "
                    "exactly z = 0 and relu gives 0, so the first slider step that fires is 0.40.",
        ),
        Prediction(
            "The smallest w2 that switches the node on",
            "Same node, bias back at 0 and w1 = -0.55. What is the smallest w2 on the slider "
            "(steps of 0.05) that makes the node output more than 0?",
            kind="number", tolerance=0.001, bounds=(-5, 5),
            explain="Now z = -0.55 + 2*w2 > 0 needs w2 > 0.275: the input a2 = 2 doubles each step "
                    "of w2, so the first slider step above 0.275, 0.30, fires.",
        ),
    ]
