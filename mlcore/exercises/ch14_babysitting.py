"""Exercises for chapter 14: which bug made which run, the first loss when the classes are not
balanced, and the update/weight ratio of Adam's first step; predictions on the first loss of unscaled pixels, the gap after a good run, dead relus
after a too-large rate, which rates train well, and batch norm left in training mode.

The chapter trains three broken networks and shows them as runs A, B and C in the order it takes
from ``DATA['hidden_order']``, so that its code does not name the bug behind each run; its section 7
reveals them after question 1 has been asked.
"""
import numpy as np

from .. import losses
from ..optimizers import Adam
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


def _first_loss(shares, guess=None):
    """Mean cross-entropy when class k holds ``shares[k]`` of the labels and the untrained network
    gives class k the probability ``guess[k]`` (the class shares themselves by default)."""
    shares = np.asarray(shares, dtype=float)
    guess = shares if guess is None else np.asarray(guess, dtype=float)
    return float(-(shares * np.log(guess)).sum())


# Exercise 2: 1,000 classes, one of them holding half the labels, the others sharing the rest
SHARES = np.r_[0.5, np.full(999, 0.5 / 999)]


def adam_first_ratio(weights, gradient, learning_rate):
    """||update|| / ||weights|| for the first step of the engine's Adam."""
    old = np.array(weights, dtype=float)
    new = old.copy()
    Adam(learning_rate=learning_rate).apply_gradients([(new, np.asarray(gradient, dtype=float))])
    return float(np.linalg.norm(new - old) / np.linalg.norm(old))


def _ratio_in_place(weights, gradient, learning_rate):
    """A right ratio, but after stepping the learner's weights in place."""
    before = weights.copy()
    weights -= learning_rate * np.sign(gradient)
    return float(np.linalg.norm(weights - before) / np.linalg.norm(before))


