"""mlcore.exercises: every reference and shown solution passes, typical mistakes get
their own message, blanks say "not answered yet", and the checks never raise."""
import json

import numpy as np
import pytest

import mlcore
from mlcore import exercises
from mlcore.exercises import (ANSWER, Array, Behaviour, Case, Choice, Function, Mistake, Multipart,
                              Thought, Value, registry as selftest)
from mlcore.exercises.answers import compare_array, compare_number
from mlcore.exercises.feedback import CORRECT, ERROR, INCORRECT, UNANSWERED

ALL = [(chapter, number) for chapter in exercises.CHAPTERS
       for number in range(1, len(exercises.load(chapter)) + 1)]
IDS = [f"{chapter[:2]}-q{number}" for chapter, number in ALL]


@pytest.fixture(autouse=True)
def no_progress_file(monkeypatch):
    """No test writes to the learner's home: the env var is unset unless a test sets it."""
    monkeypatch.delenv(exercises.ENV_VAR, raising=False)


def question(chapter, number):
    ex = exercises.load(chapter)
    return ex, getattr(ex, f"q{number}")


# --- every chapter, every question ---------------------------------------------------------

@pytest.mark.parametrize("chapter", exercises.CHAPTERS)
def test_every_chapter_has_two_to_four_exercises(chapter):
    ex = exercises.load(chapter)
    assert 2 <= len(ex) <= 4
    assert repr(ex).startswith(f"Exercises for chapter {chapter[:2]}")
    assert all(f"q{n}" in repr(ex) for n in range(1, len(ex) + 1))


@pytest.mark.parametrize("chapter", exercises.CHAPTERS)
def test_every_chapter_ends_with_a_function_or_behaviour_to_write(chapter):
    kinds = [q.kind for q in exercises.load(chapter)]
    assert "function" in kinds or "behaviour" in kinds


@pytest.mark.parametrize("chapter,number", ALL, ids=IDS)
def test_shown_solution_code_passes(chapter, number):
    assert selftest.solution_problems(*question(chapter, number)) == []


@pytest.mark.parametrize("chapter,number", ALL, ids=IDS)
def test_reference_passes(chapter, number):
    assert selftest.reference_problems(question(chapter, number)[1]) == []


@pytest.mark.parametrize("chapter,number", ALL, ids=IDS)
def test_typical_mistakes_get_their_own_message(chapter, number):
    assert selftest.mistake_problems(question(chapter, number)[1]) == []


@pytest.mark.parametrize("chapter,number", ALL, ids=IDS)
def test_wrong_answer_messages_do_not_give_the_answer_away(chapter, number):
    _, q = question(chapter, number)
    for leaf in selftest.leaves(q):
        if not isinstance(leaf, Value) or isinstance(leaf, Array):
            continue
        reference = leaf.answer
        numbers = reference if isinstance(reference, tuple) else (reference,)
        secrets = [str(n) for n in numbers if isinstance(n, (int, np.integer)) and abs(n) >= 100]
        for mistake in leaf.mistakes:
            text = leaf.assess(mistake.example_answer(leaf)).text()
            assert not any(secret in text for secret in secrets), (leaf.key, text)


@pytest.mark.parametrize("chapter,number", ALL, ids=IDS)
def test_a_number_rounded_to_four_significant_digits_passes(chapter, number):
    _, q = question(chapter, number)
    for leaf in selftest.leaves(q):
        if type(leaf) is Value and isinstance(leaf.answer, float):
            rounded = float(f"{leaf.answer:.4g}")
            assert leaf.assess(rounded).outcome == CORRECT, (leaf.key, rounded)


@pytest.mark.parametrize("chapter,number", ALL, ids=IDS)
@pytest.mark.parametrize("blank", [None, ..., ANSWER, exercises.____])
def test_blank_answers_say_not_answered_yet(chapter, number, blank, capsys):
    _, q = question(chapter, number)
    blanks = (blank,) * len(q.parts) if isinstance(q, Multipart) else (blank,)
    assert q.assess(*blanks).outcome == UNANSWERED
    q.check(*blanks)
    assert "Not answered yet" in capsys.readouterr().out
    assert q.attempts == 0


