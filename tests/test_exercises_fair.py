"""Checks fair both ways (issue 20): right answers written differently pass, wrong answers
that used to slip through fail, hints never give the whole solution, and graded mode
(MLCORE_GRADING=1) raises on a wrong or blank check but leaves predictions alone."""
import numpy as np
import pytest

from mlcore import Dense, Sequential, exercises, initializers, set_seed
from mlcore.exercises import Case, Function, Mistake, Prediction, Value, registry
from mlcore.exercises.feedback import CORRECT, INCORRECT


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    monkeypatch.delenv(exercises.ENV_VAR, raising=False)
    monkeypatch.delenv("MLCORE_GRADING", raising=False)


def outcome(chapter, key, *answer):
    question = getattr(exercises.load(chapter), key)
    return question.assess(*answer)


# --- right answers written the chapter's way ------------------------------------------------

@pytest.mark.parametrize("answers", [("overfitting", "underfitting"), ("over-fitting", "under-fitting"),
                                     ("Over fitting.", "UNDER_FITTING"), ("'over-fitting.'", "under-fitting.")])
def test_ch04_q1_accepts_the_courses_spellings(answers):
    assert outcome(4, "q1", *answers).outcome == CORRECT


def test_ch04_q1_still_refuses_the_wrong_verdict():
    feedback = outcome(4, "q1", "overfitting", "overfitting")
    assert feedback.outcome == INCORRECT and "No gap between the curves" in feedback.message


@pytest.mark.parametrize("text", ["semi supervised", "Semi-Supervised", "semi_supervised."])
def test_ch05_q1_accepts_semi_supervised_spelt_with_a_space(text):
    assert outcome(5, "q1", "supervised", "unsupervised", text).outcome == CORRECT


@pytest.mark.parametrize("text", ["The moving averages from training.", "moving average from training",
                                  "  the Moving-Averages from training "])
def test_ch12_q4_accepts_a_full_sentence(text):
    assert outcome(12, "q4", text).outcome == CORRECT


def test_ch12_q4_refuses_the_batch_statistics_however_written():
    assert outcome(12, "q4", "The statistics of the current batch.").outcome == INCORRECT


@pytest.mark.parametrize("text", ["learning rate ×100", "Learning rate x 100", "learning-rate x100."])
def test_ch14_q1_accepts_the_chapters_times_sign(text):
    assert outcome(14, "q1", text, "missing softmax", "shuffled labels").outcome == CORRECT


@pytest.mark.parametrize("answer", [[0.2], (0.2,), np.array([0.2]), np.array([[0.2]]), 0.2])
def test_ch00_q2_accepts_a_list_or_tuple_of_one_number(answer):
    assert outcome(0, "q2", answer).outcome == CORRECT


def test_array_answers_accept_lists_and_tuples():
    ex = exercises.load(9)
    reference = ex.q2.answer
    assert ex.q2.assess(reference.tolist()).outcome == CORRECT
    assert ex.q2.assess(tuple(map(tuple, reference.tolist()))).outcome == CORRECT


# --- wrong answers that used to pass --------------------------------------------------------

def test_ch03_q4_a_one_hot_that_ignores_num_classes_fails():
    def one_hot(labels, num_classes):
        return np.eye(max(labels) + 1)[labels]
    feedback = outcome(3, "q4", one_hot)
    assert feedback.outcome == INCORRECT
    assert "num_classes columns" in feedback.message
    assert outcome(3, "q4", lambda labels, k: np.eye(k)[labels]).outcome == CORRECT


def test_ch05_q2_an_l1_distance_fails():
    def kmeans_step(points, centroids):
        distances = np.abs(points[:, None, :] - centroids[None, :, :]).sum(axis=-1)
        labels = distances.argmin(axis=1)
        return np.array([points[labels == j].mean(axis=0) for j in range(len(centroids))])
    feedback = outcome(5, "q2", kmeans_step)
    assert feedback.outcome == INCORRECT and "L1 (city-block) distance" in feedback.message


def test_ch14_q3_an_in_place_update_fails():
    def adam_first_ratio(weights, gradient, learning_rate):
        before = weights.copy()
        weights -= learning_rate * np.sign(gradient)
        return np.linalg.norm(weights - before) / np.linalg.norm(before)
    feedback = outcome(14, "q3", adam_first_ratio)
    assert feedback.outcome == INCORRECT and "test 1 of 3" in feedback.message \
        and "The weights must not change" in feedback.message

    def adam_first_ratio(weights, gradient, learning_rate):     # a right answer still passes
        after = weights - learning_rate * np.sign(gradient)
        return np.linalg.norm(after - weights) / np.linalg.norm(weights)
    assert outcome(14, "q3", adam_first_ratio).outcome == CORRECT