def _difference_of_norms(weights, gradient, learning_rate):
    """|(||W_after|| - ||W_before||)| / ||W_before||: the difference of the norms, not the norm of the difference."""
    after = weights - learning_rate * np.sign(gradient)
    return float(abs(np.linalg.norm(after) - np.linalg.norm(weights)) / np.linalg.norm(weights))


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
            solution_code="answers = ('learning rate x100', 'missing softmax', 'shuffled labels')  # check(*answers)",
            solution_name="answers",
            variants=[("Learning rate ×100", "missing softmax.", "shuffled labels"),
                      ("learning rate x 100", "missing-softmax", "shuffled label")],
        ),
        Value(
            "The first loss when one class holds half the labels",
            "1,000 classes; one class holds half of the training labels and the other 999 share "
            "the other half equally. The output layer's bias is set so that the untrained network "
            "predicts these shares for every image (0.5 for the big class, 0.5/999 for each of the "
            "others). Which mean loss should it show before its first training step?",
            lambda: _first_loss(SHARES), rtol=0, atol=0.01,
            mistakes=[Mistake("that is ln 1000, the loss of the even guess 1/1000 for every class; "
                              "this network gives each class its share of the labels instead.",
                              value=lambda: _first_loss(SHARES, np.full(1000, 1 / 1000))),
                      Mistake("cross-entropy uses the natural logarithm (ln), not log10.",
                              value=lambda: _first_loss(SHARES) / np.log(10)),
                      Mistake("cross-entropy uses the natural logarithm (ln), not log2 (bits).",
                              value=lambda: _first_loss(SHARES) / np.log(2)),
                      Mistake("that counts only the big class's images; the other half of the "
                              "images costs -ln(0.5/999) each.",
                              value=lambda: -0.5 * np.log(0.5)),
                      Mistake("a loss is never negative: it is MINUS the log of a probability "
                              "below 1.", value=lambda: -_first_loss(SHARES))],
            hints=["Half of the images cost -ln 0.5 each; the other half cost -ln(0.5/999) each. "
                   "The loss is their mean.",
                   "0.5 * ln 2 + 0.5 * ln(1998) is about 0.35 + 3.80."],
            solution="Half the images have probability 0.5 on their true class, the other half "
                     "0.5/999, so the mean loss is -0.5 ln 0.5 - 0.5 ln(0.5/999) = 4.146 (the "
                     "entropy of the class shares), well below ln 1000 = 6.908 of the even guess. "
                     "With unbalanced classes, that entropy is the first loss to expect once the "
                     "last bias is set to the shares, and ln K is only what an even guess starts from.",
            solution_code="first_loss = -0.5 * np.log(0.5) - 0.5 * np.log(0.5 / 999)",
            solution_name="first_loss",
        ),
        Function(
            "The update/weight ratio of Adam's first step",
            "Write adam_first_ratio(weights, gradient, learning_rate): the update/weight ratio r, "
            "||W_after - W_before|| / ||W_before|| with the Euclidean norm over all entries, of "
            "Adam's FIRST step for a layer whose kernel is weights and whose gradient is "
            "gradient (no entry of it 0). Do not change weights.",
            "adam_first_ratio", adam_first_ratio,
            cases=[Case(np.array([3.0, 4.0]), np.array([0.6, 0.8]), 0.01),
                   Case(rng.normal(size=(20, 10)), rng.normal(size=(20, 10)) + 0.5, 1e-3),
                   Case(np.array([[0.5, -0.5], [1.0, 2.0]]), np.array([[10.0, 0.2], [-0.3, -5.0]]), 0.1)],
            rtol=1e-3, keeps_arguments=True,
            mistakes=[Mistake("that is the ratio of a plain SGD step (learning_rate * gradient). At "
                              "Adam's first step the moving averages hold one gradient, so m / sqrt(v) "
                              "is +1 or -1: every weight moves by the learning rate, whatever the size "
                              "of its gradient.",
                              value=lambda w, g, lr: np.linalg.norm(lr * g) / np.linalg.norm(w)),
                      Mistake("that is the difference of the norms, | ||W_after|| - ||W_before|| |; r "
                              "needs the norm of the difference, ||W_after - W_before||. A step can "
                              "turn the weights without changing their norm.",
                              value=_difference_of_norms),
                      Mistake("the weights must not change: compute W_after in a new array, not with "
                              "-= on weights.", value=_ratio_in_place),
                      Mistake("the learning rate is missing: each weight moves by learning_rate "
                              "times the sign of its gradient.",
                              value=lambda w, g, lr: np.linalg.norm(np.sign(g)) / np.linalg.norm(w)),
                      Mistake("that is the ratio upside down: the step's norm goes on top.",
                              value=lambda w, g, lr: np.linalg.norm(w) / np.linalg.norm(lr * np.sign(g)))],
            hints=["At step 1, Adam's m is (1 - b1) g and v is (1 - b2) g^2; after the bias "
                   "correction m / sqrt(v) is g / |g| (epsilon aside).",
                   "So W_after - W_before = -learning_rate * np.sign(gradient); take its norm and "
                   "divide by np.linalg.norm(weights)."],
            solution="Adam's first step moves every weight by the learning rate (the sign of its "
                     "gradient says which way), so r = lr * sqrt(n) / ||W|| for n weights. For "
                     "layer 1 of the chapter (n = 12,544, ||W|| about 9.8) that is 0.046 at rate "
                     "0.004 and 4.6 at rate 0.4: the first steps of section 4.",
            solution_code="def adam_first_ratio(weights, gradient, learning_rate):\n"
                          "    step = learning_rate * np.sign(gradient)\n"
                          "    return np.linalg.norm(step) / np.linalg.norm(weights)",
            solution_name="adam_first_ratio",
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
            explain="Eight epochs on 4,000 images leave a 13,000-weight network far from having "
                    "memorised them: what it learns about digits carries over to new ones. Section 6 "
                    "shows what a gap of more than 10 points looks like; that run changes several "
                    "things at once (200 images, 256 units, 60 epochs), so it shows the shape, not "
                    "which change causes it.",
        ),
        Prediction(
            "Dead relus after a rate 100 times too large",
            "After two epochs at 100 times the chosen rate, what fraction of the 64 hidden relu "
            "units are dead, that is, output 0 for every one of the 1,000 validation images? "
            "(a number from 0 to 1)",
            kind="number", tolerance=0.1, bounds=(0, 1), digits=2,
            explain="The first steps are larger than the weights: they push most units' inputs "
                    "below 0 for every image. A relu at 0 passes no gradient back, so in this first "
                    "layer (its inputs, the pixels, never change) nothing brings them back.",
        ),
        Prediction(
            "Which rates train well",
            "Train the network of this chapter for 3 epochs at 0.0004, 0.004, 0.04 and 0.4 (a "
            "tenth of the chosen rate up to 100 times it). Which rates end within 0.1 of the "
            "lowest validation loss of the four? (e.g. [0.4] or '0.0004 and 0.004')",
            kind="choice", options=[(0.0004,), (0.004,), (0.04,), (0.4,), (0.0004, 0.004),
                                    (0.004, 0.04), (0.04, 0.4), (0.0004, 0.004, 0.04),
                                    (0.004, 0.04, 0.4), (0.0004, 0.004, 0.04, 0.4)],
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
