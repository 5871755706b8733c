"""Questions with no single reference value: a behaviour test on an object
(:class:`Behaviour`) and a written thought (:class:`Thought`)."""
from .compare import without_addresses
from .feedback import CORRECT, ERROR, INCORRECT, Feedback
from .question_base import Question, sentence


class Behaviour(Question):
    """A custom check on an object: a model, a function, a widget's state.

    Parameters
    ----------
    test : callable
        ``test(answer) -> None`` when the behaviour is right, else a message
        (str) naming what is wrong. It may train a copy of a model, read
        ``history`` or a widget's attributes; it should not change the answer.
    expects : str
        What to pass, for the repr (e.g. "your compiled model").
    """

    kind = "behaviour"

    def __init__(self, title, prompt, test, expects="an object", **kwargs):
        super().__init__(title, prompt, **kwargs)
        self.test, self.expects = test, expects

    def same(self, expected, answer):
        return False

    def judge(self, answer):
        for mistake in self.mistakes:
            if mistake.matches(answer, self):
                return Feedback(INCORRECT, sentence(mistake.message))
        try:
            problem = self.test(answer)
        except Exception as error:
            return Feedback(ERROR, f"checking it raised {type(error).__name__}: "
                                   f"{without_addresses(str(error))}")
        if problem is None:
            return Feedback(CORRECT, "it behaves as it should.")
        return Feedback(INCORRECT, sentence(problem))

    def describe_answer(self):
        return self.expects


class Thought(Question):
    """A question to think about: any written answer counts, then the model answer is shown."""

    kind = "thought"

    def judge(self, answer):
        if not isinstance(answer, str) or not answer.strip():
            return Feedback(INCORRECT, "write your answer as a sentence in quotes.")
        return Feedback(CORRECT, "compare yours with this one: " + self.solution_text,
                        label="Answer recorded")

    def same(self, expected, answer):
        return False

    def describe_answer(self):
        return "a sentence in quotes"
