"""Predictions: the learner commits to a guess before an experiment, then sees it compared.

::

    ex = exercises.load("02")
    ex.p1                      # the question, e.g. which learning rate diverges first
    ex.p1.predict(3)           # noted (in memory, and in the progress file if tracking)
    ...                        # the experiment
    ex.p1.reveal(measured)     # the guess beside what happened, and why

A chapter module declares its predictions beside ``questions()`` in a function
``predictions()``; they are bound as ``p1``, ``p2``, ... in that order::

    def predictions():
        return [
            Prediction(
                "Which learning rate diverges first",
                "Three runs of 50 steps with learning rates 0.3, 3 and 10. "
                "Which is the first whose loss climbs instead of falling?",
                kind="choice", options=[0.3, 3, 10],
                explain=lambda rate: f"{rate:g} overshoots the valley's floor: each step "
                                     "lands higher up the other side than it started.",
            ),
            Prediction("Final loss", "What loss will 200 steps reach?", kind="number",
                       tolerance=0.05, explain="Each step shrinks the error by the same factor."),
            Prediction("Fastest to train", "Order relu, tanh and sigmoid from the lowest "
                       "final loss to the highest.", kind="ordering",
                       options=["relu", "tanh", "sigmoid"], explain="..."),
        ]

A prediction is never graded (``MLCORE_GRADING`` leaves it alone), and neither
``predict`` nor ``reveal`` ever raises: a bad guess or a bad measured value gets
a message, so Run All goes through. The guess cannot change after the reveal.
"""
import math
import re

from .answers import describe, is_number, is_placeholder, normalise_text
from .feedback import CORRECT, ERROR, INCORRECT, INFO, UNANSWERED, Feedback
from .present import present

KINDS = ("choice", "number", "ordering")


#: Small whole numbers as learners write them in words ("three and four").
NUMBER_WORDS = {word: float(n) for n, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}


def _number(value):
    """``value`` as a float if it is a number or a text of one ("3", " 0.5 ", "three"), or a
    list, tuple or array holding one such ([64], np.array([0.4])), else None."""
    if isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    elif hasattr(value, "shape") and hasattr(value, "item") and getattr(value, "size", 0) == 1:
        value = value.item()                # a one-element array, as a learner's computation gives
    if is_number(value):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return NUMBER_WORDS.get(value.strip().lower())
    return None


def _numbers(value):
    """The numbers ``value`` lists, in any order, as sorted floats, or None.

    A list, tuple or array of numbers, a single number, or a text such as
    "3, 4", "3 and 4", "three and four" or "(3, 4)" ("only" is ignored: "3 only" lists 3).
    A size may be written "f=3" or "3x3" (a square window): both read 3.
    """
    if isinstance(value, str):
        words = [w for w in re.split(r"[\s,;&()\[\]]+|\band\b", value.lower()) if w and w != "only"]
        value = [re.sub(r"^f=|^(\d+)x\1$", lambda m: m.group(1) or "", w) for w in words]
    elif is_number(value):
        value = [value]
    elif not hasattr(value, "__iter__"):
        return None
    numbers = [_number(item) for item in value]
    return None if not numbers or None in numbers else sorted(numbers)


