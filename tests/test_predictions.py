"""Predictions (ex.p1.predict / ex.p1.reveal): the guess is noted before the experiment,
compared after it, cannot change once revealed, and nothing ever raises."""
import json

import numpy as np
import pytest

from mlcore import exercises
from mlcore.exercises import Prediction
from mlcore.exercises.feedback import CORRECT, INCORRECT, INFO
from mlcore.exercises.registry import ExerciseSet


@pytest.fixture(autouse=True)
def no_progress_file(monkeypatch):
    monkeypatch.delenv(exercises.ENV_VAR, raising=False)


def worked_example():
    """How a chapter module declares predictions: its ``predictions()`` returns these."""
    return [
        Prediction(
            "Which learning rate diverges first",
            "Which learning rate will diverge first: 0.3, 3 or 10?",
            kind="choice", options=[0.3, 3, 10],
            explain=lambda rate: f"at {rate:g} each step overshoots the valley's floor and lands "
                                 f"higher on the other side.",
        ),
        Prediction("Loss after 100 steps", "What loss will 100 steps of SGD reach?",
                   kind="number", tolerance=0.05,
                   explain="Each step shrinks the error by about the same factor."),
        Prediction("Activations by final loss",
                   "Order relu, tanh and sigmoid from the lowest final loss to the highest.",
                   kind="ordering", options=["relu", "tanh", "sigmoid"],
                   explain=lambda order: f"{order[0]} keeps its gradient where the others saturate."),
    ]


def chapter():
    return ExerciseSet("02_training", "Training", [], predictions=worked_example())


def test_predictions_are_bound_as_p1_p2_and_listed():
    ex = chapter()
    assert ex.p1.key == "p1" and ex.p3.chapter == "02_training"
    assert "p2  Loss after 100 steps" in repr(ex)
    text = repr(ex.p1)
    assert text.startswith("p1 · Which learning rate diverges first")
    assert "Which learning rate will diverge first: 0.3, 3 or 10?" in text
    assert "p1.predict(your_guess), with one of 0.3, 3, 10" in text
    with pytest.raises(AttributeError, match="has p1, p2, p3; there is no 'p4'"):
        ex.p4


def test_predict_then_reveal_a_choice(capsys):
    ex = chapter()
    ex.p1.predict(3)
    noted = capsys.readouterr().out
    assert noted == "Noted: your guess is 3. Now run the next cell to see what happens.\n"
    assert "is noted: now run the experiment" in repr(ex.p1)
    ex.p1.reveal(3.0)
    shown = capsys.readouterr().out
    assert shown.startswith("Your guess was right:\nYour guess: 3\nWhat happened: 3\n")
    assert "Why: at 3 each step overshoots" in shown


def test_a_wrong_guess_is_shown_beside_what_happened():
    ex = chapter()
    ex.p1.predict("10")                                   # an option typed as text counts
    feedback, measured = ex.p1.revealing(3)
    assert measured == 3 and feedback.outcome == INCORRECT
    assert feedback.text() == ("Not this time:\nYour guess: 10\nWhat happened: 3\n"
                               "Why: at 3 each step overshoots the valley's floor and lands "
                               "higher on the other side.")


def test_reveal_without_a_guess_still_shows_the_result(capsys):
    ex = chapter()
    ex.p1.reveal(10)
    out = capsys.readouterr().out
    assert out.startswith("No guess recorded:\nyou made no guess first. Next time call p1.predict(")
    assert "What happened: 10\nWhy: at 10" in out
    assert ex.p1.revealed and ex.p1.guess is None


def test_a_guess_cannot_change_after_the_reveal(capsys):
    ex = chapter()
    ex.p1.predict(0.3)
    ex.p1.predict(10)                                     # before the reveal: a change is fine
    assert ex.p1.guess == 10 and "(it was 0.3)" in capsys.readouterr().out
    ex.p1.reveal(3)
    capsys.readouterr()
    ex.p1.predict(3)
    assert ex.p1.guess == 10
    assert capsys.readouterr().out.startswith("Too late: p1 is revealed already; your guess 10 stays")
    unguessed = chapter().p1
    unguessed.reveal(3)
    unguessed.predict(3)
    assert unguessed.guess is None


