"""Exercises for chapter 04: reading curves, validation_split on sorted data, diagnose(), an
experiment with the small model; predictions for the remedies and the capacity explorer."""
import numpy as np

from .. import data
from ..backend import float_precision
from ..widgets.capacity import _default_data, capacity_curves, diagnose
from .prediction import Prediction
from .questions import Case, Choice, Function, Mistake, Multipart, Value

TITLE = "Data sets and generalization"

VERDICTS = ["over-fitting", "under-fitting", "good fit"]


def _validation_digits(split=0.1):
    """Digits in the part fit's validation_split takes: the last rows, before any shuffling."""
    _, labels = data.load_mnist()
    return sorted(set(labels[len(labels) - int(round(len(labels) * split)):].tolist()))


class _Digits(Value):
    """A set of digits, accepted in any order and as any sequence (list, tuple, set, array)."""

    def difference(self, expected, answer):
        if isinstance(answer, (list, tuple, set, np.ndarray)):
            answer = sorted(np.asarray(list(answer)).ravel().tolist())
        return super().difference(expected, answer)


def _diagnose_overfit_first(history):
    if history["accuracy"][-1] - history["val_accuracy"][-1] > 0.1:
        return "over-fitting"
    return diagnose(history)


def _diagnose_ignoring_val_loss(history):
    if history["accuracy"][-1] < 0.8:
        return "under-fitting"
    return "over-fitting" if history["accuracy"][-1] - history["val_accuracy"][-1] > 0.1 else "good fit"


def _history(train_acc, val_acc, val_loss):
    return {"accuracy": [0.5, train_acc], "val_accuracy": [0.5, val_acc],
            "loss": [1.0, 0.5], "val_loss": list(val_loss)}


def _verdict(title, prompt, answer, messages):
    return Choice(title, prompt, answer, VERDICTS,
                  mistakes=[Mistake(message, value=option) for option, message in messages.items()])


def questions():
    return [
        Multipart(
            "Read the curves",
            "Name each run 'over-fitting', 'under-fitting' or 'good fit'.\n"
            "(a) Training accuracy 0.99, validation accuracy 0.74, and the validation loss has "
            "risen for the last 10 epochs.\n"
            "(b) Training accuracy 0.41 and validation accuracy 0.40 after 50 epochs; both curves "
            "are flat.",
            {"a": _verdict("The big gap", "run (a)", "over-fitting", {
                "under-fitting": "under-fitting means the model cannot even fit its training data; "
                                 "0.99 on training says it can.",
                "good fit": "a gap of 25 points and a rising validation loss are the signs of "
                            "memorising the training set."}),
             "b": _verdict("Both poor", "run (b)", "under-fitting", {
                 "over-fitting": "no gap between the curves: the model is not memorising, it "
                                 "cannot fit even the training set.",
                 "good fit": "0.41 on its own training data is poor: the model is too small or "
                             "trained too little."})},
            hints=["Compare training with validation (the gap), then training with what is "
                   "possible (the level)."],
            solution="(a) over-fitting: excellent on training, much worse on validation, and the "
                     "validation loss turning up. (b) under-fitting: both curves low and flat, no gap.",
            solution_code="answers = ('over-fitting', 'under-fitting')",
            solution_name="answers",
            variants=[("overfitting", "underfitting"), ("Over fitting.", "Under-Fitting")],
        ),
        _Digits(
            "validation_split on a sorted file",
            "MNIST-5k is stored sorted by label (500 zeros first ... 500 nines last). You call "
            "fit(images, labels, validation_split=0.2, shuffle=True) without shuffling first. "
            "Which digits does the validation set hold? (A list of the digits.)",
            lambda: _validation_digits(0.2),
            mistakes=[Mistake("validation_split takes the LAST rows of the arrays, not the first.",
                              value=[0, 1]),
                      Mistake("that is the 10 % split of the chapter; 20 % of 5,000 rows is 1,000 rows.",
                              value=[9]),
                      Mistake("shuffle=True only mixes the training part between epochs; the split "
                              "is taken before, from the sorted file, so it holds only the last digits.",
                              when=lambda a: len(a) > 2, example=list(range(10)))],
            hints=["validation_split cuts the arrays before any shuffling.",
                   "The last 20 % of 5,000 rows are the last 1,000: how many digits of 500 each?"],
            solution="Eights and nines: the split takes the last 1,000 rows, and the sorted file ends "
                     "with 500 eights and 500 nines. The model never trains on an 8 or a 9.",
            solution_code="import mlcore\n_, labels = mlcore.data.load_mnist()\n"
                          "digits = sorted(set(labels[-1000:].tolist()))",
            solution_name="digits",
        ),
        Function(
            "Write diagnose(history)",
            "Write diagnose(history) with the chapter's rules of thumb. history holds lists "
            "'accuracy', 'val_accuracy', 'val_loss' per epoch. Return 'under-fitting' if the final "
            "training accuracy is below 0.8; otherwise 'over-fitting' if it beats the final "
            "validation accuracy by more than 0.1, or if the final validation loss is more than "
            "10 % above its minimum; otherwise 'good fit'.",
            "diagnose", diagnose,
            cases=[Case(_history(0.95, 0.93, [0.5, 0.3, 0.4])),
                   Case(_history(0.60, 0.30, [1.2, 1.1, 1.0])),
                   Case(_history(0.95, 0.92, [0.6, 0.4, 0.3])),
                   Case(_history(0.99, 0.70, [0.9, 0.8, 0.85]))],
            mistakes=[Mistake("a model below 0.8 on its own training data under-fits, whatever "
                              "the gap: test for under-fitting first.", value=_diagnose_overfit_first),
                      Mistake("a validation loss that rose more than 10 % above its best epoch "
                              "also means over-fitting.", value=_diagnose_ignoring_val_loss)],
            hints=["Three if-statements in the order the rules are stated.",
                   "min(history['val_loss']) is the best epoch's validation loss."],
            solution="Test the training level first, then the two signs of over-fitting.",
            solution_code="def diagnose(history):\n"
                          "    train, val = history['accuracy'][-1], history['val_accuracy'][-1]\n"
                          "    if train < 0.8:\n"
                          "        return 'under-fitting'\n"
                          "    if train - val > 0.1 or history['val_loss'][-1] > 1.1 * min(history['val_loss']):\n"
                          "        return 'over-fitting'\n"
                          "    return 'good fit'",
            solution_name="diagnose",
        ),
    ] + experiment_questions()


