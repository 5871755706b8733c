"""Question kinds: what an answer must be, how it is judged, and the help on offer.

Every question has ``check(answer)``, ``hint(n)`` and ``solution()``. Judging
(:meth:`Question.assess`) turns an answer into a :class:`~.feedback.Feedback` and
shows nothing: first a placeholder (``None``, ``...``, ``____`` or an empty
function body: "not answered yet"), then a typical mistake (a :class:`Mistake`
with its own message), then the comparison with the reference, which each
chapter module computes with ``mlcore`` itself so it cannot drift from the
engine. Presenting (counting, events, display, graded mode) is :mod:`.present`'s.

The kinds: :class:`Value` (a number, numbers or a text), :class:`Array`,
:class:`Choice`, :class:`Function` (run on test :class:`Case` s), :class:`Behaviour`
(a custom test of an object), :class:`Thought` (any written answer) and
:class:`Multipart`.
"""
import copy
import sys
import traceback
import warnings

import numpy as np

from .answers import (ANSWER, compare, compare_array, describe, is_placeholder, normalise_text,
                      what, without_addresses)
from .feedback import CORRECT, ERROR, HINT, INCORRECT, INFO, SOLUTION, UNANSWERED, Feedback
from .present import present, solutions_allowed


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
        arguments builds it), so the self-test can show the message is reached.
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
    """Base class: a prompt, hints, a solution; ``assess`` judges, ``check`` presents.

    Parameters
    ----------
    title : str
        One line naming the task.
    prompt : str
        The task as the learner reads it.
    hints : list of str
        Shown by ``hint(1)``, ``hint(2)``, ...; together they never give the whole
        solution (the self-test checks).
    solution : str
        The explanation shown by ``solution()``.
    solution_code : str, optional
        Code shown with the solution. The self-test runs it and checks its result,
        so a solution that no longer passes fails CI.
    solution_name : str, optional
        The variable (or function) ``solution_code`` defines as the answer.
    mistakes : list of Mistake
    variants : list, optional
        Right answers written differently (a list instead of an array, "overfitting"
        for "over-fitting"); the self-test checks each is accepted.
    """

    kind = "answer"

    def __init__(self, title, prompt, *, hints=(), solution="", solution_code=None,
                 solution_name=None, mistakes=(), variants=()):
        self.title, self.prompt = title, prompt
        self.hints, self.mistakes, self.variants = list(hints), list(mistakes), list(variants)
        self.solution_text, self.solution_code, self.solution_name = solution, solution_code, solution_name
        self.chapter, self.key = "", "q"
        self.attempts, self.solution_requests = 0, 0

    # --- judging --------------------------------------------------------------------------
    def resolve(self, value):
        """A reference or mistake value; given lazily as a function of no arguments."""
        return value() if callable(value) else value

    def same(self, expected, answer):
        """True if ``answer`` equals ``expected`` for this question's answer type."""
        return compare(expected, answer) is None

    def judge(self, answer):
        """Feedback for a non-placeholder answer."""
        raise NotImplementedError

    def assess(self, answer=ANSWER):
        """The :class:`Feedback` for ``answer``, without showing or recording it."""
        if is_placeholder(answer):
            return Feedback(UNANSWERED, self.blank_message())
        return self.judge(answer)

    def _wrong(self, answer, fallback):
        """Incorrect feedback: the first matching mistake's message, else ``fallback``."""
        for mistake in self.mistakes:
            if mistake.matches(answer, self):
                return Feedback(INCORRECT, sentence(mistake.message))
        return Feedback(INCORRECT, fallback)

    def hint_feedback(self, n):
        """The :class:`Feedback` of hint ``n``, saying whether another one follows."""
        if not self.hints:
            return Feedback(INFO, "This question has no hints; try .solution().")
        if not isinstance(n, int) or not 1 <= n <= len(self.hints):
            return Feedback(INFO, f"There are hints 1 to {len(self.hints)}; got {n!r}.")
        more = f"\n(There is another hint: {self.key}.hint({n + 1}).)" if n < len(self.hints) else ""
        label = f"Hint {n} of {len(self.hints)}" if len(self.hints) > 1 else "Hint"
        return Feedback(HINT, self.hints[n - 1] + more, label=label)

    def solution_feedback(self):
        """The solution; in class mode a note that solutions are off; (on the first request
        before any checked attempt) a question."""
        if not solutions_allowed():
            return Feedback(INFO, f"Solutions are turned off for this class by your instructor. "
                                  f"Hints still work: {self.key}.hint().")
        if not self.attempted() and self.solution_requests == 1:
            return Feedback(INFO, f"You have not checked an answer to {self.key} yet. A hint "
                                  f"may be enough: {self.key}.hint(). Call "
                                  f"{self.key}.solution() again to see the solution anyway.")
        return Feedback(SOLUTION, self.solution_text, code=self.solution_code)

    # --- the learner's calls: judge, then present ---------------------------------------
    def check(self, answer=ANSWER):
        """Check ``answer`` and show whether it is right; a blank shows "not answered yet".

        Never raises on a wrong answer or a failing function, so Run All goes through,
        except in graded mode (``MLCORE_GRADING=1``, see :mod:`.present`).
        """
        if answer is ANSWER:
            answer = self.find_answer(sys._getframe(1).f_globals)
        present(self, "check", self.assess(answer))

    def hint(self, n=1):
        """Show hint ``n`` (1, 2, ...)."""
        present(self, "hint", self.hint_feedback(n))

    def solution(self):
        """Show the solution. Before any checked attempt the first request asks to confirm."""
        self.solution_requests += 1
        present(self, "solution", self.solution_feedback())

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
        return "\n".join([f"{self.key} · {self.title}", "", self.prompt, "", self.how_to_answer()])

    def how_to_answer(self):
        """The last line of the repr: what to pass to check, and where help is."""
        return (f"Answer with {self.describe_answer()}: {self.key}.check(your_answer). "
                f"Help: {self.key}.hint(), {self.key}.solution().")


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
    praise = "well done."

    def __init__(self, title, prompt, answer, rtol=1e-4, atol=1e-8, **kwargs):
        super().__init__(title, prompt, **kwargs)
        self._answer, self.rtol, self.atol = answer, rtol, atol

    @property
    def answer(self):
        """The reference answer (computed on first use)."""
        if callable(self._answer):
            self._answer = self._answer()
        return self._answer

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
    """An array answer (a list or tuple counts as one): shape, then dtype, then values."""

    kind = "array"
    praise = "every entry matches."

    def __init__(self, title, prompt, answer, rtol=1e-5, atol=1e-6, **kwargs):
        super().__init__(title, prompt, answer, rtol=rtol, atol=atol, **kwargs)

    def difference(self, expected, answer):
        return compare_array(expected, answer, rtol=self.rtol, atol=self.atol)

    def describe_answer(self):
        return f"a NumPy array of shape {np.shape(self.answer)}"