@pytest.mark.parametrize("guess,words", [(5, "5 is not one of the options 0.3, 3, 10"),
                                         ("thirty", "thirty is not one of"),
                                         ([3, 10], "is not one of")])
def test_a_guess_that_is_not_an_option_is_not_noted(guess, words):
    p = chapter().p1
    feedback, value = p.noting(guess)
    assert value is None and words in feedback.message and feedback.label == "Not noted"
    p.predict(guess)
    assert p.guess is None


@pytest.mark.parametrize("blank", [None, ..., exercises.____])
def test_a_blank_guess_is_not_answered_yet(blank, capsys):
    p = chapter().p1
    p.predict(blank)
    assert p.guess is None
    assert capsys.readouterr().out.startswith("Not answered yet: replace the blank with your guess")


def test_a_guess_in_a_one_element_list_or_array_is_read_as_its_number():
    """[64] used to be refused as "64 is not one of the options ..., 64, ..."."""
    p = chapter().p1
    assert p.read([3]) == (3, None) and p.read(np.array([10.0])) == (10, None)
    assert chapter().p2.read([0.4]) == (0.4, None) and chapter().p2.read(np.array(0.4)) == (0.4, None)


def test_a_guess_exactly_at_the_tolerance_counts_right_despite_rounding():
    p = Prediction("p", "How much?", kind="number", tolerance=0.05, explain="because")
    p.predict(0.8)
    assert p.revealing(0.75)[0].outcome == CORRECT          # 0.8 - 0.75 = 0.05000000000000004
    p = Prediction("p", "How much?", kind="number", tolerance=0.01, explain="because")
    p.predict(1.49)
    assert p.revealing(1.5)[0].outcome == CORRECT
    p.predict(1.4899)
    assert p.revealing(1.5)[0].outcome == INCORRECT


def test_a_number_is_right_within_its_tolerance():
    p = chapter().p2
    p.predict(0.3)
    assert p.revealing(0.34)[0].outcome == CORRECT
    assert "(counted right within ±0.05)" in p.revealing(0.34)[0].message
    assert p.revealing(0.36)[0].outcome == INCORRECT
    assert p.revealing(np.float32(0.26))[0].outcome == CORRECT
    assert p.revealing(float("nan"))[0].outcome == INCORRECT         # a diverged run: shown, not raised
    assert "expected a number, got abc" in p.noting("abc")[0].message


def test_an_ordering_is_right_only_in_the_measured_order():
    p = chapter().p3
    p.predict(("relu", "Tanh", "sigmoid"))
    assert p.guess == ["relu", "tanh", "sigmoid"]
    assert p.revealing(["relu", "tanh", "sigmoid"])[0].outcome == CORRECT
    by_loss = {"sigmoid": 0.6, "relu": 0.1, "tanh": 0.3}                  # a dict orders by value
    feedback = p.revealing(by_loss)[0]
    assert feedback.outcome == CORRECT and "What happened: relu, tanh, sigmoid" in feedback.message
    assert "Why: relu keeps its gradient" in feedback.message
    assert p.revealing(["tanh", "relu", "sigmoid"])[0].outcome == INCORRECT
    descending = Prediction("d", "?", kind="ordering", options=["a", "b"], descending=True)
    descending.predict(["b", "a"])
    assert descending.revealing({"a": 1, "b": 2})[0].outcome == CORRECT


def test_an_exact_number_says_no_margin():
    p = Prediction("layers", "?", kind="number", tolerance=0)
    p.predict(13)
    message = p.revealing(13)[0].message
    assert p.revealing(13)[0].outcome == CORRECT and "within" not in message
    assert p.revealing(12)[0].outcome == INCORRECT


def test_an_integer_prediction_refuses_a_fraction_and_the_upper_bound_is_not_named():
    p = Prediction("columns", "?", kind="number", tolerance=0, bounds=(0, 3), integer=True)
    feedback, kept = p.noting(1.5)
    assert kept is None and "1.5 cannot be the result: it is a count, a whole number" in feedback.message
    feedback, kept = p.noting(4)
    assert kept is None and "3" not in feedback.message
    assert p.noting("2")[1] == 2 and p.noting(2.0)[1] == 2