class Prediction:
    """A guess made before an experiment, compared with what happened afterwards.

    Parameters
    ----------
    title : str
        One line naming the prediction.
    prompt : str
        The question as the learner reads it, asked before the experiment.
    kind : {'choice', 'number', 'ordering'}
        'choice': the guess is one of ``options`` and is right if it is what happened.
        'number': the guess is a number and is right within ``tolerance`` of the measurement.
        'ordering': the guess lists all ``options`` in an order (as the prompt
        says, e.g. from lowest to highest) and is right if that is the measured order.
    options : list, optional
        The options (texts or numbers), for 'choice' and 'ordering'. A 'choice'
        option may also be a tuple of numbers, e.g. ``(3, 4)``: a guess naming
        the same numbers in any order matches it (``[4, 3]``, ``"3, 4"``, ``"3 and 4"``).
    tolerance : float, optional
        For 'number': the largest absolute difference that still counts as right
        (0: only the exact value).
    bounds : (float, float), optional
        For 'number': the smallest and largest guess that makes sense (e.g. ``(0, None)``
        for a count); a guess outside is not noted. ``None`` leaves that side open.
        The refusal names the lower bound but not the upper one, which would hint
        at the answer ("at most 2" when the answer is 1 or 2).
    integer : bool
        For 'number': the result is a count, so a guess that is not a whole number
        (1.5 columns) is not noted.
    explain : str or callable
        Why it happened: a text, or ``explain(measured) -> str`` given the
        measured value (for 'ordering', the measured order as a list).
    descending : bool
        For 'ordering' measured as a dict ``{option: number}``: order by
        decreasing number (default: increasing).
    digits : int
        Significant digits of the numbers shown (measurements vary in their last bits).
    mistakes : dict, optional
        For 'number' and 'choice': ``{wrong guess: what probably led to it}``. A wrong
        guess matching a key (a number within ``tolerance``) gets that text after the
        result, so "Not this time" names the slip instead of only saying so.
    """

    kind = "prediction"

    def __init__(self, title, prompt, *, kind, options=None, tolerance=None, explain="",
                 descending=False, digits=3, bounds=(None, None), integer=False, mistakes=None):
        if kind not in KINDS:
            raise ValueError(f"Prediction {title!r}: kind must be one of {KINDS}, got {kind!r}")
        if kind != "number" and not options:
            raise ValueError(f"Prediction {title!r}: a {kind} prediction needs options")
        if kind == "number" and (tolerance is None or tolerance < 0):
            raise ValueError(f"Prediction {title!r}: a number prediction needs a tolerance >= 0, "
                             f"got {tolerance!r}")
        if kind != "number" and (bounds != (None, None) or integer):
            raise ValueError(f"Prediction {title!r}: only a number prediction takes bounds "
                             f"or integer")
        self.title, self.prompt, self.answer_kind = title, prompt, kind
        self.bounds, self.integer = tuple(bounds), integer
        self.options, self.tolerance, self.explain = list(options or []), tolerance, explain
        self.descending, self.digits = descending, digits
        if mistakes and kind == "ordering":
            raise ValueError(f"Prediction {title!r}: mistakes are for number and choice predictions")
        self.mistakes = dict(mistakes or {})
        self.chapter, self.key = "", "p"
        self.guess, self.measured, self.revealed = None, None, False
        self.first_guess = None     # shown beside a changed guess at the reveal

    # --- judging: values in, (value, problem) or Feedback out; nothing shown --------------
    def _option(self, value):
        """The option ``value`` names (numbers by value, texts without case or spaces, tuples of
        numbers as sets), or None."""
        number = _number(value)
        for option in self.options:
            if isinstance(option, tuple):
                if _numbers(value) == sorted(map(float, option)):
                    return option
            elif isinstance(option, str) and isinstance(value, str):
                if normalise_text(option) == normalise_text(value):
                    return option
            elif is_number(option) and number is not None:
                if math.isclose(float(option), number, rel_tol=1e-9, abs_tol=1e-12):
                    return option
        return None

    def read(self, value):
        """``(value in this prediction's terms, None)`` or ``(None, what is wrong)``.

        A choice becomes its option, a number a float, an ordering a list of options.
        """
        if self.answer_kind == "number":
            if _number(value) is None:
                return None, f"expected a number, got {self.format(value)}"
            return _number(value), None
        if self.answer_kind == "choice":
            option = self._option(value)
            if option is None:
                return None, f"{self.format(value)} is not one of the options {self.format(self.options)}"
            return option, None
        if isinstance(value, str) or not hasattr(value, "__iter__"):
            return None, (f"expected all of {self.format(self.options)} in an order, "
                          f"e.g. {self.format(self.options)}; got {self.format(value)}")
        items = [self._option(item) for item in value]
        if None in items or sorted(map(self.options.index, items)) != list(range(len(self.options))):
            return None, (f"expected each of {self.format(self.options)} exactly once, "
                          f"got {self.format(list(value))}")
        return items, None

    def read_measured(self, measured):
        """Like :meth:`read`; an ordering may also be measured as ``{option: number}``."""
        if self.answer_kind == "ordering" and isinstance(measured, dict):
            try:
                measured = sorted(measured, key=lambda option: float(measured[option]),
                                  reverse=self.descending)
            except (TypeError, ValueError):
                return None, f"expected a number for each option, got {self.format(measured)}"
        return self.read(measured)

    def out_of_bounds(self, number):
        """What is wrong with a number guess outside :attr:`bounds` or, for an
        :attr:`integer` prediction, not whole; None if nothing is."""
        low, high = self.bounds
        if self.integer and number != round(number):
            return f"{self.format(number)} cannot be the result: it is a count, a whole number"
        if low is not None and number < low:
            return f"{self.format(number)} cannot be the result: it is at least {self.format(low)}"
        if high is not None and number > high:
            return f"{self.format(number)} cannot be the result: it is too large to be possible"
        return None

    def right(self, guess, measured):
        """True if ``guess`` matches ``measured`` (both as :meth:`read` returns them)."""
        if self.answer_kind == "number":
            # |0.8 - 0.75| is 0.05000000000000004 in floating point: "within ±0.05" must hold
            return abs(guess - measured) <= self.tolerance * (1 + 1e-9) + 1e-12
        return guess == measured

    def likely_mistake(self, guess, measured):
        """What probably led to the wrong ``guess`` (from :attr:`mistakes`), or None."""
        for wrong, text in self.mistakes.items():
            value, problem = self.read(wrong)
            if problem is None and self.right(guess, value) and not self.right(value, measured):
                return text
        return None

    def why(self, measured):
        """The explanation for ``measured``; a failing ``explain`` function says so instead."""
        if not callable(self.explain):
            return self.explain
        try:
            return str(self.explain(measured))
        except Exception as error:          # an explanation must not stop Run All
            return f"(the explanation could not be written: {type(error).__name__}: {error})"

    def format(self, value):
        """A guess or measurement as the learner reads it: numbers to ``digits`` digits, a set
        of numbers (a tuple option) as "3 and 4" or "3 only", and in a list quoted, so that
        the options [(2, 3), (3,)] read "'2 and 3', '3 only'", not "2, 3, 3"."""
        if isinstance(value, tuple) and value and all(is_number(v) for v in value):
            numbers = " and ".join(self.format(v) for v in value)
            return numbers if len(value) > 1 else f"{numbers} only"
        if isinstance(value, (list, tuple)):
            return ", ".join(f"'{self.format(v)}'" if isinstance(v, tuple) else self.format(v)
                             for v in value)
        if is_number(value):
            return f"{float(value):.{self.digits}g}"
        return value if isinstance(value, str) else describe(value)

    def noting(self, guess):
        """The :class:`Feedback` for ``predict(guess)``, and the value to keep (or None)."""
        if self.revealed:
            kept = f"your guess {self.format(self.guess)} stays" if self.guess is not None \
                else "you did not guess before it"
            return Feedback(INFO, f"{self.key} is revealed already; {kept}. A guess counts "
                                  f"only before the experiment is seen.", label="Too late"), None
        if is_placeholder(guess):
            return Feedback(UNANSWERED, f"replace the blank with your guess ({self.describe()}), "
                                        f"then run the cell again."), None
        value, problem = self.read(guess)
        if problem is None and self.answer_kind == "number":
            problem = self.out_of_bounds(value)
        if problem:
            return Feedback(INCORRECT, problem + ". Guess again.", label="Not noted"), None
        change = f" (it was {self.format(self.guess)})" \
            if self.guess is not None and self.guess != value else ""
        return Feedback(INFO, f"your guess is {self.format(value)}{change}. Now run the next "
                              f"cell to see what happens.", label="Noted"), value

    def revealing(self, measured):
        """The :class:`Feedback` for ``reveal(measured)``, and the measured value (or None)."""
        value, problem = self.read_measured(measured)
        if problem:
            return Feedback(ERROR, f"the experiment's result could not be compared: {problem}.",
                            label="Cannot reveal"), None
        happened = f"What happened: {self.format(value)}"
        why = self.why(value)
        why = f"\nWhy: {why}" if why else ""
        if self.guess is None:
            return Feedback(INFO, f"you made no guess first. Next time call {self.key}.predict(...) "
                                  f"before the experiment: a guess made after seeing the result "
                                  f"teaches little.\n{happened}{why}",
                            label="No guess recorded", block=True), value
        if self.first_guess is not None and self.first_guess != self.guess:
            # The widget or a printout may have shown the answer before the reveal: say so.
            happened = (f"(Your first guess was {self.format(self.first_guess)}: a guess changed "
                        f"after trying the experiment is a reading, not a prediction.)\n{happened}")
        margin = f" (counted right within ±{self.format(self.tolerance)})" \
            if self.answer_kind == "number" and self.tolerance > 0 else ""
        if self.right(self.guess, value):
            return Feedback(CORRECT, f"Your guess: {self.format(self.guess)}{margin}\n{happened}{why}",
                            label="Your guess was right", block=True), value
        slip = self.likely_mistake(self.guess, value)
        slip = f"\nLikely slip: {slip}" if slip else ""
        return Feedback(INCORRECT, f"Your guess: {self.format(self.guess)}{slip}\n{happened}{why}",
                        label="Not this time", block=True), value

    # --- presenting: the learner's calls -------------------------------------------------
    def predict(self, guess=None):
        """Record ``guess`` before the experiment and say so; never raises.

        A blank, a guess that is not an option, or a guess after the reveal is not recorded.
        """
        feedback, value = self.noting(guess)
        if value is not None:
            self.guess = value
            self.first_guess = value if self.first_guess is None else self.first_guess
        present(self, "predict", feedback, answer=value)

    def reveal(self, measured):
        """Show the guess beside ``measured`` (what the experiment gave), whether the guess
        was right, and why; never raises. Without a guess it says so and still shows the result.

        ``measured``: one of the options ('choice'), a number ('number'), or the options in
        their measured order or a dict ``{option: number}`` ('ordering').
        """
        feedback, value = self.revealing(measured)
        if value is not None:
            self.measured, self.revealed = value, True
        present(self, "reveal", feedback, answer=value)

    def describe(self):
        """What a guess looks like, for messages and the repr."""
        if self.answer_kind == "number":
            return "a number"
        if self.answer_kind == "choice":
            return f"one of {self.format(self.options)}"
        return f"all of {self.format(self.options)} in your order"

    def __repr__(self):
        if self.revealed:
            state = f"Revealed: {self.format(self.measured)}; your guess: " \
                    f"{self.format(self.guess) if self.guess is not None else 'none'}."
        elif self.guess is not None:
            state = f"Your guess, {self.format(self.guess)}, is noted: now run the experiment."
        else:
            state = (f"Guess before you run the experiment: {self.key}.predict(your_guess), "
                     f"with {self.describe()}. Then {self.key}.reveal(...) shows what happened.")
        return "\n".join([f"{self.key} · {self.title}", "", self.prompt, "", state])