class Choice(Question):
    """Pick one option (a text), or a set of options when ``answer`` is a set.

    Texts are compared as words (:func:`~.answers.normalise_text`): case, quotes,
    spacing, hyphens, a final full stop and plurals do not count.
    """

    kind = "choice"

    def __init__(self, title, prompt, answer, options, **kwargs):
        super().__init__(title, prompt, **kwargs)
        self.options = list(options)
        self.multiple = isinstance(answer, (set, frozenset))
        self._known = {normalise_text(o): o for o in self.options}
        if len(self._known) != len(self.options):
            raise ValueError(f"Choice {title!r}: two options read the same: {self.options}")
        wanted = answer if self.multiple else [answer]
        missing = [w for w in wanted if normalise_text(w) not in self._known]
        if missing:
            raise ValueError(f"Choice {title!r}: answer {missing} is not among the options {self.options}")
        self.reference = answer
        self.answer = {normalise_text(a) for a in wanted} if self.multiple else normalise_text(answer)

    def _normalise(self, answer):
        """The answer as normalised option texts, or an error message."""
        if self.multiple and isinstance(answer, str):
            return None, f"expected a set of options such as {{'{self.options[0]}', ...}}, got one text"
        items = answer if self.multiple and isinstance(answer, (set, frozenset, list, tuple)) else [answer]
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
        return f"{'a set of options' if self.multiple else 'one option'} from {self.options}"