# --- the check API ---------------------------------------------------------------------------

def relu_question():
    return Function("relu", "write relu", "relu", mlcore.activations.relu,
                    cases=[Case(np.array([-2.0, 0.0, 3.0])), Case(np.array([[1.5, -0.5]]))],
                    mistakes=[Mistake("that is abs(z)", value=np.abs),
                              Mistake("negative inputs give 0, not the input",
                                      value=lambda z: np.minimum(z, 0))])


def test_function_that_raises_is_reported_with_its_test_case():
    q = relu_question()

    def relu(z):
        return z.maximum(0)
    feedback = q.assess(relu)
    assert feedback.outcome == ERROR
    assert "test 1 of 2, relu([-2.,  0.,  3.])" in feedback.message and "AttributeError" in feedback.message
    assert "z.maximum(0)" in feedback.message            # the learner's failing line
    assert q.test_case(1)[0].tolist() == [-2.0, 0.0, 3.0]


def test_function_returning_none_and_empty_function_and_non_function():
    q = relu_question()

    def forgot_return(z):
        np.maximum(z, 0)

    def stub(z):
        pass
    assert "returned None" in q.assess(forgot_return).message
    assert q.assess(stub).outcome == UNANSWERED
    assert "Expected a function" in q.assess(np.maximum(np.array([1.0]), 0)).message


def test_check_without_argument_finds_the_function_in_the_notebook_namespace():
    q = relu_question()
    q.key = "q1"
    notebook = {"q": q}
    exec("q.check()", notebook)                              # relu not defined yet
    assert q.attempts == 0
    exec("import numpy as np\ndef relu(z):\n    return np.maximum(z, 0)\nq.check()", notebook)
    assert q.attempts == 1 and q.assess(notebook["relu"]).outcome == CORRECT


def test_blank_function_message_names_the_function(capsys):
    q = relu_question()
    q.key = "q1"
    exec("q.check()", {"q": q})
    assert "Not answered yet: define relu(...)" in capsys.readouterr().out


def test_function_mistakes_and_generic_differences():
    q = relu_question()
    assert q.assess(np.abs).message.endswith("That is abs(z).")
    assert "wrong sign" in q.assess(lambda z: -np.maximum(z, 0)).message
    assert q.assess(lambda z: np.maximum(z, 0)).outcome == CORRECT


def test_a_function_may_not_change_the_test_cases():
    q = relu_question()

    def relu(z):
        z[z < 0] = 0                                      # in place: still correct
        return z
    assert q.assess(relu).outcome == CORRECT
    assert q.cases[0].args[0].tolist() == [-2.0, 0.0, 3.0]


def test_check_prints_plain_text_and_never_raises(capsys):
    q = relu_question()
    q.key = "q1"
    q.check(lambda z: 1 / 0)
    q.check(lambda z: np.maximum(z, 0))
    out = capsys.readouterr().out
    assert "ZeroDivisionError" in out and "Correct" in out and "0x" not in out
    assert q.attempts == 2


def test_hint_texts(capsys):
    q = Value("v", "how much?", 3.0, hints=["one", "two"], solution="three")
    q.key = "q1"
    q.hint()
    first = capsys.readouterr().out
    q.hint(2)
    second = capsys.readouterr().out
    q.hint(3)
    third = capsys.readouterr().out
    assert "Hint 1 of 2" in first and "q1.hint(2)" in first
    assert "Hint 2 of 2" in second and "another hint" not in second
    assert "hints 1 to 2" in third


def test_solution_before_any_attempt_needs_a_second_request(capsys):
    q = Value("v", "how much?", 3.0, solution="It is three.", solution_code="a = 3.0",
              solution_name="a")
    q.key = "q1"
    q.solution()
    first = capsys.readouterr().out
    q.solution()
    second = capsys.readouterr().out
    assert "three" not in first.lower() and "again" in first
    assert "It is three." in second and "    a = 3.0" in second


def test_solution_after_an_attempt_is_shown_at_once(capsys):
    q = Value("v", "how much?", 3.0, solution="It is three.")
    q.key = "q1"
    q.check(2.0)
    q.solution()
    assert "It is three." in capsys.readouterr().out


