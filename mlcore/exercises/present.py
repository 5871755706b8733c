"""Presenting what judging decided: display, events, the progress file and graded mode.

:func:`present` is the one door every check, hint, solution, prediction and
reveal goes through: it counts a checked attempt, sends an event (a dict:
chapter, question, action, outcome, message) to the listeners registered with
:func:`on_event` (e.g. a teacher's dashboard), shows the :class:`~.feedback.Feedback`,
and in graded mode raises on a failed check. :func:`track` adds one listener
that keeps a small JSON file of each question's attempts, hints and solutions
(and each prediction's guess), so progress survives a restart. Nothing is
written unless ``track`` is called or the environment variable
``MLCORE_EXERCISES_PROGRESS`` names a file.

Graded mode: with ``MLCORE_GRADING=1`` a wrong or blank answer to a check raises
an ``AssertionError`` carrying the feedback, so an autograder (nbgrader) that
scores a cell by whether it errors sees the truth. Predictions are never graded.

Class mode: an instructor turns ``solution()`` off for a class with
``MLCORE_SOLUTIONS=off`` or a file ``mlcore-class.json`` holding
``{"solutions": false}`` in the notebook's folder or any folder above it
(``python3 course.py assignments`` writes one beside every assignment). Hints
stay on. The installed package still holds the reference answers: class mode
keeps honest learners from a shortcut, it is not a lock.
"""
import json
import os
from pathlib import Path

from .feedback import FAILED, UNANSWERED

ENV_VAR = "MLCORE_EXERCISES_PROGRESS"
GRADING_VAR = "MLCORE_GRADING"
SOLUTIONS_VAR = "MLCORE_SOLUTIONS"
CLASS_FILE = "mlcore-class.json"
_listeners = []
ON, OFF = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def grading():
    """True when ``MLCORE_GRADING`` is set to 1 (or true/yes/on): checks raise on failure."""
    return os.environ.get(GRADING_VAR, "").strip().lower() in ON


def class_settings(folder=None):
    """The settings of the nearest ``mlcore-class.json`` at or above ``folder`` (the working
    directory by default), as a dict; {} when there is none.

    Raises
    ------
    ValueError
        If the file is not a JSON object, naming the file.
    """
    folder = Path(folder or os.getcwd()).resolve()
    for place in [folder, *folder.parents]:
        path = place / CLASS_FILE
        if path.is_file():
            try:
                settings = json.loads(path.read_text(encoding="utf-8"))
            except ValueError as error:
                raise ValueError(f"{path}: expected JSON such as {{\"solutions\": false}}, "
                                 f"got text that does not parse ({error})") from None
            if not isinstance(settings, dict):
                raise ValueError(f"{path}: expected a JSON object such as "
                                 f"{{\"solutions\": false}}, got {type(settings).__name__}")
            return settings
    return {}


def solutions_allowed():
    """False when the instructor turned solutions off: ``MLCORE_SOLUTIONS=off`` (the variable
    wins when set) or ``"solutions": false`` in ``mlcore-class.json`` (see :func:`class_settings`).

    Raises
    ------
    ValueError
        If ``MLCORE_SOLUTIONS`` is neither on/1/true/yes nor off/0/false/no.
    """
    value = os.environ.get(SOLUTIONS_VAR, "").strip().lower()
    if value:
        if value not in ON + OFF:
            raise ValueError(f"{SOLUTIONS_VAR}: expected 'on' or 'off', got {value!r}")
        return value in ON
    return bool(class_settings().get("solutions", True))