class Case:
    """One test case for a :class:`Function` question: the arguments to call it with."""

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs

    def run(self, function):
        """("ok", output, changed) or ("error", the exception, changed): ``function`` called on
        copies of the arguments; ``changed`` names the positional arguments it changed in place."""
        args, kwargs = copy.deepcopy(self.args), copy.deepcopy(self.kwargs)
        try:
            with warnings.catch_warnings():      # e.g. the mean of an empty slice: the output tells
                warnings.simplefilter("ignore", RuntimeWarning)
                status, result = "ok", function(*args, **kwargs)
        except Exception as error:
            status, result = "error", error
        changed = tuple(i for i, (old, new) in enumerate(zip(self.args, args))
                        if isinstance(old, np.ndarray) and not np.array_equal(old, new, equal_nan=True))
        return status, result, changed

    def text(self, name):
        parts = [_short(a) for a in self.args] + [f"{k}={_short(v)}" for k, v in self.kwargs.items()]
        return f"{name}({', '.join(parts)})"


def _short(value):
    """An argument in a test's name: small values in full, big arrays by their shape."""
    if isinstance(value, np.ndarray):
        if value.size > 3:
            return f"<array {'x'.join(map(str, value.shape))}>"
        return np.array2string(value, separator=", ").replace("\n", "")
    return describe(value, 40)


class Function(Question):
    """The learner writes a function; it is run on test cases and compared with a reference.

    Parameters
    ----------
    name : str
        The function's name in the prompt, e.g. ``'relu'``.
    reference : callable
        A correct implementation, from ``mlcore`` wherever it has one.
    cases : list of Case
        Chosen so that an ignored argument or a typical slip changes an output
        (e.g. a ``num_classes`` larger than any label).
    rtol, atol : float
        Tolerance for the outputs.
    keeps_arguments : bool
        The task says the arguments must not change: a function that changes an
        array argument in place fails.
    """

    kind = "function"

    def __init__(self, title, prompt, name, reference, cases, rtol=1e-5, atol=1e-6,
                 keeps_arguments=False, **kwargs):
        super().__init__(title, prompt, **kwargs)
        self.name, self.reference, self.cases = name, reference, list(cases)
        self.rtol, self.atol, self.keeps_arguments = rtol, atol, keeps_arguments

    def resolve(self, value):
        """Mistakes of a function question are wrong implementations: keep them as they are."""
        return value

    def find_answer(self, namespace):
        """``check()`` without an argument checks the function named ``name`` in the caller's
        namespace (the notebook's), or says it is not defined yet."""
        return namespace.get(self.name, ANSWER)

    def blank_message(self):
        return (f"define {self.name}(...) with a body that returns the result, then run "
                f"{self.key}.check({self.name}) ({self.key}.hint() helps).")

    def test_case(self, number):
        """The arguments of test ``number`` (1, 2, ...), to call your function on them yourself."""
        case = self.cases[number - 1]
        return case.args if not case.kwargs else (case.args, case.kwargs)

    def same(self, wrong_function, answer):
        """Mistake test: on every test case, does ``answer`` give ``wrong_function``'s output
        (or fail with the same kind of error) and change the same arguments?"""
        for case in self.cases:
            mistake, learner = case.run(wrong_function), case.run(answer)
            if mistake[0] != learner[0] or (self.keeps_arguments and mistake[2] != learner[2]):
                return False
            if mistake[0] == "error" and type(mistake[1]) is not type(learner[1]):
                return False
            if mistake[0] == "ok" and compare(mistake[1], learner[1], rtol=self.rtol, atol=self.atol):
                return False
        return True

    def judge(self, answer):
        if not callable(answer):
            return Feedback(INCORRECT, f"Expected a function (def {self.name}(...): ...), "
                                       f"got {what(answer)}.")
        for number, case in enumerate(self.cases, 1):
            where = (f"test {number} of {len(self.cases)}, {case.text(self.name)} "
                     f"({self.key}.test_case({number}) gives the arguments)")
            status, got, changed = case.run(answer)
            if status == "error":
                feedback = self._wrong(answer, "")
                if feedback.message:                 # a typical mistake that also fails here
                    feedback.message = f"{where} raised {type(got).__name__}. {feedback.message}"
                    return feedback
                return Feedback(ERROR, f"{where} raised {type(got).__name__}: "
                                       f"{without_addresses(str(got))}{_failing_line(got, answer)}")
            if self.keeps_arguments and changed:
                which = ", ".join(f"argument {i + 1}" for i in changed)
                feedback = self._wrong(answer, f"it changed {which} in place; the task says not "
                                               f"to: compute new values into a new array.")
                feedback.message = f"{where}: {feedback.message}"
                return feedback
            if got is None:
                return Feedback(INCORRECT, f"{where} returned None: does the function end with "
                                           f"a return statement?")
            problem = compare(case.run(self.reference)[1], got, rtol=self.rtol, atol=self.atol)
            if problem is not None:
                feedback = self._wrong(answer, sentence(problem))
                feedback.message = f"{where}: {feedback.message}"
                return feedback
        return Feedback(CORRECT, f"your {self.name} passes all {len(self.cases)} tests.")

    def how_to_answer(self):
        return (f"Define {self.name}, then {self.key}.check({self.name}) (the function itself, "
                f"not a call) or just {self.key}.check(). Help: {self.key}.hint(), "
                f"{self.key}.solution().")


