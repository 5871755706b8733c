"""Question types: what an answer must be, how it is checked, and the help on offer.

Every question has a ``check(answer)``, ``hint(n)`` and ``solution()``. A check
first looks for a placeholder (``None``, ``...``, ``____`` or an empty function
body: "not answered yet"), then for a typical mistake (a :class:`Mistake` with
its own message), then compares with the reference, which each chapter module
computes with ``mlcore`` itself so it cannot drift from the engine.

The types live by the kind of answer they take; this module gathers them for
the chapter modules (``from .questions import Value, Mistake, ...``):

- ``blank.py``: the placeholder ``ANSWER`` and ``is_placeholder``;
- ``question_base.py``: :class:`Question` (check, hint, solution) and :class:`Mistake`;
- ``value_questions.py``: :class:`Value`, :class:`Array`, :class:`Choice`;
- ``function_questions.py``: :class:`Function` and its test :class:`Case`;
- ``open_questions.py``: :class:`Behaviour`, :class:`Thought`;
- ``multipart.py``: :class:`Multipart`.
"""
from .blank import ANSWER, is_placeholder
from .function_questions import Case, Function
from .multipart import Multipart
from .open_questions import Behaviour, Thought
from .question_base import Mistake, Question, sentence
from .value_questions import Array, Choice, Value

__all__ = ["ANSWER", "is_placeholder", "Question", "Mistake", "sentence", "Value", "Array",
           "Choice", "Case", "Function", "Behaviour", "Thought", "Multipart"]
