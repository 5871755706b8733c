"""Questions answered by a function: the learner's function runs on test cases
(:class:`Case`) and its outputs are compared with a reference implementation."""
import copy
import traceback
import warnings

import numpy as np

from .blank import ANSWER
from .compare import compare, describe, what, without_addresses
from .feedback import CORRECT, ERROR, INCORRECT, Feedback
from .question_base import Question, sentence


class Case:
    """One test case for a :class:`Function` question: the arguments to call it with."""

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs

    def call(self, function):
        return function(*copy.deepcopy(self.args), **copy.deepcopy(self.kwargs))

    def text(self, name):
        parts = [_short(a) for a in self.args] + [f"{k}={_short(v)}" for k, v in self.kwargs.items()]
        return f"{name}({', '.join(parts)})"


def _run(function, case):
    """("ok", output) or ("error", the exception) for ``function`` on ``case``."""
    try:
        with warnings.catch_warnings():      # e.g. the mean of an empty slice: the output tells
            warnings.simplefilter("ignore", RuntimeWarning)
            return "ok", case.call(function)
    except Exception as error:
        return "error", error


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
    rtol, atol : float
        Tolerance for the outputs.
    """

    kind = "function"

    def __init__(self, title, prompt, name, reference, cases, rtol=1e-5, atol=1e-6, **kwargs):
        super().__init__(title, prompt, **kwargs)
        self.name, self.reference, self.cases = name, reference, list(cases)
        self.rtol, self.atol = rtol, atol

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

    def _outputs_match(self, expected, got):
        return compare(expected, got, rtol=self.rtol, atol=self.atol) is None

    def same(self, wrong_function, answer):
        """Mistake test: on every test case, does ``answer`` give ``wrong_function``'s output,
        or fail with the same kind of error?"""
        for case in self.cases:
            mistake, learner = _run(wrong_function, case), _run(answer, case)
            if mistake[0] != learner[0]:
                return False
            if mistake[0] == "error" and type(mistake[1]) is not type(learner[1]):
                return False
            if mistake[0] == "ok" and not self._outputs_match(mistake[1], learner[1]):
                return False
        return True

    def judge(self, answer):
        if not callable(answer):
            return Feedback(INCORRECT, f"Expected a function (def {self.name}(...): ...), "
                                       f"got {what(answer)}.")
        for number, case in enumerate(self.cases, 1):
            where = (f"test {number} of {len(self.cases)}, {case.text(self.name)} "
                     f"({self.key}.test_case({number}) gives the arguments)")
            status, got = _run(answer, case)
            if status == "error":
                feedback = self._wrong(answer, "")
                if feedback.message:                 # a typical mistake that also fails here
                    feedback.message = f"{where} raised {type(got).__name__}. {feedback.message}"
                    return feedback
                return Feedback(ERROR, f"{where} raised {type(got).__name__}: "
                                       f"{without_addresses(str(got))}{_failing_line(got, answer)}")
            if got is None:
                return Feedback(INCORRECT, f"{where} returned None: does the function end with "
                                           f"a return statement?")
            expected = case.call(self.reference)
            problem = compare(expected, got, rtol=self.rtol, atol=self.atol)
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
