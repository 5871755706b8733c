"""Exercises for chapter 01: odd activations, slopes, relu, and linear layers collapsing."""
import numpy as np

from .. import activations
from ..layers import Dense
from ..model import Sequential
from .questions import Case, Choice, Function, Mistake, Value

TITLE = "Activation functions"

NAMES = ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]


def _odd_activations():
    grid = np.linspace(-4, 4, 81)
    return {name for name in NAMES
            if np.allclose(activations.get(name)(-grid), -activations.get(name)(grid))}


def relu(z):
    """The engine's relu."""
    return activations.relu(np.asarray(z, dtype=float))


def collapse(kernels, biases):
    """The single (kernel, bias) equal to a stack of linear Dense layers, read off the engine."""
    model = Sequential([Dense(k.shape[1], input_shape=(k.shape[0],)) if i == 0 else Dense(k.shape[1])
                        for i, k in enumerate(kernels)])
    model.set_weights([w for pair in zip(kernels, biases) for w in pair])
    n_in = kernels[0].shape[0]
    bias = model.predict(np.zeros((1, n_in)))[0]
    return model.predict(np.eye(n_in)) - bias, bias


def _collapse_bias_sum(kernels, biases):
    kernel = kernels[0]
    for k in kernels[1:]:
        kernel = kernel @ k
    return kernel, sum(biases)


def _collapse_reversed(kernels, biases):
    kernel, bias = collapse(kernels, biases)
    product = kernels[-1]
    for k in kernels[-2::-1]:
        product = product @ k
    return product, bias


def questions():
    rng = np.random.default_rng(1)
    square = [rng.normal(size=(2, 2)) for _ in range(3)]
    wide = [rng.normal(size=(3, 2)), rng.normal(size=(2, 4)), rng.normal(size=(4, 1))]
    return [
        Choice(
            "Which activations are odd?",
            "A function is odd when g(-a) = -g(a) for every a. Which of these are odd? Give a "
            "set of names, e.g. {'name_1', 'name_2'}.",
            _odd_activations(), NAMES,
            mistakes=[Mistake("relu is not odd: relu(-2) = 0 but -relu(2) = -2.",
                              when=lambda a: "relu" in set(a), example={"linear", "tanh", "relu"}),
                      Mistake("sigmoid(0) = 0.5: an odd function must pass through 0.",
                              when=lambda a: "sigmoid" in set(a), example={"linear", "tanh", "sigmoid"}),
                      Mistake("leaky relu keeps a small slope for negative z, but it is not the "
                              "same slope as for positive z, so it is not odd.",
                              when=lambda a: "leaky_relu" in set(a), example={"linear", "tanh", "leaky_relu"})],
            hints=["Try a = 2 in each: compare g(-2) with -g(2).",
                   "A function that is odd must give g(0) = 0 (take a = 0)."],
            solution="Only linear and tanh. Sigmoid is centred on 0.5, relu and leaky relu treat "
                     "negative inputs differently from positive ones. Odd is not the same as "
                     "linear: tanh is odd but not linear.",
            solution_code="grid = np.linspace(-4, 4, 81)\n"
                          "odd = {name for name in ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu']\n"
                          "       if np.allclose(mlcore.activations.get(name)(-grid),\n"
                          "                      -mlcore.activations.get(name)(grid))}",
            solution_name="odd",
        ),
        Value(
            "The steepest slope of sigmoid",
            "What is the slope g'(z) of sigmoid at z = 0, where it is steepest?",
            lambda: float(activations.sigmoid.derivative(np.array(0.0))),
            mistakes=[Mistake("0.5 is sigmoid(0), the value; the slope is sigmoid(z)(1 - sigmoid(z)).",
                              value=0.5),
                      Mistake("a slope of 1 belongs to relu (z > 0) and linear, not to sigmoid.",
                              value=1.0)],
            hints=["sigmoid'(z) = sigmoid(z) * (1 - sigmoid(z))."],
            solution="sigmoid(0) = 0.5, so the slope is 0.5 * (1 - 0.5) = 0.25. It is the largest "
                     "slope sigmoid ever has, which is why deep sigmoid networks shrink gradients.",
            solution_code="slope = 0.5 * (1 - 0.5)",
            solution_name="slope",
        ),
        Function(
            "Write relu",
            "Write relu(z) for a NumPy array z of any shape: z where z > 0, else 0.",
            "relu", relu,
            cases=[Case(np.array([-2.0, 0.0, 3.0])), Case(np.array([[1.5, -0.5], [-3.0, 4.0]])),
                   Case(np.linspace(-1, 1, 7))],
            mistakes=[Mistake("that is abs(z): negative inputs must give 0, not their size.",
                              value=np.abs),
                      Mistake("that keeps the negative part; relu keeps the positive part.",
                              value=lambda z: np.minimum(z, 0)),
                      Mistake("that is leaky relu: plain relu gives exactly 0 for z < 0.",
                              value=lambda z: np.where(z > 0, z, 0.2 * z))],
            hints=["np.maximum compares element by element."],
            solution="np.maximum(z, 0) keeps positive entries and replaces the rest by 0.",
            solution_code="def relu(z):\n    return np.maximum(z, 0)",
            solution_name="relu",
        ),
        Function(
            "Collapse a stack of linear layers",
            "Write collapse(kernels, biases): for Dense layers without activation, with kernels "
            "W1, W2, ... (each (n_in, n_out)) and biases b1, b2, ..., return the (kernel, bias) of "
            "the ONE Dense layer that computes the same function.",
            "collapse", collapse,
            cases=[Case(square, [np.array([0.5, -1.0]), np.array([1.0, 2.0]), np.array([0.0, 0.3])]),
                   Case(wide, [np.array([0.1, 0.2]), np.array([1.0, -1.0, 0.5, 0.0]), np.array([2.0])])],
            rtol=1e-4, atol=1e-5,
            mistakes=[Mistake("the biases are not simply added: each earlier bias also passes "
                              "through the kernels after it.", value=_collapse_bias_sum),
                      Mistake("the kernels are multiplied in the wrong order: data meets W1 "
                              "first, so the product is W1 @ W2 @ W3.", value=_collapse_reversed)],
            hints=["Write x @ W1 + b1 into the next layer: (x @ W1 + b1) @ W2 + b2 = "
                   "x @ (W1 @ W2) + (b1 @ W2 + b2).",
                   "Loop over the layers, keeping a running kernel and a running bias."],
            solution="Substituting one layer into the next gives kernel W1 @ W2 @ ... and bias "
                     "(b1 @ W2 + b2) @ W3 + b3 ...: still one affine map.",
            solution_code="def collapse(kernels, biases):\n"
                          "    kernel, bias = kernels[0], biases[0]\n"
                          "    for k, b in zip(kernels[1:], biases[1:]):\n"
                          "        kernel, bias = kernel @ k, bias @ k + b\n"
                          "    return kernel, bias",
            solution_name="collapse",
        ),
    ]
