"""The question every type builds on: prompt, hints, solution, ``check``; and typical mistakes.

A check first looks for a placeholder (``None``, ``...``, ``____`` or an empty function
body: "not answered yet"), then for a typical mistake (a :class:`Mistake` with its own
message), then compares with the reference (each answer type's ``judge``).
"""
import sys

from . import events
from .blank import ANSWER, is_placeholder
from .compare import compare
from .feedback import HINT, INCORRECT, INFO, SOLUTION, UNANSWERED, Feedback, show


def sentence(text):
    """``text`` with a capital first letter and a final full stop (unless it ends in ? or .)."""
    first_word = text.split(" ", 1)[0]
    if not any(c in first_word for c in "=._()[]'"):      # leave code such as shuffle=True as it is
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!", ":")) else text + "."


class Mistake:
    """A typical wrong answer and the message it deserves.

    Parameters
    ----------
    message : str
        What the learner most likely did, without giving the answer away.
    value : object or callable, optional
        The wrong answer itself (or a function of no arguments computing it with
        ``mlcore``). For :class:`Function` questions: a wrong implementation,
        recognised when the learner's function gives its outputs on every test
        case (or fails on the same cases with the same kind of error).
    when : callable, optional
        A predicate ``when(answer) -> bool`` instead of a value.
    example : object or callable, optional
        A concrete wrong answer that ``when`` catches (a function of no
        arguments builds it), so the tests can show the message is reached.
    """

    def __init__(self, message, value=None, when=None, example=None):
        if (value is None) == (when is None):
            raise ValueError("Mistake: give exactly one of value= or when=")
        self.message, self.value, self.when, self.example = message, value, when, example

    def example_answer(self, question):
        """A wrong answer this mistake describes (its value, else its example), or None."""
        return question.resolve(self.value if self.example is None else self.example)

    def matches(self, answer, question):
        """True if ``answer`` is this mistake, judged by ``question``'s notion of equal."""
        if self.when is not None:
            try:
                return bool(self.when(answer))
            except Exception:               # a predicate that cannot apply does not match
                return False
        return question.same(question.resolve(self.value), answer)


class Question:
    """Base class: a prompt, hints, a solution, and ``check``.

    Parameters
    ----------
    title : str
        One line naming the task.
    prompt : str
        The task as the learner reads it.
    hints : list of str
        Shown by ``hint(1)``, ``hint(2)``, ...
    solution : str
        The explanation shown by ``solution()``.
    solution_code : str, optional
        Code shown with the solution. The tests run it and check its result,
        so a solution that no longer passes fails CI.
    solution_name : str, optional
        The variable (or function) ``solution_code`` defines as the answer.
    mistakes : list of Mistake
    """

    kind = "answer"

    def __init__(self, title, prompt, *, hints=(), solution="", solution_code=None,
                 solution_name=None, mistakes=()):
        self.title, self.prompt = title, prompt
        self.hints, self.mistakes = list(hints), list(mistakes)
        self.solution_text, self.solution_code, self.solution_name = solution, solution_code, solution_name
        self.chapter, self.key = "", "q"
        self.attempts, self.solution_requests = 0, 0

    # --- what subclasses define -------------------------------------------------
    def resolve(self, value):
        """A reference or mistake value; given lazily as a function of no arguments."""
        return value() if callable(value) else value

    def same(self, expected, answer):
        """True if ``answer`` equals ``expected`` for this question's answer type."""
        return compare(expected, answer) is None

    def judge(self, answer):
        """Feedback for a non-placeholder answer."""
        raise NotImplementedError

    # --- the learner's API ----------------------------------------------------
    def assess(self, answer=ANSWER):
        """The :class:`Feedback` for ``answer``, without showing or recording it."""
        if is_placeholder(answer):
            return Feedback(UNANSWERED, self.blank_message())
        return self.judge(answer)

    def check(self, answer=ANSWER):
        """Check ``answer`` and show whether it is right; a blank shows "not answered yet".

        Never raises on a wrong answer or a failing function, so Run All goes through.
        """
        if answer is ANSWER:
            answer = self.find_answer(sys._getframe(1).f_globals)
        self.record_check(self.assess(answer))

    def record_check(self, feedback):
        """Count ``feedback`` as an attempt (unless it is "not answered yet"), tell the
        listeners (:mod:`.events`) and show it."""
        if feedback.outcome != UNANSWERED:
            self.attempts += 1
        events.emit(self, "check", feedback)
        show(feedback)

    def hint(self, n=1):
        """Show hint ``n`` (1, 2, ...); each says whether another one follows."""
        if not self.hints:
            feedback = Feedback(INFO, "This question has no hints; try .solution().")
        elif not isinstance(n, int) or not 1 <= n <= len(self.hints):
            feedback = Feedback(INFO, f"There are hints 1 to {len(self.hints)}; got {n!r}.")
        else:
            more = f"\n(There is another hint: {self.key}.hint({n + 1}).)" if n < len(self.hints) else ""
            label = f"Hint {n} of {len(self.hints)}" if len(self.hints) > 1 else "Hint"
            feedback = Feedback(HINT, self.hints[n - 1] + more, label=label)
        events.emit(self, "hint", feedback)
        show(feedback)

    def solution(self):
        """Show the solution. Before any checked attempt the first request asks to confirm."""
        self.solution_requests += 1
        if not self.attempted() and self.solution_requests == 1:
            feedback = Feedback(INFO, f"You have not checked an answer to {self.key} yet. A hint "
                                      f"may be enough: {self.key}.hint(). Call "
                                      f"{self.key}.solution() again to see the solution anyway.")
        else:
            feedback = Feedback(SOLUTION, self.solution_text, code=self.solution_code)
        events.emit(self, "solution", feedback)
        show(feedback)

    def find_answer(self, namespace):
        """The answer when ``check()`` is called without one: a blank (see :class:`Function`)."""
        return ANSWER

    def blank_message(self):
        """What "not answered yet" tells the learner to do."""
        return f"replace the blank with your answer, then run the cell again ({self.key}.hint() helps)."

    def attempted(self):
        """True once an answer (not a blank) has been checked."""
        return self.attempts > 0

    def describe_answer(self):
        """What kind of answer is expected, for the repr."""
        return "an answer"

    def __repr__(self):
        lines = [f"{self.key} · {self.title}", "", self.prompt, "", self.how_to_answer()]
        return "\n".join(lines)

    def how_to_answer(self):
        """The last line of the repr: what to pass to check, and where help is."""
        return (f"Answer with {self.describe_answer()}: {self.key}.check(your_answer). "
                f"Help: {self.key}.hint(), {self.key}.solution().")

    def _wrong(self, answer, fallback):
        """Incorrect feedback: the first matching mistake's message, else ``fallback``."""
        for mistake in self.mistakes:
            if mistake.matches(answer, self):
                return Feedback(INCORRECT, sentence(mistake.message))
        return Feedback(INCORRECT, fallback)
