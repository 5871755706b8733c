"""Exercises for chapter 14: which bug made which run, the first loss for many classes, and the
update/weight ratio of one SGD step; predictions on the first loss of unscaled pixels, the gap after a good run, dead relus
after a too-large rate, which rates train well, and batch norm left in training mode.

The chapter trains three broken networks and shows them as runs A, B and C in the order it takes
from ``DATA['hidden_order']``, so that its code does not name the bug behind each run; its section 7
reveals them after question 1 has been asked.
"""
import numpy as np

from .. import losses
from ..optimizers import SGD
from .prediction import Prediction
from .questions import Case, Choice, Function, Mistake, Multipart, Value

TITLE = "Babysitting a network"

BUGS = ("shuffled labels", "learning rate x100", "missing softmax")
RUNS = dict(zip("ABC", ("learning rate x100", "missing softmax", "shuffled labels")))
DATA = {"hidden_order": tuple(RUNS.values())}

# What gives each bug away; a wrong pick is told what its run does not show.
NOT_IT = {
    "shuffled labels": "with shuffled labels the first loss is ln 10 and the training loss creeps "
                       "down while validation accuracy stays at chance (0.1): is that this run?",
    "learning rate x100": "a too-large rate has not acted before the first step, so the first loss "
                          "is ln 10; then the loss leaps up and never comes back down to a good "
                          "loss: is that this run?",
    "missing softmax": "without softmax the outputs are not probabilities, so the loss is far "
                       "from ln 10 already at the first batch: is that this run?",
}


def _first_loss(classes):
    """Cross-entropy of an untrained network that gives every class the same probability."""
    labels = np.arange(classes)
    return float(losses.sparse_categorical_crossentropy(labels, np.full((classes, classes), 1 / classes)))


def update_ratio(weights, gradient, learning_rate):
    """||update|| / ||weights|| for one plain SGD step taken by the engine's optimizer."""
    old = np.array(weights, dtype=float)
    new = old.copy()
    SGD(learning_rate=learning_rate).apply_gradients([(new, np.asarray(gradient, dtype=float))])
    return float(np.linalg.norm(new - old) / np.linalg.norm(old))


def _ratio_in_place(weights, gradient, learning_rate):
    """The right ratio, but after stepping the learner's weights in place."""
    before = weights.copy()
    weights -= learning_rate * gradient
    return float(np.linalg.norm(weights - before) / np.linalg.norm(before))


def _run(name):
    bug = RUNS[name]
    return Choice(f"run {name}", f"the bug of run {name}", bug, BUGS,
                  mistakes=[Mistake(NOT_IT[other], value=other) for other in BUGS if other != bug])


def questions():
    rng = np.random.default_rng(14)
    return [
        Multipart(
            "Which bug made which run?",
            "Section 8 trains three networks, runs A, B and C, each with one bug: shuffled labels, "
            "a learning rate 100 times too large, or a missing softmax. Answer 'shuffled labels', "
            "'learning rate x100' or 'missing softmax' for each run, from its curves.",
            {name: _run(name) for name in "ABC"},
            hints=["Which bug shows before the first step has been taken? Look for the run whose "
                   "loss does not start at ln 10 (the dashed line).",
                   "Which run learns something on the training set that does not carry over to "
                   "the validation set?"],
            solution="A: learning rate x100 (starts at ln 10, leaps up within a few batches, then "
                     "hovers near ln 10 with a low accuracy). "
                     "B: missing softmax (far above ln 10 from the first batch). C: shuffled labels "
                     "(starts at ln 10, training accuracy climbs, validation stays at chance).",
            solution_code="answers = ('learning rate x100', 'missing softmax', 'shuffled labels')",
            solution_name="answers",
            variants=[("Learning rate ×100", "missing softmax.", "shuffled labels"),
                      ("learning rate x 100", "missing-softmax", "shuffled label")],
        ),
        Value(
            "The first loss for 1,000 classes",
            "An image classifier with a softmax over 1,000 classes and the cross-entropy loss: "
            "which loss should it show before its first training step?",
            lambda: _first_loss(1000), rtol=0, atol=0.005,
            mistakes=[Mistake("cross-entropy uses the natural logarithm (ln), not log10.",
                              value=3.0),
                      Mistake("that is the probability each class gets at the start; the loss is "
                              "minus its logarithm.", value=0.001),
                      Mistake("ln 10 is the first loss for 10 classes; here there are more.",
                              value=lambda: _first_loss(10)),
                      Mistake("a loss is never negative: it is MINUS the log of a probability "
                              "below 1.", value=lambda: -_first_loss(1000))],
            hints=["At the start every class gets about the same probability.",
                   "With K classes that probability is 1/K, and the loss is -ln(1/K)."],
            solution="Each class gets probability 1/1000, so the loss is -ln(1/1000) = ln 1000 = "
                     "6.908. A first loss far from it means a bug.",
            solution_code="first_loss_1000 = np.log(1000)",
            solution_name="first_loss_1000",
        ),
        Function(
            "Write update_ratio",
            "Write update_ratio(weights, gradient, learning_rate): the update/weight ratio r of one "
            "plain SGD step, ||W_after - W_before|| / ||W_before||, with the Euclidean norm over all "
            "entries (np.linalg.norm). Do not change weights.",
            "update_ratio", update_ratio,
            cases=[Case(np.array([3.0, 4.0]), np.array([0.6, 0.8]), 0.01),
                   Case(rng.normal(size=(20, 10)), rng.normal(size=(20, 10)), 1e-3),
                   Case(np.array([[0.5, -0.5], [1.0, 2.0]]), np.array([[10.0, 0.0], [0.0, -5.0]]), 0.1)],
            rtol=1e-6, keeps_arguments=True,
            mistakes=[Mistake("the weights must not change: compute W_after in a new array "
                              "(weights - learning_rate * gradient), not with -= on weights.",
                              value=_ratio_in_place),
                      Mistake("the SGD step is learning_rate * gradient: the learning rate is missing.",
                              value=lambda w, g, lr: np.linalg.norm(g) / np.linalg.norm(w)),
                      Mistake("that is the ratio upside down: the step's norm goes on top.",
                              value=lambda w, g, lr: np.linalg.norm(w) / np.linalg.norm(lr * g)),
                      Mistake("divide by the norm of the weights BEFORE the step, W_before.",
                              value=lambda w, g, lr: np.linalg.norm(lr * g) / np.linalg.norm(w - lr * g))],
            hints=["Plain SGD changes the weights by -learning_rate * gradient (chapter 2).",
                   "np.linalg.norm(a) is the square root of the sum of squares of all entries."],
            solution="The step of plain SGD is learning_rate * gradient, so r is its norm divided by "
                     "the norm of the weights.",
            solution_code="def update_ratio(weights, gradient, learning_rate):\n"
                          "    return np.linalg.norm(learning_rate * gradient) / np.linalg.norm(weights)",
            solution_name="update_ratio",
        ),
    ]


