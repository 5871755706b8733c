"""Exercises for chapter 12: one normalised value, the moving mean, a batch-norm step, inference."""
import numpy as np

from ..backend import float_precision
from ..layers import BatchNormalization
from ..model import Sequential
from .prediction import Prediction
from .questions import Case, Choice, Function, Mistake, Value

TITLE = "Batch normalization"

BATCH = np.array([[2.0], [4.0], [6.0], [8.0]])
GAMMA, BETA, EPSILON = 2.0, 0.5, 1e-3


def batch_norm(x, gamma, beta, epsilon=1e-3):
    """The engine's BatchNormalization in training mode (batch statistics), in float64."""
    x = np.asarray(x, dtype=float)
    with float_precision("float64"):
        layer = BatchNormalization(epsilon=epsilon, input_shape=x.shape[1:])
        Sequential([layer])
        layer.params["gamma"][...] = gamma
        layer.params["beta"][...] = beta
        return layer.forward(x, training=True)


def _first_output(**changes):
    settings = dict(gamma=GAMMA, beta=BETA, epsilon=EPSILON) | changes
    return float(batch_norm(BATCH, **settings)[0, 0])


def _steps_to_within(target=5.0, fraction=0.01, momentum=0.99):
    """Training steps until a fresh layer's moving mean is within ``fraction`` of the batch mean."""
    layer = BatchNormalization(momentum=momentum, input_shape=(1,))
    Sequential([layer])
    constant, steps = np.full((8, 1), target), 0
    while layer.state["moving_mean"][0] < (1 - fraction) * target - 1e-6:
        layer.forward(constant, training=True)
        steps += 1
    return steps


def _bn_over_features(x, gamma, beta, epsilon=1e-3):
    mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    return gamma * (x - mean) / np.sqrt(var + epsilon) + beta


def _bn_sample_variance(x, gamma, beta, epsilon=1e-3):
    return gamma * (x - x.mean(0)) / np.sqrt(x.var(0, ddof=1) + epsilon) + beta


