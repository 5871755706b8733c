"""Exercises for chapter 03: MSE and cross-entropy by hand, and writing mse and one_hot; three predictions."""
import numpy as np

from .. import data, losses
from .prediction import Prediction
from .questions import Case, Function, Mistake, Value

TITLE = "Loss functions"

OUTPUT = np.array([[0.1, 0.6, 0.2, 0.1]])      # cat, dog, lizard, llama
LIZARD = 2


def _lizard_row():
    return data.to_categorical([LIZARD], num_classes=4)


def mse(y_true, y_pred):
    """The engine's mean squared error over every entry."""
    return losses.mean_squared_error(np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float))


def one_hot(labels, num_classes):
    """The engine's to_categorical."""
    return data.to_categorical(labels, num_classes=num_classes)


def questions():
    return [
        Value(
            "MSE against a one-hot label",
            "A network for (cat, dog, lizard, llama) outputs [0.1, 0.6, 0.2, 0.1] for a photo of "
            "a lizard. What is its mean squared error against the one-hot label?",
            lambda: losses.mean_squared_error(_lizard_row(), OUTPUT),
            mistakes=[Mistake("that is the sum of the squared errors; MSE takes their mean.",
                              value=lambda: 4 * losses.mean_squared_error(_lizard_row(), OUTPUT)),
                      Mistake("positive and negative errors cancel: square each error before "
                              "averaging.", value=lambda: float(np.mean(OUTPUT - _lizard_row()))),
                      Mistake("that is the mean absolute error; MSE squares the errors.",
                              value=lambda: losses.mean_absolute_error(_lizard_row(), OUTPUT))],
            hints=["The lizard's one-hot row is [0, 0, 1, 0].",
                   "Errors: 0.1, 0.6, -0.8, 0.1. Square, add, divide by 4."],
            solution="(0.1² + 0.6² + 0.8² + 0.1²) / 4 = 1.02 / 4 = 0.255.",
            solution_code="label = np.array([0, 0, 1, 0])\n"
                          "lizard_mse = np.mean((np.array([0.1, 0.6, 0.2, 0.1]) - label) ** 2)",
            solution_name="lizard_mse",
        ),
        Value(
            "Cross-entropy for the same output",
            "What is the categorical cross-entropy of the same output against the lizard label?",
            lambda: losses.categorical_crossentropy(_lizard_row(), OUTPUT), rtol=1e-3,
            mistakes=[Mistake("cross-entropy uses the natural logarithm (np.log), not log10.",
                              value=-np.log10(0.2)),
                      Mistake("only the probability of the true class counts, here the lizard's, "
                              "not the largest output.", value=-np.log(0.6)),
                      Mistake("a loss is never negative: cross-entropy is MINUS the log of a "
                              "probability.", value=np.log(0.2))],
            hints=["Cross-entropy = -sum_j y_j log(p_j); with a one-hot y only one term is left."],
            solution="-log(0.2) = 1.609: only the lizard's probability enters.",
            solution_code="cross_entropy = -np.log(0.2)",
            solution_name="cross_entropy",
        ),
        Function(
            "Write mse",
            "Write mse(y_true, y_pred) for arrays of shape (samples, outputs): the mean over "
            "samples of each sample's mean squared error (one number).",
            "mse", mse,
            cases=[Case(np.array([[0.0, 0.0, 1.0, 0.0]]), OUTPUT),
                   Case(np.array([[1.0], [0.0], [2.0]]), np.array([[0.5], [0.5], [0.0]])),
                   Case(np.eye(3), np.full((3, 3), 0.3))],
            mistakes=[Mistake("that is the sum of squared errors; divide by the number of entries.",
                              value=lambda t, p: np.sum((p - t) ** 2)),
                      Mistake("that is the root of the MSE (RMSE); leave out the square root.",
                              value=lambda t, p: np.sqrt(np.mean((p - t) ** 2))),
                      Mistake("square each error before averaging, or positive and negative "
                              "errors cancel.", value=lambda t, p: np.mean(p - t))],
            hints=["With equal-length rows, the mean of the row means is the mean of all entries."],
            solution="Square the element-wise errors and average them all.",
            solution_code="def mse(y_true, y_pred):\n    return np.mean((y_pred - y_true) ** 2)",
            solution_name="mse",
        ),
        Function(
            "Write one_hot",
            "Write one_hot(labels, num_classes): class indices of shape (N,) -> rows of shape "
            "(N, num_classes) with a 1 in each label's column, like to_categorical.",
            "one_hot", one_hot,
            # The last case has more classes than its labels show: a one_hot that ignores
            # num_classes and sizes the rows by the largest label fails it.
            cases=[Case(np.array([2, 0, 3]), 4), Case(np.array([1]), 2), Case(np.array([0, 1, 1, 2, 0]), 3),
                   Case(np.array([0, 2, 1]), 5)],
            mistakes=[Mistake("the rows need num_classes columns, however large the largest label "
                              "in this batch is.", value=lambda y, k: np.eye(np.max(y) + 1)[y]),
                      Mistake("rows and columns are swapped: one row per sample, one column per "
                              "class.", value=lambda y, k: np.eye(k)[y].T),
                      Mistake("the ones are one column off: class 0 is column 0.",
                              value=lambda y, k: np.eye(k)[(y + 1) % k])],
            hints=["np.eye(num_classes) holds every one-hot row; pick rows with the labels.",
                   "Indexing an array with an array of whole numbers picks those rows in that order, "
                   "repeats included: np.eye(3)[[2, 0, 2]] has three rows."],
            solution="Row i of the identity matrix is the one-hot row of class i, so indexing it "
                     "with the labels gives every row at once.",
            solution_code="def one_hot(labels, num_classes):\n    return np.eye(num_classes)[labels]",
            solution_name="one_hot",
        ),
    ]