def test_ch14_q3_names_the_difference_of_norms():
    def adam_first_ratio(weights, gradient, learning_rate):
        after = weights - learning_rate * np.sign(gradient)
        return abs(np.linalg.norm(after) - np.linalg.norm(weights)) / np.linalg.norm(weights)
    feedback = outcome(14, "q3", adam_first_ratio)
    assert feedback.outcome == INCORRECT and "difference of the norms" in feedback.message


@pytest.mark.parametrize("answer", [4.146, 4.15, np.float32(4.1461), [4.1461]])
def test_ch14_q2_accepts_the_entropy_of_the_shares_however_rounded(answer):
    assert outcome(14, "q2", answer).outcome == CORRECT


def test_ch14_q2_names_the_even_guess():
    feedback = outcome(14, "q2", 6.908)
    assert feedback.outcome == INCORRECT and "even guess" in feedback.message


def test_an_in_place_change_is_named_even_without_a_typical_mistake():
    q = Function("scale", "return 2 * x without changing x", "scale", lambda x: 2 * x,
                 cases=[Case(np.array([1.0, 2.0]))], keeps_arguments=True)

    def scale(x):
        x *= 2
        return x
    feedback = q.assess(scale)
    assert feedback.outcome == INCORRECT and "changed argument 1 in place" in feedback.message


@pytest.mark.parametrize("answer", [27.6, 28.4, 27.9])
def test_ch07_q1_is_exactly_28(answer):
    assert outcome(7, "q1", answer).outcome == INCORRECT
    assert outcome(7, "q1", 28).outcome == CORRECT


def test_ch07_q1_the_engine_measures_what_the_formula_says():
    """sqrt(784) * 1 = 28 is the spread the engine's RandomNormal gives (10,000 nodes)."""
    set_seed(0)
    layer = Dense(10_000, input_shape=(784,), kernel_initializer=initializers.RandomNormal(stddev=1.0))
    measured = float(Sequential([layer]).predict(np.ones((1, 784)))[0].std())
    assert measured == pytest.approx(exercises.load(7).q1.answer, rel=0.02)


def test_ch02_q4_adam_is_told_to_use_plain_sgd():
    from mlcore.exercises.ch02_training import side_effects_model
    from mlcore import Adam
    feedback = outcome(2, "q4", side_effects_model(Adam(learning_rate=0.01)))
    assert feedback.outcome == INCORRECT
    assert feedback.message == "Use plain SGD here: the exercise is about its learning rate."


def _ch02_model(learning_rate=0.5, seed=0):
    from mlcore.exercises.ch02_training import side_effects_model
    from mlcore import SGD
    set_seed(seed)
    return side_effects_model(SGD(learning_rate=learning_rate))


def test_ch02_q4_checks_the_network_not_only_the_loss():
    from mlcore import SGD
    lone = Sequential([Dense(2, input_shape=(1,), activation="softmax")])   # trains, but is not 1-16-32-2
    lone.compile(SGD(learning_rate=0.5), loss="sparse_categorical_crossentropy")
    feedback = outcome(2, "q4", lone)
    assert feedback.outcome == INCORRECT and "16 (relu), 32 (relu) and 2 (softmax)" in feedback.message


def test_ch02_q4_asks_to_compile_before_anything_else():
    feedback = outcome(2, "q4", Sequential([Dense(2, input_shape=(1,), activation="softmax")]))
    assert feedback.outcome == INCORRECT and feedback.message.startswith("Compile the model first")


def test_ch02_q4_passes_twice_and_leaves_the_model_untouched():
    model = _ch02_model(0.5)
    before = [w.copy() for w in model.get_weights()]
    assert outcome(2, "q4", model).outcome == CORRECT
    assert outcome(2, "q4", model).outcome == CORRECT                      # a re-run passes too
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_ch02_q4_names_what_it_expected_when_given_no_model():
    feedback = outcome(2, "q4", "model")
    assert feedback.outcome == INCORRECT and "Expected an mlcore model, got str" in feedback.message


def test_ch02_q4_says_what_a_large_rate_does():
    feedback = outcome(2, "q4", _ch02_model(3.0))
    assert feedback.outcome == INCORRECT and "ln 2 = 0.693" in feedback.message


def test_ch02_q1_names_the_batch_size_10_slip():
    feedback = outcome(2, "q1", 1050)
    assert feedback.outcome == INCORRECT and "default is 32" in feedback.message


def test_ch02_q3_names_pytorchs_form_and_the_swapped_pair():
    def pytorch(w, v, g, lr, mu):
        b = mu * v + g
        return w - lr * b, b

    def swapped(w, v, g, lr, mu):
        v = mu * v - lr * g
        return v, w + v
    assert "PyTorch's form" in outcome(2, "q3", pytorch).message
    assert "swapped" in outcome(2, "q3", swapped).message


