"""Exercises that check the learner's own answer: ``check``, ``hint``, ``solution``.

::

    from mlcore import exercises
    ex = exercises.load("09_convolution")     # or load(9), load("09")
    ex                                          # lists the questions
    ex.q1.check(my_answer)                      # "Correct" or what is wrong
    ex.q1.hint()                                # hint 1; hint(2) for the next
    ex.q1.solution()                            # only when asked

A blank answer (``None``, ``...`` or ``exercises.ANSWER``, also spelt ``____``)
shows "not answered yet" and raises nothing, so Run All goes through. The
answers live in one module per chapter (``ch09_convolution.py``); reference
values are computed with ``mlcore``, so they follow the engine.

Writing exercises: a chapter module defines ``TITLE``, optionally ``DATA`` (the
inputs its prompts name, ``ex.data[...]``), and ``questions()`` returning a list of
:class:`Value`, :class:`Array`, :class:`Choice`, :class:`Function`,
:class:`Behaviour`, :class:`Thought` or :class:`Multipart` questions, each with
hints, a solution (text and code) and at least two :class:`Mistake` s. A behaviour
test is any function ``test(answer) -> None | message``; :mod:`.behaviours` has
ready ones, e.g. ``value_below("test_loss", 0.1)`` for a Playground.
``exercises.load(n).verify()`` lists what is wrong with a chapter's exercises
(a solution that fails, a reference that drifted, a mistake never reached).

Predictions ask before they tell: ``ex.p1.predict(guess)`` before an experiment,
``ex.p1.reveal(measured)`` after it (see :mod:`.prediction`; a chapter module
declares them in ``predictions()``, bound as ``p1``, ``p2``, ...).

Solutions are not gated behind an attempt, but before the first checked answer
``solution()`` asks once more (call it again to see it); hints are always free.
"""
from .behaviours import latest, loss_falls, value_below
from .events import ENV_VAR, ProgressFile, on_event, remove_listener, track, untrack
from .feedback import Feedback
from .prediction import Prediction
from .questions import (ANSWER, Array, Behaviour, Case, Choice, Function, Mistake, Multipart,
                        Question, Thought, Value, is_placeholder)
from .registry import CHAPTERS, ExerciseSet, chapter_id, load
from . import selftest

____ = ANSWER

__all__ = [
    "load", "chapter_id", "CHAPTERS", "ExerciseSet", "ANSWER", "____", "is_placeholder",
    "Question", "Value", "Array", "Choice", "Function", "Case", "Behaviour", "Thought",
    "Multipart", "Mistake", "Prediction", "Feedback", "track", "untrack", "on_event", "remove_listener",
    "ProgressFile", "ENV_VAR", "latest", "loss_falls", "value_below", "selftest",
]