def predictions():
    return [
        Prediction(
            "Which loss learns from a confident mistake",
            "One sigmoid neuron, one dog photo (label 1), weights that start it at p('dog') = 0.0025. "
            "Thirty SGD steps at learning rate 1, once with mean squared error and once with "
            "cross-entropy. Which run ends with p('dog') above 0.5: 'mean squared error', "
            "'cross-entropy', 'both' or 'neither'?",
            kind="choice", options=["mean squared error", "cross-entropy", "both", "neither"],
            explain="Only cross-entropy: its slope with respect to the neuron's z is p - y, about -1 when the "
                    "model is this wrong. MSE's slope with respect to z is its slope 2(p - y) times the "
                    "sigmoid's slope p(1 - p), which is 0.0025 here: the weights barely move.",
        ),
        Prediction(
            "How much steeper is cross-entropy at p = 0.01",
            "Label 1, predicted p = 0.01. How many times steeper is cross-entropy's slope dC/dp than "
            "MSE's?",
            kind="number", tolerance=5, bounds=(0, None), digits=3,
            explain="Cross-entropy's slope is -1/p = -100, MSE's is 2(p - 1) = -1.98: about 50 times. "
                    "MSE's slope is steepest where the model is most wrong, yet it never exceeds 2.",
        ),
        Prediction(
            "MSE's slope after the sigmoid",
            "Still label 1 and p = 0.01, so the sigmoid's slope is p(1 - p) = 0.0099. MSE's dC/dp is -1.98. "
            "What is MSE's dC/dz, the slope the weights actually follow?",
            kind="number", tolerance=0.005, digits=3,
            explain="dC/dz = dC/dp * p(1 - p) = -1.98 * 0.0099 = -0.0196. Cross-entropy's -100 times the same "
                    "0.0099 is -0.99 = p - y. The sigmoid's slope shrinks both, but cross-entropy's 1/p "
                    "undoes the shrinking and MSE's bounded slope cannot.",
        ),
    ]