@pytest.mark.parametrize("key,guess", [("p1", -1), ("p2", -0.5), ("p5", 1.5), ("p6", -5)])
def test_ch02_predictions_refuse_impossible_guesses(key, guess):
    assert getattr(exercises.load(2), key).out_of_bounds(guess) is not None


# --- hints and the self-test --------------------------------------------------------------

@pytest.mark.parametrize("chapter,key", [(3, "q4"), (5, "q2"), (8, "q3"), (9, "q3"), (11, "q2"),
                                         (12, "q3")])
def test_coding_hints_do_not_hold_the_solution(chapter, key):
    question = getattr(exercises.load(chapter), key)
    body = [line.strip().removeprefix("return ") for line in question.solution_code.splitlines()[1:]]
    for hint in question.hints:
        assert not any(len(line) >= 20 and line.replace(" ", "") in hint.replace(" ", "")
                       for line in body), (key, hint)
    assert registry.hint_problems(question) == []         # nor do they add up to it (12 q3)


def square_question(hints):
    return Function("square", "write square(x)", "square", lambda x: x ** 2,
                    cases=[Case(np.array([1.0, -2.0]))], hints=hints,
                    solution_code="def square(x):\n    return np.multiply(x, x) + 0 * x",
                    solution_name="square")


def test_the_self_test_finds_hints_that_give_the_solution():
    assert registry.hint_problems(square_question(["np.multiply(x, x) + 0 * x"])) == [
        "q: a hint gives the solution's line 'np.multiply(x,x)+0*x'"]
    assert registry.hint_problems(square_question(["y = x * x, then: y"])) == []   # a bare name
    assert registry.hint_problems(square_question(["Multiply x by itself."])) == []


def test_the_self_test_puts_the_hints_together():
    q = Function("scale", "write scale(x, k)", "scale", lambda x, k: k * x,
                 cases=[Case(np.array([1.0, -2.0]), 3.0)],
                 hints=["factor = k: one number", "factor * x"],
                 solution_code="def scale(x, k):\n    return k * x", solution_name="scale")
    assert registry.hint_problems(q) == ["q: the hints, put together, are the solution: "
                                         "factor = k; factor * x"]


def test_the_self_test_finds_a_refused_variant_and_a_mistake_never_caught():
    q = Value("v", "how much?", 28.0, variants=[28, [28.0], "twenty-eight"],
              mistakes=[Mistake("the variance", value=784.0), Mistake("unreached", value=28.0)])
    q.key = "q1"
    problems = registry.variant_problems(q) + registry.mistake_problems(q)
    assert problems[0].startswith("q1: the right answer 'twenty-eight' is refused")
    assert len(problems) == 2 and "the example of 'unreached' gets 'Correct" in problems[1]


@pytest.mark.parametrize("chapter", exercises.CHAPTERS)
def test_every_chapter_passes_the_whole_self_test(chapter):
    assert exercises.load(chapter).verify() == []


def test_choice_options_that_read_the_same_are_refused():
    with pytest.raises(ValueError, match="two options read the same"):
        exercises.Choice("c", "?", "fit", ["fit", "Fits."])


# --- graded mode ----------------------------------------------------------------------------

def test_grading_is_off_by_default(capsys):
    q = exercises.load(9).q2
    q.check(np.zeros((3, 3)))
    q.check(None)
    assert not exercises.grading() and "Incorrect" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_graded_mode_raises_on_a_wrong_or_blank_answer_with_the_feedback(monkeypatch, value, capsys):
    monkeypatch.setenv("MLCORE_GRADING", value)
    ex = exercises.load(9)
    with pytest.raises(AssertionError, match=r"^Incorrect: .*entries differ"):
        ex.q2.check(np.zeros((3, 3)))
    with pytest.raises(AssertionError, match="^Not answered yet"):
        ex.q2.check(exercises.____)
    with pytest.raises(AssertionError, match="^Not all parts are right"):
        ex.q1.check((5, 5, 3, 6), (28, 28, 6), 450)
    with pytest.raises(AssertionError, match="^Incorrect"):
        ex.q1.c.check(450)
    with pytest.raises(AssertionError, match="^Your function raised an error"):
        ex.q3.check(lambda image, kernel: 1 / 0)
    ex.q2.check(ex.q2.answer)                              # right: no error
    ex.q2.hint()
    ex.q2.solution()                                      # help never raises
    assert ex.q2.attempts == 2                            # the blank is not an attempt
    assert "Correct" in capsys.readouterr().out


def test_graded_mode_leaves_predictions_alone(monkeypatch, capsys):
    monkeypatch.setenv("MLCORE_GRADING", "1")
    p = Prediction("p", "Which?", kind="choice", options=["a", "b"], explain="because")
    p.predict(None)
    p.predict("c")
    p.reveal("z")
    p.predict("a")
    p.reveal("b")
    assert "Not this time" in capsys.readouterr().out