def test_check_messages_never_show_the_reference(capsys):
    q = Value("v", "how much?", 12345, mistakes=[Mistake("weights only", value=12000),
                                                  Mistake("one too many", value=12346)])
    for wrong in (12000, 12346, 1, 99999.5, "12345", True, np.arange(3)):
        q.check(wrong)
    assert "12345" not in capsys.readouterr().out.replace("'12345'", "")


def test_choice_single_and_multiple():
    one = Choice("pad", "which?", "same", ["valid", "same"],
                 mistakes=[Mistake("valid shrinks", value="valid"),
                           Mistake("unused", when=lambda a: False, example="valid")])
    assert one.assess("  'SAME' ").outcome == CORRECT
    assert one.assess("valid").message == "Valid shrinks."
    assert "not one of the options" in one.assess("full").message
    many = Choice("odd", "which are odd?", {"tanh", "linear"}, ["linear", "tanh", "relu"])
    assert many.assess(["linear", "tanh"]).outcome == CORRECT
    wrong = many.assess({"tanh", "relu"}).message
    assert "'relu' should not be in your set" in wrong and "1 option(s) are missing" in wrong
    assert "Expected a set" in many.assess("tanh").message
    with pytest.raises(ValueError, match="not among the options"):
        Choice("bad", "?", "full", ["valid", "same"])


def test_multipart_checks_each_part():
    q = Multipart("two", "a and b", {"a": Value("a", "a", 1), "b": Value("b", "b", (2, 3))})
    assert q.assess(1, (2, 3)).outcome == CORRECT
    partial = q.assess(1, (2, 4))
    assert partial.outcome == INCORRECT and "(a) Correct" in partial.message
    assert "Value 2 of 2" in partial.message
    assert "give 2 answers" in q.assess(1).message
    assert q.a.assess(1).outcome == CORRECT
    assert not q.attempted()
    q.a.check(2)
    assert q.attempted()                                    # so q.solution() is shown at once
    with pytest.raises(AttributeError, match="has parts"):
        q.c


def test_partly_blank_tuples():
    q = Value("pair", "two numbers", (1, 2))
    assert q.assess((ANSWER, None)).outcome == UNANSWERED
    partial = q.assess((1, ANSWER))
    assert partial.outcome == INCORRECT and "Value 2 of 2: expected a whole number, got a blank" \
        in partial.message


def test_thought_question_counts_any_written_answer():
    q = Thought("why", "why pool?", solution="Fewer numbers downstream.")
    assert q.assess("less work").outcome == CORRECT
    assert "Fewer numbers" in q.assess("less work").message
    assert q.assess(3).outcome == INCORRECT


class PlaygroundState:
    """Stand-in for a live widget's state: per-epoch lists in a history dict."""

    def __init__(self, test_loss, epoch):
        self.epoch = epoch
        self.history = {"epoch": [epoch], "test_loss": [1.0, test_loss]}


class Playground:
    """Stand-in for a widget that keeps its state apart."""

    def __init__(self, test_loss, epoch):
        self.state = PlaygroundState(test_loss, epoch)


def test_behaviour_check_on_a_widget_state():
    q = Behaviour("reach", "reach a low test loss", exercises.value_below("test_loss", 0.1),
                  expects="your Playground",
                  mistakes=[Mistake("press Play first: epoch 0", when=lambda pg: pg.state.epoch == 0,
                                    example=lambda: Playground(0.5, 0))])
    assert q.assess(Playground(0.05, 120)).outcome == CORRECT
    assert q.assess(Playground(0.5, 0)).message == "Press Play first: epoch 0."
    assert q.assess(Playground(0.3, 40)).message == "Its test_loss is 0.3; get it below 0.1."
    assert "diverged" in q.assess(Playground(float("nan"), 40)).message
    assert "Expected something that records a test_loss" in q.assess(object()).message
    broken = Behaviour("broken", "?", lambda model: model.missing_method())
    assert broken.assess(object()).outcome == ERROR        # a check that fails never raises


