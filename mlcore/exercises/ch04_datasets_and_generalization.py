"""Exercises for chapter 04: reading curves, validation_split on sorted data, diagnose()."""
from .. import data
from ..widgets.capacity import diagnose
from .questions import Case, Choice, Function, Mistake, Multipart, Value

TITLE = "Data sets and generalization"

VERDICTS = ["over-fitting", "under-fitting", "good fit"]


def _validation_digits(split=0.1):
    """Digits in the part fit's validation_split takes: the last rows, before any shuffling."""
    _, labels = data.load_mnist()
    return sorted(set(labels[len(labels) - int(round(len(labels) * split)):].tolist()))


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
        Value(
            "validation_split on a sorted file",
            "MNIST-5k is stored sorted by label (500 zeros first ... 500 nines last). You call "
            "fit(images, labels, validation_split=0.1, shuffle=True) without shuffling first. "
            "Which digit does the validation set hold? (Give the digit.)",
            lambda: _validation_digits()[0],
            mistakes=[Mistake("validation_split takes the LAST rows of the arrays, not the first.",
                              value=0),
                      Mistake("shuffle=True only mixes the training part between epochs; the split "
                              "is taken before, from the sorted file, so it holds a single digit.",
                              when=lambda a: len(a) > 1, example=list(range(10)))],
            hints=["validation_split cuts the arrays before any shuffling.",
                   "The last 10 % of 5,000 rows are the last 500."],
            solution="Only nines: the split takes the last 500 rows, and the sorted file ends with "
                     "the 500 nines. The model never trains on a 9. Shuffle once before fitting.",
            solution_code="import mlcore\n_, labels = mlcore.data.load_mnist()\n"
                          "digit = int(labels[-500:][0])",
            solution_name="digit",
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
    ]