@pytest.mark.parametrize("guess,words", [(-1, "-1 cannot be the result: it is at least 0"),
                                         (5, "5 cannot be the result: it is too large to be possible")])
def test_a_number_outside_its_bounds_is_not_noted(guess, words):
    p = Prediction("zeros", "?", kind="number", tolerance=0, bounds=(0, 4))
    feedback, value = p.noting(guess)
    assert value is None and words in feedback.message and feedback.label == "Not noted"
    assert p.noting(0)[1] == 0 and p.noting(4)[1] == 4
    assert Prediction("n", "?", kind="number", tolerance=0, bounds=(0, None)).noting(10 ** 6)[1] == 10 ** 6


@pytest.mark.parametrize("guess", [["relu", "tanh"], ["relu", "relu", "tanh"], "relu",
                                   ["relu", "tanh", "gelu"], 3])
def test_an_ordering_needs_every_option_once(guess):
    feedback, value = chapter().p3.noting(guess)
    assert value is None and feedback.label == "Not noted"


@pytest.mark.parametrize("which,measured", [(1, 7), (1, "fast"), (2, "abc"), (2, None),
                                            (3, ["relu"]), (3, {"relu": "low"}), (1, object())])
def test_reveal_never_raises_on_a_bad_measured_value(which, measured, capsys):
    p = getattr(chapter(), f"p{which}")
    p.predict({1: 3, 2: 0.3, 3: ["relu", "tanh", "sigmoid"]}[which])
    capsys.readouterr()
    p.reveal(measured)
    out = capsys.readouterr().out
    assert out.startswith("Cannot reveal: the experiment's result could not be compared")
    assert not p.revealed and "0x" not in out


def test_an_explanation_that_fails_does_not_stop_the_reveal():
    p = Prediction("x", "?", kind="number", tolerance=1, explain=lambda m: 1 / 0)
    feedback = p.revealing(2)[0]
    assert "the explanation could not be written: ZeroDivisionError" in feedback.message


@pytest.mark.parametrize("arguments,words", [
    (dict(kind="guess", options=[1]), "kind must be one of"),
    (dict(kind="choice"), "needs options"),
    (dict(kind="ordering", options=[]), "needs options"),
    (dict(kind="number"), "needs a tolerance"),
    (dict(kind="number", tolerance=-1), "needs a tolerance"),
    (dict(kind="choice", options=[1], bounds=(0, 1)), "only a number prediction takes bounds"),
    (dict(kind="choice", options=[1], integer=True), "only a number prediction takes bounds or integer"),
])
def test_a_badly_declared_prediction_is_refused(arguments, words):
    with pytest.raises(ValueError, match=words):
        Prediction("bad", "?", **arguments)


def test_the_progress_file_keeps_the_guess_and_the_result(tmp_path):
    progress = exercises.track(tmp_path / "progress.json")
    seen = []
    listener = exercises.on_event(seen.append)
    try:
        ex = chapter()
        ex.p1.predict(np.float64(3))
        ex.p1.reveal(10)
        ex.p3.predict(["relu", "tanh", "sigmoid"])
        ex.p2.reveal(0.3)
    finally:
        exercises.untrack(progress)
        exercises.remove_listener(listener)
    record = json.loads((tmp_path / "progress.json").read_text())["02_training"]
    assert record["p1"] == {"guess": 3.0, "measured": 10.0, "right": False}
    assert record["p3"] == {"guess": ["relu", "tanh", "sigmoid"], "measured": None, "right": None}
    assert record["p2"] == {"guess": None, "measured": 0.3, "right": None}
    assert [(e["question"], e["action"], e["outcome"]) for e in seen] == [
        ("p1", "predict", INFO), ("p1", "reveal", INCORRECT), ("p3", "predict", INFO),
        ("p2", "reveal", INFO)]