def predictions():
    return [
        Prediction(
            "The first loss on pixels 0-255",
            "Feed the same untrained network pixels that were never divided by 255. Its first "
            "loss will be 'about ln 10', 'a few times ln 10' or 'more than 10 times ln 10'?",
            kind="choice", options=["about ln 10", "a few times ln 10", "more than 10 times ln 10"],
            explain="Every score grows 255 times, so the scores are far apart and softmax puts "
                    "almost all the probability on one class, mostly a wrong one. The loss of a "
                    "wrong answer is its score gap, not capped by any clipping: dozens of times ln 10.",
        ),
        Prediction(
            "The gap after 8 epochs at the chosen rate",
            "Train at the rate read off the range test for 8 epochs on the 4,000 images. When "
            "training ends, is validation accuracy 'within a few points' of training accuracy, "
            "or 'more than 10 points behind'?",
            kind="choice", options=["within a few points", "more than 10 points behind"],
            explain="Eight epochs of a 13,000-weight network on 4,000 images is not long enough to "
                    "memorise them: what it learns about digits carries over to new ones. Section 6 "
                    "shows what a gap of more than 10 points looks like (200 images, 60 epochs).",
        ),
        Prediction(
            "Dead relus after a rate 100 times too large",
            "After two epochs at 100 times the chosen rate, what fraction of the 64 hidden relu "
            "units are dead, that is, output 0 for every one of the 1,000 validation images? "
            "(a number from 0 to 1)",
            kind="number", tolerance=0.1, bounds=(0, 1), digits=2,
            explain="The first steps are larger than the weights: they push most units' inputs "
                    "below 0 for every image. A relu at 0 passes no gradient back, so nothing "
                    "brings those units back, and the network learns with the few that are left.",
        ),
        Prediction(
            "Which rates train well",
            "Train the network of this chapter for 3 epochs at 0.0004, 0.004, 0.04 and 0.4 (a "
            "tenth of the chosen rate up to 100 times it). Which rates end within 0.1 of the "
            "lowest validation loss of the four? (e.g. [0.004] or '0.004 and 0.04')",
            kind="choice", options=[(0.004,), (0.004, 0.04), (0.0004, 0.004, 0.04),
                                    (0.004, 0.04, 0.4)],
            explain="A range of rates about ten times wide trains about equally well here; the rate "
                    "read off the range test sits at its safe end. Ten times lower crawls, 100 times "
                    "higher wrecks the network. The loss does not tell everything: look at the dead "
                    "units in the explorer's title.",
        ),
        Prediction(
            "Batch norm left in training mode, one image at a time",
            "A network with batch normalization classifies the validation images one at a time, "
            "but in training mode (each 'batch' of one image normalised by its own statistics). "
            "Its accuracy is 'about the same', 'a few points lower' or 'no better than chance' "
            "compared with inference mode?",
            kind="choice", options=["about the same", "a few points lower", "no better than chance"],
            explain="In a batch of one image every node's value is its own batch mean, so it is "
                    "normalised to exactly 0: the output no longer depends on the image, and every "
                    "image gets the same answer.",
        ),
    ]
