"""Exercises that check the learner's own answer: ``check``, ``hint``, ``solution``.

::

    from mlcore import exercises
    ex = exercises.load("09_convolution")     # or load(9), load("09")
    ex                                          # lists the questions
    ex.q1.check(my_answer)                      # "Correct" or what is wrong
    ex.q1.hint()                                # hint 1; hint(2) for the next
    ex.q1.solution()                            # only when asked
    ex.p1.predict(guess)                        # a prediction, before an experiment
    ex.p1.reveal(measured)                      # ... and after it

A blank answer (``None``, ``...`` or ``exercises.ANSWER``, also spelt ``____``)
shows "not answered yet" and raises nothing, so Run All goes through (unless
``MLCORE_GRADING=1``: then a wrong or blank check raises ``AssertionError``, for
an autograder). The answers live in one module per chapter
(``ch09_convolution.py``); reference values are computed with ``mlcore``, so they
follow the engine.

The framework, judging apart from presenting (as in Kaggle's learntools):

- :mod:`.answers`: the blank, and how an answer is compared (numbers, arrays, words);
- :mod:`.feedback`: the :class:`Feedback` value judging returns;
- :mod:`.questions`: the question kinds, which judge;
- :mod:`.prediction`: :class:`Prediction`, a guess before an experiment;
- :mod:`.behaviours`: ready behaviour tests, e.g. ``value_below("test_loss", 0.1)``;
- :mod:`.present`: display, events, the progress file, graded mode;
- :mod:`.registry`: ``load``, the chapter list, and the self-test ``verify``.

Writing exercises: a chapter module defines ``TITLE``, optionally ``DATA`` (the
inputs its prompts name, ``ex.data[...]``), ``questions()`` returning a list of
:class:`Value`, :class:`Array`, :class:`Choice`, :class:`Function`,
:class:`Behaviour`, :class:`Thought` or :class:`Multipart` questions, each with
hints, a solution (text and code), at least two :class:`Mistake` s and any
right-answer ``variants``; and optionally ``predictions()`` returning
:class:`Prediction` s. ``exercises.load(n).verify()`` lists what is wrong with a
chapter's exercises (a solution that fails, a reference that drifted, a mistake
never reached, a right answer refused, hints that give the solution away).

Class mode (``MLCORE_SOLUTIONS=off`` or ``mlcore-class.json``, see :mod:`.present`)
turns ``solution()`` off for a class; hints stay. Solutions are not gated behind an attempt, but before the first checked answer
``solution()`` asks once more (call it again to see it); hints are always free.
"""
from .answers import ANSWER, is_placeholder
from .behaviours import latest, loss_falls, value_below
from .feedback import Feedback
from .prediction import Prediction
from .present import (CLASS_FILE, ENV_VAR, GRADING_VAR, SOLUTIONS_VAR, ProgressFile, class_settings,
                      grading, on_event, remove_listener, solutions_allowed, track, untrack)
from .questions import (Array, Behaviour, Case, Choice, Function, Mistake, Multipart, Question,
                        Thought, Value)
from .registry import CHAPTERS, ExerciseSet, chapter_id, load, progress_summary, verify

____ = ANSWER

__all__ = [
    "load", "chapter_id", "CHAPTERS", "ExerciseSet", "verify", "ANSWER", "____",
    "is_placeholder", "Question", "Value", "Array", "Choice", "Function", "Case", "Behaviour",
    "Thought", "Multipart", "Mistake", "Prediction", "Feedback", "track", "untrack", "on_event",
    "remove_listener", "ProgressFile", "progress_summary", "ENV_VAR", "GRADING_VAR", "grading",
    "SOLUTIONS_VAR", "CLASS_FILE", "class_settings", "solutions_allowed",
    "latest", "loss_falls", "value_below",
]
