"""Exercises for chapter 14: the first loss, the update/weight ratio, reading broken curves,
and over-fitting 20 examples on purpose."""
import numpy as np

from .. import data, losses
from ..layers import Conv2D, Dense, Flatten
from ..model import Sequential
from ..optimizers import SGD
from .questions import Behaviour, Case, Choice, Function, Mistake, Multipart, Value

TITLE = "Babysitting a network"

CAUSES = ["shuffled labels", "learning rate too large", "missing softmax", "healthy"]


def _twenty_digits():
    images, labels = data.load_mnist(normalize=True)
    rows = np.concatenate([np.flatnonzero(labels == digit)[:2] for digit in range(10)])
    return images[rows].reshape(len(rows), -1), labels[rows]


_X20, _Y20 = _twenty_digits()
DATA = {"x": _X20, "y": _Y20}


def _chance_loss(classes=10):
    """Cross-entropy of a network that gives every class the same probability."""
    labels = np.arange(classes)
    return losses.sparse_categorical_crossentropy(labels, np.full((classes, classes), 1 / classes))


def update_ratio(weights, gradient, learning_rate):
    """||update|| / ||weights|| for one plain SGD step taken by the engine's optimizer."""
    old = np.array(weights, dtype=float)
    new = old.copy()
    SGD(learning_rate=learning_rate).apply_gradients([(new, np.asarray(gradient, dtype=float))])
    return float(np.linalg.norm(new - old) / np.linalg.norm(old))


def train_accuracy(model):
    """Accuracy of ``model`` on the 20 digits of DATA."""
    return float(np.mean(model.predict(_X20).argmax(axis=1) == _Y20))


def overfits(model):
    """None if ``model`` classifies all 20 digits of DATA correctly, else what it reaches."""
    if not isinstance(model, Sequential):
        return f"expected an mlcore Sequential model, got {type(model).__name__}"
    accuracy = train_accuracy(model)
    if accuracy < 1:
        return (f"it gets {accuracy:.0%} of the 20 digits right; a healthy network reaches 100 % "
                f"on so few examples: train longer or with a larger learning rate")
    return None


def _cause(title, answer, messages):
    return Choice(title, title, answer, CAUSES,
                  mistakes=[Mistake(message, value=option) for option, message in messages.items()])


def _untrained():
    return Sequential([Dense(64, input_shape=(784,), activation="relu"), Dense(10, activation="softmax")])