def test_latest_reads_attributes_histories_and_states():
    class WithAttribute:
        test_loss = 0.2

        def accuracy(self):
            return 0.9
    model = mlcore.Sequential([mlcore.Dense(2, input_shape=(1,), activation="softmax")])
    model.compile(mlcore.SGD(learning_rate=0.1), loss="sparse_categorical_crossentropy")
    model.fit(np.zeros((4, 1)), np.array([0, 1, 0, 1]), epochs=2, verbose=0)
    assert exercises.latest(WithAttribute(), "test_loss") == 0.2
    assert exercises.latest(WithAttribute(), "accuracy") == 0.9
    assert exercises.latest(model, "loss") == model.history.history["loss"][-1]
    assert exercises.latest(Playground(0.3, 4), "test_loss") == 0.3
    assert exercises.latest(Playground(0.3, 4), "val_loss") is None


def test_loss_falls_trains_the_model_and_reports_the_fall():
    x, y = np.linspace(0, 1, 40).reshape(-1, 1), (np.linspace(0, 1, 40) > 0.5).astype(int)

    def model(learning_rate):
        mlcore.set_seed(0)
        m = mlcore.Sequential([mlcore.Dense(8, input_shape=(1,), activation="relu"),
                               mlcore.Dense(2, activation="softmax")])
        m.compile(mlcore.SGD(learning_rate=learning_rate), loss="sparse_categorical_crossentropy")
        return m
    test = exercises.loss_falls(x, y, steps=30, fall=0.2)
    assert test(model(1.0)) is None
    slow = test(model(1e-4))
    assert slow.startswith("the loss went from") and "it should fall by at least 20%" in slow
    assert "compile the model first" in test(mlcore.Sequential([mlcore.Dense(2, input_shape=(1,))]))
    assert "expected an mlcore model" in test("model")


# --- value comparison -----------------------------------------------------------------------

@pytest.mark.parametrize("got,words", [
    (np.zeros((3, 2)), "transpose"),
    (np.zeros((1, 2, 3)), "axis of length 1"),
    (np.zeros(6), "right number of entries"),
    (np.ones((2, 3), dtype=bool), "True/False"),
    (np.full((2, 3), np.nan), "nan"),
    (-np.arange(6.0).reshape(2, 3) - 0.5, "wrong sign"),
    (np.arange(6.0).reshape(2, 3) + 1.5, "off by the same amount"),
    (np.array([[0, 1, 2], [3, 4, 6]]), "integers"),
    ([[1, 2], [3]], "could not turn"),
    (5.0, "single number"),
])
def test_array_diagnostics(got, words):
    expected = np.arange(6.0).reshape(2, 3) + 0.5
    assert words in compare_array(expected, got)


def test_array_diagnostics_name_the_first_differing_entry():
    expected = np.arange(6.0).reshape(2, 3)
    got = expected.copy()
    got[1, 2] = 9
    assert compare_array(expected, got) == ("1 of 6 entries differ; the first at index (1, 2), "
                                            "where you have 9")
    assert compare_array(expected, expected.tolist()) is None


@pytest.mark.parametrize("got,words", [
    (True, "True/False"), ("17", "without quotes"), (np.arange(3), "one number"),
    (float("nan"), "nan"), (-17, "wrong sign"), (18, "too large"), (16.5, "whole number"),
])
def test_number_diagnostics(got, words):
    assert words in compare_number(17, got, integer=True)


def test_messages_hold_no_memory_address():
    message = exercises.load(0).q1.assess(object()).message
    assert message == "Expected a whole number, got object <object object>."
    q = relu_question()

    def relu(z):
        raise ValueError(f"cannot use {relu}")
    assert "cannot use <function test_messages_hold_no_memory_address.<locals>.relu>" \
        in q.assess(relu).message


def test_number_tolerance():
    assert compare_number(0.1, 0.1 + 1e-9) is None
    assert compare_number(0.1, np.float32(0.1), rtol=1e-6) is None
    assert compare_number(0.1, np.array([0.1])) is None
    assert compare_number(0.1, 0.09) == "0.09 is too small"
    assert "but close: keep more decimals" in compare_number(2.302585, 2.3, rtol=1e-4)