def questions():
    std = BATCH.std()
    return [
        Value(
            "One value through batch norm",
            f"A batch-norm node sees the batch [2, 4, 6, 8] while training, with gamma = {GAMMA:g}, "
            f"beta = {BETA:g} and epsilon = {EPSILON:g} (Keras' default). What does it output for "
            f"the first sample, 2? (Give at least 4 decimals.)",
            _first_output, rtol=1e-5,
            mistakes=[Mistake("gamma multiplies and beta is added, not the other way round.",
                              value=lambda: _first_output(gamma=BETA, beta=GAMMA)),
                      Mistake("batch norm uses the population variance (divide by m, np.var's "
                              "default), not the sample variance (m - 1).",
                              value=lambda: GAMMA * (2 - 5) / np.sqrt(BATCH.var(ddof=1) + EPSILON) + BETA),
                      Mistake("epsilon goes under the square root: sqrt(variance + epsilon).",
                              value=lambda: GAMMA * (2 - 5) / std + BETA),
                      Mistake("after normalising, scale by gamma and shift by beta.",
                              value=lambda: _first_output(gamma=1.0, beta=0.0))],
            hints=["Mean 5, variance ((-3)^2 + (-1)^2 + 1^2 + 3^2) / 4 = 5.",
                   "x_hat = (2 - 5) / sqrt(5 + 0.001); output = gamma * x_hat + beta."],
            solution="x_hat = (2 - 5) / sqrt(5.001) = -1.3415; 2 * x_hat + 0.5 = -2.183.",
            solution_code="x = np.array([2.0, 4.0, 6.0, 8.0])\n"
                          "x_hat = (x - x.mean()) / np.sqrt(x.var() + 1e-3)\n"
                          "out = 2.0 * x_hat[0] + 0.5",
            solution_name="out",
        ),
        Value(
            "How fast does the moving mean settle?",
            "A fresh BatchNormalization layer (moving mean 0, momentum=0.99) sees the same batch "
            "again and again; its batch mean is 5. After how many training steps is the moving "
            "mean within 1 % of 5 for the first time?",
            _steps_to_within,
            mistakes=[Mistake("after k steps the moving mean is 5(1 - 0.99^k); solve 0.99^k <= 0.01 "
                              "and round UP: k is a whole number of steps.",
                              value=lambda: _steps_to_within() - 1),
                      Mistake("1 / (1 - momentum) = 100 steps is only the time scale; after 100 "
                              "steps the moving mean has covered about 63 % of the way.", value=100)],
            hints=["Each step: moving = 0.99 * moving + 0.01 * 5.",
                   "After k steps: moving = 5 (1 - 0.99^k)."],
            solution="5 (1 - 0.99^k) >= 4.95 needs 0.99^k <= 0.01, k >= ln 0.01 / ln 0.99 = 458.2, "
                     "so 459 steps.",
            solution_code="import math\nsteps = math.ceil(math.log(0.01) / math.log(0.99))",
            solution_name="steps",
        ),
        Function(
            "Write a batch-norm step",
            "Write batch_norm(x, gamma, beta, epsilon) for a batch x of shape (N, features) in "
            "training mode: normalise each feature (column) with the batch's mean and variance, "
            "then scale by gamma and shift by beta (both of shape (features,)).",
            "batch_norm", batch_norm,
            cases=[Case(np.array([[1.0, 2.0], [3.0, 0.0], [5.0, 1.0]]), np.array([1.0, 2.0]),
                        np.array([0.0, -1.0]), 1e-3),
                   Case(np.array([[0.0, 0.01, 5.0], [0.02, 0.0, 7.0]]), np.ones(3), np.zeros(3), 1e-3),
                   Case(BATCH, np.array([GAMMA]), np.array([BETA]), 1e-5)],
            rtol=1e-6, atol=1e-8,
            mistakes=[Mistake("each feature is normalised over the BATCH (axis 0, down the "
                              "columns), not over the features of one sample.",
                              value=_bn_over_features),
                      Mistake("use the population variance (np.var's default, divide by N).",
                              value=_bn_sample_variance),
                      Mistake("epsilon goes under the square root: sqrt(variance + epsilon).",
                              value=lambda x, g, b, e=1e-3: g * (x - x.mean(0)) / (x.std(0) + e) + b)],
            hints=["mean = x.mean(axis=0), var = x.var(axis=0): one per feature.",
                   "Subtract the mean, divide by the square root of (variance + epsilon), then "
                   "scale by gamma and shift by beta."],
            solution="Statistics per feature over the batch axis, normalise, then scale and shift.",
            solution_code="def batch_norm(x, gamma, beta, epsilon=1e-3):\n"
                          "    x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + epsilon)\n"
                          "    return gamma * x_hat + beta",
            solution_name="batch_norm",
        ),
        Choice(
            "And at inference?",
            "When you call predict on a trained model, what does a BatchNormalization layer "
            "normalise with?",
            "the moving averages from training",
            ["the statistics of the current batch", "the moving averages from training",
             "nothing: it is switched off"],
            mistakes=[Mistake("then one sample's prediction would depend on the other samples in "
                              "its batch, and a batch of one could not be normalised.",
                              value="the statistics of the current batch"),
                      Mistake("the layer still normalises, scales by gamma and shifts by beta; "
                              "only the statistics it uses change.",
                              value="nothing: it is switched off")],
            hints=["What would happen to predict on a single sample with batch statistics?"],
            solution="The moving mean and variance collected while training (momentum 0.99), so "
                     "predictions are deterministic and independent of the batch.",
            solution_code="answer = 'the moving averages from training'",
            solution_name="answer",
            variants=["The moving averages from training.", "moving average from training"],
        ),
    ]


def predictions():
    return [
        Prediction(
            "The deep sigmoid network without batch norm",
            "Six hidden layers of 64 sigmoid nodes on the digits, no batch norm, SGD at 0.1 for 8 "
            "epochs. Where does its training loss end: 'near 2.3' (ln 10, no better than guessing), "
            "'between 0.5 and 2', or 'below 0.5'?",
            kind="choice", options=["near 2.3", "between 0.5 and 2", "below 0.5"],
            explain="Each sigmoid layer shrinks how much its outputs vary from image to image by "
                    "about 4, so after six layers the head sees nearly the same input for every "
                    "image and can only give every image the same probabilities.",
        ),
        Prediction(
            "How far the moving mean gets",
            "A moving mean starts at 0 and is updated 300 times with momentum 0.99 from batches "
            "whose true mean is mu. What share of mu does it reach, on average? A number between "
            "0 and 1, e.g. 0.5.",
            kind="number", tolerance=0.03, bounds=(0, 1), digits=2,
            explain="Each step keeps 0.99 of the distance still to go, so after k steps the share "
                    "left is 0.99**k, and the share reached is 1 - 0.99**300, about 0.95.",
        ),
    ]
