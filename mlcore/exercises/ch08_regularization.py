"""Exercises for chapter 08: from lambda/(2m) to l2(...), an L2 penalty, inverted dropout;
predictions on over-fitting, early stopping, dropout on noisy digits and the lambda slider."""
import numpy as np

from ..layers import Dense
from ..model import Sequential
from ..regularizers import l2
from .prediction import Prediction
from .questions import Case, Function, Mistake, Value

TITLE = "Regularization"

LAMBDA, M = 2.0, 500
KERNEL = np.array([[1.0, -2.0], [0.5, 0.0]])


def _penalty(strength, kernel=KERNEL):
    """The engine's penalty of a Dense layer with l2(strength) and the given kernel."""
    layer = Dense(kernel.shape[1], input_shape=(kernel.shape[0],), kernel_regularizer=l2(strength))
    Sequential([layer])
    layer.set_weights([kernel, np.zeros(kernel.shape[1])])
    return layer.regularization_loss()


def _matching_strength():
    """The l2 strength whose penalty equals the textbook lambda/(2m) * sum w^2, read off the engine."""
    textbook = LAMBDA / (2 * M) * np.sum(KERNEL ** 2)
    return float(textbook / _penalty(1.0))


def dropout(a, keep, rate):
    """Inverted dropout, the rule of mlcore's Dropout layer while training: silence the
    dropped entries and scale the kept ones by 1 / (1 - rate)."""
    return np.where(keep, a / (1 - rate), 0.0)


def questions():
    keep = np.array([[True, False, True, True], [False, True, True, False]])
    return [
        Value(
            "From the textbook's lambda to l2(...)",
            f"A textbook writes the L2 term as lambda/(2m) * sum ||W||^2 with lambda = {LAMBDA:g} "
            f"and m = {M} training samples. Which strength s in mlcore's l2(s), which adds "
            f"s * sum w^2, gives exactly the same penalty?",
            _matching_strength, rtol=1e-5,
            mistakes=[Mistake("the textbook divides by 2m, not by m.", value=LAMBDA / M),
                      Mistake("lambda is divided by 2m in the textbook form; l2(lambda) would be "
                              f"{2 * M} times stronger.", value=LAMBDA),
                      Mistake("divide lambda by 2m, do not multiply.", value=LAMBDA * 2 * M)],
            hints=["Set s * sum w^2 = lambda / (2m) * sum w^2 and solve for s."],
            solution=f"s = lambda / (2m) = {LAMBDA:g} / {2 * M}.",
            solution_code=f"s = {LAMBDA} / (2 * {M})",
            solution_name="s",
        ),
        Value(
            "An L2 penalty by hand",
            "A Dense layer has the kernel [[1, -2], [0.5, 0]] and kernel_regularizer=l2(0.01). "
            "What penalty does it add to the loss?",
            lambda: _penalty(0.01), rtol=1e-5,
            mistakes=[Mistake("that uses the absolute values, which is L1; L2 squares each weight.",
                              value=0.01 * np.sum(np.abs(KERNEL))),
                      Mistake("square each weight, then add; not the square of the sum.",
                              value=0.01 * np.sum(KERNEL) ** 2),
                      Mistake("mlcore's l2(0.01) is 0.01 * sum w^2, with no 1/2 in front.",
                              value=0.005 * np.sum(KERNEL ** 2))],
            hints=["sum w^2 = 1 + 4 + 0.25 + 0."],
            solution="0.01 * (1 + 4 + 0.25 + 0) = 0.0525. Biases are not penalised.",
            solution_code="penalty = 0.01 * np.sum(np.array([[1, -2], [0.5, 0]]) ** 2)",
            solution_name="penalty",
        ),
        Function(
            "Write inverted dropout",
            "Write dropout(a, keep, rate) as a Dropout layer computes it while training: keep is "
            "a boolean array like a (True = kept); dropped entries become 0 and kept ones are "
            "scaled so that the expected output equals a.",
            "dropout", dropout,
            cases=[Case(np.ones((2, 4)), keep, 0.5),
                   Case(np.arange(8.0).reshape(2, 4), keep, 0.25),
                   Case(np.array([2.0, -1.0, 3.0]), np.array([True, True, False]), 0.1)],
            mistakes=[Mistake("the kept entries must be scaled by 1 / (1 - rate), or the layer's "
                              "output shrinks while training.", value=lambda a, k, r: a * k),
                      Mistake("scale by 1 / (1 - rate), the fraction KEPT, not by 1 / rate.",
                              value=lambda a, k, r: a * k / r),
                      Mistake("divide the kept entries by (1 - rate); multiplying shrinks them.",
                              value=lambda a, k, r: a * k * (1 - r))],
            hints=["A fraction 1 - rate of the entries survives on average.",
                   "np.where(condition, x, y) takes x where the condition is True and y elsewhere; "
                   "divide the kept entries by the fraction that survives."],
            solution="Kept entries are divided by the kept fraction 1 - rate, so the mean output "
                     "stays the same and predict can skip dropout altogether.",
            solution_code="def dropout(a, keep, rate):\n"
                          "    return np.where(keep, a / (1 - rate), 0.0)",
            solution_name="dropout",
        ),
    ]


def predictions():
    return [
        Prediction(
            "When the over-sized network is at its best",
            "The over-sized Playground network trains for 300 epochs on the noisy circle, seeds 0, 1 "
            "and 2. When is its test loss lowest?",
            kind="choice", options=["before epoch 100", "between epochs 100 and 200", "after epoch 200"],
            explain="Within the first tens of epochs the network learns the circle; after that the only way "
                    "to lower the training loss further is to bend around individual noisy points, and "
                    "every bend that fits a training point's noise costs test points on the other side.",
        ),
        Prediction(
            "Stopped early against L2",
            "Stop the plain network at the epoch its validation loss chose (early stopping). Compare its "
            "test loss with the L2 network's after all 300 epochs, on the same seed. Which is lower?",
            kind="choice", options=["plain, stopped early", "L2 after 300 epochs", "about equal"],
            explain="Stopping early is itself a regularizer: the weights have had no time to grow and "
                    "bend around the noise. The L2 penalty does the same job by keeping the weights "
                    "small all along, so after 300 epochs the L2 network is about where the stopped "
                    "plain one is: on the data loss alone, within 0.1 on every seed, lower on some "
                    "and higher on others. (Compared on evaluate's numbers, which include the penalty, "
                    "L2 would have looked worse.)",
        ),
        Prediction(
            "Stopped early on noisy digits",
            "Plain, l2(0.01) and dropout networks on 300 digits, 90 of them relabelled at random (about "
            "a quarter now wrong), each stopped at "
            "the epoch of its lowest validation loss. Which has the lowest test loss?",
            kind="choice", options=["plain", "l2(0.01)", "dropout"],
            explain="Dropout's noise keeps the network from fitting the wrong labels one by one, and it "
                    "does so at every epoch, so its best epoch comes later and lower. The L2 penalty "
                    "mostly slows the over-fitting down, which stopping early already does.",
        ),
        Prediction(
            "The first lambda that gives up a training point",
            "In the explorer, with dropout at 0, at which lambda does the network first fail to fit "
            "all 60 training points (training accuracy below 100 %)?",
            kind="choice", options=[1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1],
            explain="Fitting the noisiest points needs large weights and a boundary that bends sharply; "
                    "once the penalty on those weights costs more than the points' loss, the network "
                    "gives them up. Ten times more and it cannot follow the moons either.",
        ),
    ]