# --- loading chapters -----------------------------------------------------------------------

@pytest.mark.parametrize("name", [9, "9", "09", "09_convolution", "convolution",
                                  "notebooks/09_convolution.ipynb"])
def test_chapter_names_and_numbers(name):
    assert exercises.load(name).chapter == "09_convolution"


@pytest.mark.parametrize("name", ["foo", 99, "", True, "9_convolution"])
def test_unknown_chapter_lists_the_chapters(name):
    with pytest.raises(ValueError, match="the chapters are 00_neural_networks, .*14_babysitting"):
        exercises.load(name)


def test_verify_finds_a_broken_exercise():
    ex = exercises.load(9)
    assert ex.verify() == []
    ex.q2._answer = np.zeros((3, 3))                         # the reference drifts from the engine
    ex.q3.mistakes.append(Mistake("never reached", when=lambda a: False, example=np.abs))
    ex.q1.solution_code = "answer = ((5, 5, 3, 6), (28, 28, 6), 450)"
    problems = "\n".join(ex.verify())
    assert "q2: its solution fails" in problems
    assert "q3: the example of 'never reached'" in problems
    assert "q1: its solution fails" in problems and "(c) Incorrect" in problems


def test_asking_for_a_question_that_does_not_exist():
    with pytest.raises(AttributeError, match="chapter 09_convolution has q1, q2, q3, p1, p2, p3; there is no 'q9'"):
        exercises.load(9).q9


def test_each_load_starts_fresh_and_keys_are_bound():
    first, second = exercises.load(9), exercises.load(9)
    first.q2.check(np.zeros((3, 3)))
    assert first.q2.attempts == 1 and second.q2.attempts == 0
    assert first.q1.a.key == "q1.a" and first.q3.chapter == "09_convolution"


def test_exported_from_mlcore():
    assert mlcore.exercises is exercises and "exercises" in mlcore.__all__


# --- events and progress --------------------------------------------------------------------

def test_events_reach_listeners():
    seen = []
    listener = exercises.on_event(seen.append)
    try:
        ex = exercises.load(9)
        ex.q2.check(np.zeros((3, 3)))
        ex.q2.hint()
    finally:
        exercises.remove_listener(listener)
    assert [(e["question"], e["action"], e["outcome"]) for e in seen] == [
        ("q2", "check", INCORRECT), ("q2", "hint", "hint")]
    assert seen[0]["chapter"] == "09_convolution"


def test_progress_file_records_attempts_hints_and_solutions(tmp_path):
    progress = exercises.track(tmp_path / "sub" / "progress.json")
    try:
        ex = exercises.load(9)
        ex.q2.check(None)
        ex.q2.check(np.zeros((3, 3)))
        ex.q2.hint()
        ex.q2.check(ex.q2.answer)
        ex.q2.solution()
    finally:
        exercises.untrack(progress)
    record = json.loads((tmp_path / "sub" / "progress.json").read_text())
    assert record == {"09_convolution": {"q2": {"attempts": 2, "solved": True, "hints": 1,
                                                "solution_seen": True}}}
    assert "09_convolution               1/3 solved" in exercises.progress_summary(progress, ["09_convolution"])
    exercises.load(9).q2.check(np.zeros((3, 3)))         # after untrack: nothing written
    assert json.loads((tmp_path / "sub" / "progress.json").read_text()) == record


def test_progress_file_from_environment_variable(tmp_path, monkeypatch):
    path = tmp_path / "env.json"
    monkeypatch.setenv(exercises.ENV_VAR, str(path))
    exercises.load(9).q2.check(np.zeros((3, 3)))
    assert json.loads(path.read_text())["09_convolution"]["q2"]["attempts"] == 1


def test_html_output_is_escaped_and_coloured():
    feedback = exercises.Feedback(INCORRECT, "expected <class int>", code="a < b")
    html = feedback._repr_html_()
    assert "&lt;class int&gt;" in html and "a &lt; b" in html and "color:" in html
    assert repr(feedback) == "Incorrect: expected <class int>\n\n    a < b"