def test_a_chapter_without_predictions_has_none(monkeypatch):
    # Any chapter module without a predictions() function; chapter 00 stands in for one, since
    # every chapter gains predictions in its third edition.
    import mlcore.exercises.ch00_neural_networks as module
    monkeypatch.delattr(module, "predictions", raising=False)
    ex = exercises.load(0)
    assert ex.predictions == [] and "Predictions" not in repr(ex)


def test_verify_finds_a_prediction_that_cannot_explain():
    silent = Prediction("s", "?", kind="number", tolerance=1)
    broken = Prediction("b", "?", kind="choice", options=["a", "b"],
                        explain=lambda option: {"a": "because"}[option])
    ex = ExerciseSet("02_training", "Training", [], predictions=[silent, broken])
    assert ex.verify() == ["p1: needs an explanation (explain=)",
                           "p2: explaining b gives \"(the explanation could not be written: KeyError: 'b')\""]
    assert chapter().verify() == []


def test_a_choice_of_number_sets_takes_the_set_in_any_written_form(capsys):
    sizes = Prediction("Sizes", "Which window sizes give 3x3?", kind="choice",
                       options=[(2, 3), (3, 4), (4, 5), (3,)], explain="because")
    for guess in ([3, 4], (4, 3), "3, 4", "4 and 3", "(3, 4)", np.array([3, 4]), "[3,4]",
                  "three and four", "Four, three", "f=3 and f=4", "3x3 and 4x4"):   # small numbers in words count: "three" is 3
        assert sizes.read(guess) == ((3, 4), None), guess
    assert sizes.read("3 only") == ((3,), None) and sizes.read(3) == ((3,), None)
    for wrong in ([3, 4, 5], "3 or four", [], "f = 3", "3x4"):
        value, problem = sizes.read(wrong)
        assert value is None and ("is not one of the options '2 and 3', '3 and 4', '4 and 5', "
                                  "'3 only'") in problem, wrong
    sizes.predict()
    assert "your guess (one of '2 and 3', '3 and 4', '4 and 5', '3 only')" in capsys.readouterr().out
    sizes.predict([4, 3])
    assert "your guess is 3 and 4." in capsys.readouterr().out
    sizes.reveal((3, 4))
    assert "Your guess was right:\nYour guess: 3 and 4\nWhat happened: 3 and 4" in capsys.readouterr().out
    for option in sizes.options:   # every option, as displayed, is a guess that names it
        assert sizes.read(sizes.format(option)) == (option, None), option


def test_a_wrong_guess_that_matches_a_known_slip_names_it():
    columns = Prediction("Zeros", "How many zeros on the right?", kind="number", tolerance=0,
                         integer=True, explain="because",
                         mistakes={1: "that is the left side: the odd zero goes after the image.",
                                   2: "this slip is the answer when 2 happens"})
    columns.predict(1)
    feedback, _ = columns.revealing(2)
    assert feedback.outcome == INCORRECT and feedback.text() == (
        "Not this time:\nYour guess: 1\nLikely slip: that is the left side: the odd zero goes after "
        "the image.\nWhat happened: 2\nWhy: because")
    columns.guess = 3                                        # no slip known for 3: none named
    assert "Likely slip" not in columns.revealing(2)[0].text()
    columns.guess = 2                                        # right: no slip, even though 2 is listed
    assert columns.revealing(2)[0].outcome == CORRECT
    with pytest.raises(ValueError, match="mistakes are for number and choice"):
        Prediction("o", "?", kind="ordering", options=["a", "b"], mistakes={"a": "x"})


def test_a_changed_guess_is_shown_with_the_first_one(capsys):
    ex = chapter()
    ex.p1.predict(10)
    ex.p1.predict(3)
    assert "your guess is 3 (it was 10)" in capsys.readouterr().out
    feedback, _ = ex.p1.revealing(3)
    assert feedback.outcome == CORRECT
    assert "(Your first guess was 10: a guess changed after trying the experiment is a reading, " \
           "not a prediction.)\nWhat happened: 3" in feedback.text()
    steady = chapter().p1
    steady.predict(3)
    steady.predict(3)
    assert "first guess" not in steady.revealing(3)[0].text()
