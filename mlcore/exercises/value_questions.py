"""Questions answered by a value: a number or text (:class:`Value`), an array
(:class:`Array`), or one or more options (:class:`Choice`)."""
import numpy as np

from .compare import compare, compare_array, normalise_text, what
from .feedback import CORRECT, INCORRECT, Feedback
from .question_base import Question, sentence


class Value(Question):
    """An answer compared with a reference value: a number, a tuple of numbers or a text.

    Parameters
    ----------
    answer : object or callable
        The reference, or a function of no arguments computing it with ``mlcore``.
    rtol, atol : float
        Tolerance for numbers (counts, given as ints, must match exactly).
    """

    kind = "value"

    def __init__(self, title, prompt, answer, rtol=1e-4, atol=1e-8, **kwargs):
        super().__init__(title, prompt, **kwargs)
        self._answer, self.rtol, self.atol = answer, rtol, atol

    @property
    def answer(self):
        """The reference answer (computed on first use)."""
        if callable(self._answer):
            self._answer = self._answer()
        return self._answer

    praise = "well done."

    def difference(self, expected, answer):
        """None if ``answer`` matches ``expected``, else what differs."""
        return compare(expected, answer, rtol=self.rtol, atol=self.atol)

    def same(self, expected, answer):
        return self.difference(expected, answer) is None

    def judge(self, answer):
        problem = self.difference(self.answer, answer)
        if problem is None:
            return Feedback(CORRECT, self.praise)
        return self._wrong(answer, sentence(problem))

    def describe_answer(self):
        reference = self.answer
        if isinstance(reference, (tuple, list)):
            return f"{len(reference)} values, e.g. ({', '.join('...' for _ in reference)})"
        if isinstance(reference, str):
            return "a text"
        return "a whole number" if isinstance(reference, (int, np.integer)) else "a number"


class Array(Value):
    """An array answer: shape, then dtype, then values (``allclose``)."""

    kind = "array"

    def __init__(self, title, prompt, answer, rtol=1e-5, atol=1e-6, **kwargs):
        super().__init__(title, prompt, answer, rtol=rtol, atol=atol, **kwargs)

    praise = "every entry matches."

    def difference(self, expected, answer):
        return compare_array(expected, answer, rtol=self.rtol, atol=self.atol)

    def describe_answer(self):
        return f"a NumPy array of shape {np.shape(self.answer)}"


class Choice(Question):
    """Pick one option (a text), or a set of options when ``answer`` is a set.

    Texts are compared without case, quotes, underscores or extra spaces.
    """

    kind = "choice"

    def __init__(self, title, prompt, answer, options, **kwargs):
        super().__init__(title, prompt, **kwargs)
        self.options = list(options)
        self.multiple = isinstance(answer, (set, frozenset))
        self._known = {normalise_text(o): o for o in self.options}
        wanted = answer if self.multiple else [answer]
        missing = [w for w in wanted if normalise_text(w) not in self._known]
        if missing:
            raise ValueError(f"Choice {title!r}: answer {missing} is not among the options {self.options}")
        self.reference = answer
        self.answer = {normalise_text(a) for a in wanted} if self.multiple else normalise_text(answer)

    def _normalise(self, answer):
        """The answer as normalised option texts, or an error message."""
        items = answer if self.multiple and isinstance(answer, (set, frozenset, list, tuple)) else [answer]
        if self.multiple and isinstance(answer, str):
            return None, f"expected a set of options such as {{'{self.options[0]}', ...}}, got one text"
        texts = []
        for item in items:
            if not isinstance(item, str):
                return None, f"expected an option as text, got {what(item)}"
            if normalise_text(item) not in self._known:
                return None, f"{item!r} is not one of the options {self.options}"
            texts.append(normalise_text(item))
        return (set(texts) if self.multiple else texts[0]), None

    def same(self, expected, answer):
        chosen, problem = self._normalise(answer)
        if problem:
            return False
        if self.multiple:
            return chosen == {normalise_text(e) for e in expected}
        return chosen == normalise_text(expected)

    def judge(self, answer):
        chosen, problem = self._normalise(answer)
        if problem:
            return Feedback(INCORRECT, sentence(problem))
        if chosen == self.answer:
            return Feedback(CORRECT, "well done.")
        if self.multiple:
            wrong = sorted(self._known[c] for c in chosen - self.answer)
            missed = len(self.answer - chosen)
            parts = ([f"{', '.join(map(repr, wrong))} should not be in your set"] if wrong else []) \
                + ([f"{missed} option(s) are missing"] if missed else [])
            return self._wrong(answer, sentence("; ".join(parts)))
        return self._wrong(answer, f"{self._known[chosen]!r} is not it.")

    def describe_answer(self):
        what = "a set of options" if self.multiple else "one option"
        return f"{what} from {self.options}"
