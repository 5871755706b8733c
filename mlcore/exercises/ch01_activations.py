"""Exercises for chapter 01: odd activations, slopes, linear layers collapsing, a linear net on the circle."""
import numpy as np

from .. import activations
from ..layers import Dense
from ..model import Sequential
from .behaviours import latest
from .prediction import Prediction
from .questions import Behaviour, Case, Choice, Function, Mistake, Value

TITLE = "Activation functions"

NAMES = ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]


def _odd_activations():
    grid = np.linspace(-4, 4, 81)
    return {name for name in NAMES
            if np.allclose(activations.get(name)(-grid), -activations.get(name)(grid))}


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


CIRCLE_ACCURACY = 0.95


def _playground_state(answer):
    """The PlaygroundState behind a Playground (or the state itself), or None."""
    state = getattr(answer, "state", answer)
    return state if hasattr(getattr(state, "settings", None), "activation") else None


def _circle_net(activation, **settings):
    from ..widgets.playground import PlaygroundState  # the widgets load only when asked
    return PlaygroundState(dataset="circle", activation=activation, **settings)


def _separates_circle(answer):
    """None if a linear-activation Playground classifies >= 95 % of the circle's test points."""
    state = _playground_state(answer)
    if state is None:
        return f"expected a Playground or a PlaygroundState, got {type(answer).__name__}"
    if state.settings.dataset != "circle":
        return f"use the circle data set (dataset='circle'), not {state.settings.dataset!r}"
    accuracy = latest(state, "test_accuracy")
    if accuracy < CIRCLE_ACCURACY:
        return (f"its test accuracy is {accuracy:.1%} after {state.epoch:.0f} epochs; train it "
                f"(Play, or train_epoch()) until it reaches {CIRCLE_ACCURACY:.0%}")
    return None


def _only_plain_inputs(answer):
    state = _playground_state(answer)
    return state is not None and set(state.settings.features) <= {"x1", "x2"}


def _not_linear(answer):
    state = _playground_state(answer)
    return state is not None and state.settings.activation != "linear"


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
            solution_code="import mlcore\ngrid = np.linspace(-4, 4, 81)\n"
                          "odd = {name for name in ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu']\n"
                          "       if np.allclose(mlcore.activations.get(name)(-grid),\n"
                          "                      -mlcore.activations.get(name)(grid))}",
            solution_name="odd",
        ),
        Value(
            "The slope of sigmoid at z = 2",
            "What is the slope g'(z) of sigmoid at z = 2? Work it out from sigmoid'(z) = "
            "sigmoid(z) * (1 - sigmoid(z)), to three decimals.",
            lambda: float(activations.sigmoid.derivative(np.array(2.0))),
            atol=6e-4,                  # three decimals, from sigmoid(2) rounded to 0.881 or not
            mistakes=[Mistake("0.25 is the slope at z = 0, where sigmoid is steepest; at z = 2 the "
                              "curve is already flatter.", value=0.25),
                      Mistake("that is sigmoid(2), the value; the slope is sigmoid(z)(1 - sigmoid(z)).",
                              value=lambda: float(activations.sigmoid(np.array(2.0)))),
                      Mistake("that is 1 - sigmoid(2); multiply it by sigmoid(2) to get the slope.",
                              value=lambda: float(1 - activations.sigmoid(np.array(2.0)))),
                      Mistake("a slope of 1 belongs to relu (z > 0) and linear, not to sigmoid.",
                              value=1.0)],
            hints=["sigmoid(2) = 1 / (1 + e^-2) = 0.881.",
                   "sigmoid'(z) = sigmoid(z) * (1 - sigmoid(z))."],
            solution="sigmoid(2) = 1 / (1 + e^-2) = 0.881, so the slope is 0.881 * (1 - 0.881) = 0.105, "
                     "less than half of the 0.25 at z = 0: a node whose sum sits at 2 already learns "
                     "more slowly.",
            solution_code="slope = 0.881 * (1 - 0.881)",
            solution_name="slope",
            variants=[0.105, [0.105], 0.10499, 0.881 * (1 - 0.881)],
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
        Behaviour(
            "A linear network that encloses the circle",
            "Keep the hidden activation 'linear' and make a Playground (or PlaygroundState) that "
            f"classifies at least {CIRCLE_ACCURACY:.0%} of the circle's test points: change what "
            "the network is given, not how it computes. Train it, then pass it.",
            _separates_circle, expects="your trained Playground",
            mistakes=[Mistake("the hidden activation must stay 'linear': the point is to win "
                              "without a non-linear node.", when=_not_linear,
                              example=lambda: _circle_net("relu", hidden=(3,))),
                      Mistake("with only x₁ and x₂ as inputs, any stack of linear nodes draws a "
                              "straight boundary: give the network other inputs (features=...).",
                              when=_only_plain_inputs, example=lambda: _circle_net("linear", hidden=(4,)))],
            hints=["The disc is where x₁² + x₂² is small.",
                   "The Playground's inputs include x1sq and x2sq (x₁², x₂²)."],
            solution="Give it x₁² and x₂² as inputs: the boundary x₁² + x₂² = r² is a straight line "
                     "in those coordinates, which a linear network (even with no hidden layer) "
                     "draws easily. The non-linearity moved from the nodes into the inputs.",
            solution_code="from mlcore.widgets.playground import PlaygroundState\n"
                          "my_playground = PlaygroundState(dataset='circle', activation='linear',\n"
                          "                                hidden=(1,), features=('x1sq', 'x2sq'),\n"
                          "                                learning_rate=0.1)\n"
                          "for _ in range(20):\n"
                          "    my_playground.train_epoch()",
            solution_name="my_playground",
        ),
    ]


def predictions():
    return [
        Prediction(
            "The bias that saturates a sigmoid neuron",
            "A sigmoid neuron with inputs (1, 2), weights (0.8, -0.3): z = 0.2 + b. Dragging only the "
            "bias upwards, from which bias on (to one decimal) is the slope g'(z) below 0.01?",
            kind="number", tolerance=0.15, bounds=(-10, 10),
            explain="sigma'(z) = sigma(z)(1 - sigma(z)) is 0.25 at z = 0 and roughly e^-z far to the right; "
                    "it drops below 0.01 once z > 4.6, so at a bias of 4.4 (z = 0.2 + 4.4). Past that, a "
                    "training step barely moves the neuron: it has saturated.",
        ),
        Prediction(
            "Relu nodes needed to enclose the disc",
            "One hidden layer of relu nodes on the circle set, 60 epochs of SGD at learning rate 0.1: "
            "what is the fewest nodes that classify at least 95 % of the test points on every seed?",
            kind="choice", options=[1, 2, 3, 4, 5],
            explain=lambda n: f"{n:g}. Each relu node is 0 on one side of a straight line and grows on the "
                              "other, so the output can only bend along the nodes' lines. One or two lines "
                              "cannot close around a disc; three make a triangle that can.",
        ),
        Prediction(
            "Linear depth on XOR",
            "The xor set with one or with four hidden layers of 4 linear nodes, 50 epochs each. Does "
            "either reach 60 % test accuracy on average over three seeds?",
            kind="choice", options=["yes", "no"],
            explain="No. However many linear layers, the network is one straight line through the plane "
                    "(section 3). The best straight line on these points gets about 75 %, but cross-entropy "
                    "barely rewards it over answering 0.5 everywhere, so training does not find it.",
        ),
    ]