def epochs_to_fit(target=0.95, units=8, n_train=100, epochs=100, seed=0):
    """The first epoch (counting from 1) at which the explorer's small model reaches ``target``
    training accuracy, in float64 as the chapter trains it."""
    with float_precision("float64"):
        curves = capacity_curves(*_default_data(), units=units, n_train=n_train, epochs=epochs, seed=seed)
    return int(np.argmax(curves["accuracy"] >= target)) + 1


def experiment_questions():
    return [
        Value(
            "Run it: how long until the small model fits?",
            "Run an experiment. With the explorer's data (explorer.data), train "
            "capacity_curves(*explorer.data, units=8, n_train=100, epochs=100, seed=0) inside "
            "mlcore.float_precision('float64'). At which epoch (counting from 1) does the training "
            "accuracy first reach 0.95?",
            lambda: epochs_to_fit(),
            mistakes=[Mistake("epochs count from 1: add 1 to the array index.",
                              value=lambda: epochs_to_fit() - 1),
                      Mistake("20 is the explorer's number of epochs; the question asks when the "
                              "training accuracy first reaches 0.95 in a 100-epoch run.", value=20)],
            hints=["curves['accuracy'] holds one training accuracy per epoch.",
                   "np.argmax(curves['accuracy'] >= 0.95) is the index of the first True."],
            solution="Train for 100 epochs and find the first epoch at or above 0.95: well past the "
                     "explorer's 20 epochs, which is why 8 units looked too small there.",
            solution_code="import numpy as np\nimport mlcore\nfrom mlcore.widgets.capacity import CapacityExplorer, capacity_curves\n"
                          "data = CapacityExplorer().data     # the explorer's digits, as explorer.data in the chapter\n"
                          "with mlcore.float_precision('float64'):\n"
                          "    curves = capacity_curves(*data, units=8, n_train=100, epochs=100, seed=0)\n"
                          "epoch = int(np.argmax(curves['accuracy'] >= 0.95)) + 1",
            solution_name="epoch",
        ),
    ]


def predictions():
    return [
        Prediction(
            "Which remedy helps most",
            "The over-fitting model (256 units, 300 digits) gets three remedies: 1,500 real digits, "
            "300 digits plus 1,200 augmented copies, and dropout 0.7. Order them by their best "
            "validation loss, lowest (most helpful) first.",
            kind="ordering", options=["more real digits", "augmentation", "dropout"],
            explain="New handwriting carries the most new information, jittered copies of the same "
                    "300 strokes less, and dropout adds none: it only keeps the network from leaning "
                    "on a few nodes.",
        ),
        Prediction(
            "Smallest model that does not under-fit",
            "At 1,000 training digits and the explorer's 20 epochs, what is the smallest number of "
            "hidden units (1, 2, 4, 8 or 16) that the verdict no longer calls under-fitting?",
            kind="choice", options=[1, 2, 4, 8, 16],
            explain="Four nodes squeeze the 196 pixels too hard for ten classes within 20 epochs; "
                    "eight fit the 1,000 digits.",
        ),
        Prediction(
            "Does a smaller model help on 100 digits?",
            "On 100 digits, 128 hidden units over-fit. Trained for the same 400 updates (100 epochs) "
            "and compared at each run's best epoch, does the 8-unit model reach a higher or a lower "
            "validation accuracy than the 128-unit one?",
            kind="choice", options=["higher", "lower"],
            explain="Lower on every seed, though by much less than the explorer's 20 epochs suggest. "
                    "At epoch 20 the 8-unit model is under-trained; by epoch 100 it fits its 100 "
                    "digits too, and at its best epoch it still generalizes worse than 128 units.",
        ),
    ]