def questions():
    rng = np.random.default_rng(14)
    return [
        Value(
            "The first loss",
            "A fresh classifier for 10 balanced classes, with softmax and cross-entropy, should "
            "start near which loss, before any training?",
            _chance_loss, rtol=0, atol=0.005,
            mistakes=[Mistake("cross-entropy uses the natural logarithm: -ln(1/10), not -log10.",
                              value=1.0),
                      Mistake("0.1 is the probability each class gets; the loss is minus its "
                              "logarithm.", value=0.1),
                      Mistake("a loss is never negative: it is MINUS the log of a probability "
                              "below 1.", value=lambda: -_chance_loss())],
            hints=["At the start every class gets about the same probability."],
            solution="Each class gets probability 1/10, so the loss is -ln(1/10) = ln 10 = 2.303. "
                     "A first loss far from it means a bug (or a very unlucky initialisation).",
            solution_code="first_loss = np.log(10)",
            solution_name="first_loss",
        ),
        Function(
            "Write update_ratio",
            "Write update_ratio(weights, gradient, learning_rate): the size of one SGD update "
            "relative to the weights, ||learning_rate * gradient|| / ||weights|| with the "
            "Euclidean norm (np.linalg.norm). Healthy training keeps it near 1e-3.",
            "update_ratio", update_ratio,
            cases=[Case(np.array([3.0, 4.0]), np.array([0.6, 0.8]), 0.01),
                   Case(rng.normal(size=(20, 10)), rng.normal(size=(20, 10)), 1e-3),
                   Case(np.array([[0.5, -0.5], [1.0, 2.0]]), np.array([[10.0, 0.0], [0.0, -5.0]]), 0.1)],
            rtol=1e-6,
            mistakes=[Mistake("the update is learning_rate * gradient: the learning rate is missing.",
                              value=lambda w, g, lr: np.linalg.norm(g) / np.linalg.norm(w)),
                      Mistake("that is the ratio upside down: the update's norm goes on top.",
                              value=lambda w, g, lr: np.linalg.norm(w) / np.linalg.norm(lr * g))],
            hints=["np.linalg.norm(a) is the square root of the sum of squares of all entries."],
            solution="Divide the norm of the step by the norm of the weights.",
            solution_code="def update_ratio(weights, gradient, learning_rate):\n"
                          "    return np.linalg.norm(learning_rate * gradient) / np.linalg.norm(weights)",
            solution_name="update_ratio",
        ),
        Multipart(
            "What broke?",
            "Each run below has one bug, or none. Answer 'shuffled labels', 'learning rate too "
            "large', 'missing softmax' or 'healthy' for each.\n"
            "(a) Training accuracy creeps up to 100 % over many epochs, while validation accuracy "
            "stays at 10 % from start to end.\n"
            "(b) The loss jumps from 2.3 to nan within the first epoch.\n"
            "(c) The outputs for one sample do not add up to 1, and the first loss is nowhere near "
            "ln 10.",
            {"a": _cause("run (a)", "shuffled labels", {
                "learning rate too large": "a too-large step would not fit the training set "
                                           "perfectly; this one memorises it.",
                "missing softmax": "the training set is fitted perfectly, so the output layer works; "
                                   "what cannot generalise is the labels.",
                "healthy": "10 % on validation is chance for 10 classes: nothing learned transfers."}),
             "b": _cause("run (b)", "learning rate too large", {
                 "shuffled labels": "random labels make learning slow, not explosive.",
                 "missing softmax": "a missing softmax shows at step 0 (the outputs are not "
                                    "probabilities), not as a blow-up after a start at 2.3.",
                 "healthy": "a loss of nan is never healthy: training diverged."}),
             "c": _cause("run (c)", "missing softmax", {
                 "shuffled labels": "labels do not change what the outputs add up to.",
                 "learning rate too large": "before the first step the learning rate has not "
                                            "acted yet.",
                 "healthy": "softmax outputs always add up to 1, and start near ln 10."})},
            hints=["Which bug shows before any training step? Which only on validation data?"],
            solution="(a) shuffled labels: the net memorises but nothing generalises. (b) learning "
                     "rate too large: the loss diverges. (c) missing softmax: the outputs are not "
                     "probabilities, so the first-loss check fails.",
            solution_code="answers = ('shuffled labels', 'learning rate too large', 'missing softmax')",
            solution_name="answers",
        ),
        Behaviour(
            "Over-fit 20 examples first",
            "Before a long run, check that your network can memorise a tiny set. ex.data['x'] "
            "holds 20 digits (2 of each, flattened to 784 values), ex.data['y'] their labels. "
            "Build and train a model until it classifies all 20 correctly, then pass it.",
            overfits, expects="your trained model",
            mistakes=[Mistake("ex.data['x'] holds the digits flattened to 784 values: build the "
                              "model with input_shape=(784,).",
                              when=lambda m: tuple(m.input_shape[1:]) != (784,),
                              example=lambda: Sequential([Conv2D(4, 3, input_shape=(28, 28, 1)),
                                                          Flatten(), Dense(10, activation="softmax")])),
                      Mistake("this model has not been trained yet: fit it on ex.data['x'], "
                              "ex.data['y'] first.", when=lambda m: getattr(m, "history", None) is None,
                              example=_untrained)],
            hints=["Dense(64, relu) -> Dense(10, softmax) is plenty.",
                   "Adam(learning_rate=0.01), full batch (batch_size=20), 50 epochs."],
            solution="A small dense network memorises 20 digits in a few dozen epochs. If it "
                     "cannot, something is broken before any tuning starts.",
            solution_code="from mlcore import Sequential, Dense, Adam\n"
                          "mlcore.set_seed(0)\n"
                          "model = Sequential([Dense(64, input_shape=(784,), activation='relu'),\n"
                          "                    Dense(10, activation='softmax')])\n"
                          "model.compile(Adam(learning_rate=0.01), loss='sparse_categorical_crossentropy')\n"
                          "model.fit(ex.data['x'], ex.data['y'], batch_size=20, epochs=50, verbose=0)",
            solution_name="model",
        ),
    ]