def show(feedback):
    """Display ``feedback`` in a notebook (HTML with a plain-text fallback) or print it."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:                       # IPython is optional outside Jupyter
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(feedback)
    else:
        print(feedback.text())


def present(question, action, feedback, answer=None):
    """Count, tell the listeners, show; raise in graded mode if a check failed.

    Parameters
    ----------
    question : Question or Prediction
        What the feedback is about (its ``chapter`` and ``key`` name it in events).
    action : str
        'check', 'hint', 'solution', 'predict' or 'reveal'. Only a 'check' that is not
        "not answered yet" counts as an attempt, and only a 'check' is graded.
    feedback : Feedback
    answer : object, optional
        For a prediction: the guess ('predict') or the measured value ('reveal').

    Raises
    ------
    AssertionError
        In graded mode (:func:`grading`), for a check whose answer is wrong, blank or raised.
    """
    if action == "check" and feedback.outcome != UNANSWERED:
        question.attempts += 1
    emit(question, action, feedback, answer)
    show(feedback)
    if action == "check" and grading() and feedback.outcome in FAILED:
        raise AssertionError(feedback.text())


def on_event(listener):
    """Call ``listener(event)`` after every check, hint and solution; returns ``listener``."""
    _listeners.append(listener)
    return listener


def remove_listener(listener):
    """Stop calling ``listener``."""
    _listeners.remove(listener)


def emit(question, action, feedback, answer=None):
    """Send one event about ``question`` to every listener (and the progress file).

    ``answer``: for a prediction, the guess ('predict') or the measured value ('reveal').
    """
    event = {"chapter": question.chapter, "question": question.key, "action": action,
             "outcome": feedback.outcome, "message": feedback.message}
    if answer is not None:
        event["answer"] = jsonable(answer)
    tracker = _env_tracker()
    for listener in list(_listeners) + ([tracker] if tracker is not None else []):
        listener(event)


def jsonable(value):
    """``value`` as JSON can store it: numbers as floats, sequences as lists, the rest as text."""
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, str):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


class ProgressFile:
    """A JSON file ``{chapter: {question: {attempts, solved, hints, solution_seen}}}``;
    a prediction's entry is ``{guess, measured, right}`` instead.

    Parameters
    ----------
    path : str or Path
        Created (with its folder) on the first event.
    """

    def __init__(self, path):
        self.path = Path(path).expanduser()

    def read(self):
        """The stored progress as a dict (empty if the file does not exist yet)."""
        if not self.path.exists():
            return {}
        with open(self.path, encoding="utf-8") as f:
            return json.load(f)

    def __call__(self, event):
        record = self.read()
        chapter = record.setdefault(event["chapter"], {})
        if event["action"] in ("predict", "reveal"):
            entry = chapter.setdefault(event["question"], {"guess": None, "measured": None,
                                                           "right": None})
            if event["action"] == "predict" and "answer" in event:
                entry["guess"] = event["answer"]
            elif event["action"] == "reveal" and "answer" in event:
                entry["measured"] = event["answer"]
                entry["right"] = event["outcome"] == "correct" if entry["guess"] is not None else None
            return self._write(record)
        entry = chapter.setdefault(
            event["question"], {"attempts": 0, "solved": False, "hints": 0, "solution_seen": False})
        if event["action"] == "check" and event["outcome"] != "unanswered":
            entry["attempts"] += 1
            entry["solved"] = entry["solved"] or event["outcome"] == "correct"
        elif event["action"] == "hint" and event["outcome"] == "hint":
            entry["hints"] += 1
        elif event["action"] == "solution" and event["outcome"] == "solution":
            entry["solution_seen"] = True
        self._write(record)

    def _write(self, record):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "w", encoding="utf-8") as f:
            json.dump(record, f, indent=1, sort_keys=True)


_tracked = {}


def track(path=None):
    """Keep progress in a JSON file from now on and return the :class:`ProgressFile`.

    ``path`` defaults to ``$MLCORE_EXERCISES_PROGRESS``, else ``~/.mlcore/progress.json``.
    """
    path = path or os.environ.get(ENV_VAR) or "~/.mlcore/progress.json"
    progress = ProgressFile(path)
    if str(progress.path) not in _tracked:
        _tracked[str(progress.path)] = on_event(progress)
    return _tracked[str(progress.path)]


def untrack(progress):
    """Stop writing to ``progress`` (a :class:`ProgressFile` from :func:`track`)."""
    _tracked.pop(str(progress.path), None)
    remove_listener(progress)


def _env_tracker():
    """The progress file named by the environment variable, unless ``track`` already covers it."""
    path = os.environ.get(ENV_VAR)
    if not path or str(Path(path).expanduser()) in _tracked:
        return None
    return ProgressFile(path)