def _failing_line(error, function):
    """' (in the line `...`)' for the last line of ``function``'s own file that ran, or ''."""
    filename = getattr(getattr(function, "__code__", None), "co_filename", None)
    own = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
    return f" (in the line `{own[-1].line}`)" if own and own[-1].line else ""


class Behaviour(Question):
    """A custom check on an object: a model, a function, a widget's state.

    Parameters
    ----------
    test : callable
        ``test(answer) -> None`` when the behaviour is right, else a message
        (str) naming what is wrong. It may train a copy of a model, read
        ``history`` or a widget's attributes; it should not change the answer.
        :mod:`.behaviours` has ready ones.
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
        feedback = self._wrong(answer, "")
        if feedback.message:                       # a typical mistake, before the test runs
            return feedback
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


class Multipart(Question):
    """Several parts ``a``, ``b``, ...: check one part (``q2.a.check(x)``) or all (``q2.check(x, y)``)."""

    kind = "multipart"

    def __init__(self, title, prompt, parts, **kwargs):
        super().__init__(title, prompt, **kwargs)
        self.parts = dict(parts)
        for part in self.parts.values():                 # a part's help is the question's help
            part.hints = part.hints or self.hints
            if not part.solution_text:
                part.solution_text, part.solution_code = self.solution_text, self.solution_code

    def attempted(self):
        return self.attempts > 0 or any(part.attempted() for part in self.parts.values())

    def __getattr__(self, name):
        parts = self.__dict__.get("parts", {})
        if name in parts:
            return parts[name]
        raise AttributeError(f"{self.key} has parts {sorted(parts)}, not {name!r}")

    def assess(self, *answers):
        if len(answers) != len(self.parts):
            return Feedback(INCORRECT, f"give {len(self.parts)} answers, one per part "
                                       f"({', '.join(self.parts)}), got {len(answers)}.")
        results = [(name, part.assess(a)) for (name, part), a in zip(self.parts.items(), answers)]
        if all(r.outcome == UNANSWERED for _, r in results):
            return Feedback(UNANSWERED, "replace the blanks with your answers, then run the cell again.")
        if all(r.passed for _, r in results):
            return Feedback(CORRECT, f"all {len(results)} parts are right.")
        lines = [f"({name}) {r.label}: {r.message}" for name, r in results]
        return Feedback(INCORRECT, "\n".join(lines), label="Not all parts are right", block=True)

    def check(self, *answers):
        feedback = self.assess(*answers) if answers else Feedback(
            UNANSWERED, "give one answer per part, e.g. check(a, b).")
        present(self, "check", feedback)

    def how_to_answer(self):
        return (f"Answer all parts with {self.key}.check({', '.join(self.parts)}) or one at a "
                f"time with {self.key}.{next(iter(self.parts))}.check(...). "
                f"Help: {self.key}.hint(), {self.key}.solution().")
