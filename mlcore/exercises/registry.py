"""Find a chapter's exercises by name or number, bind them as ``q1``, ``q2``, ... (and
predictions as ``p1``, ``p2``, ...), and test them: the self-test for authors and CI.

::

    problems = exercises.load(9).verify()     # [] when the chapter's exercises are sound
"""
import ast
import importlib
import re

import numpy as np

from .feedback import CORRECT, INCORRECT
from .questions import Choice, Function, Multipart, Thought, Value, sentence

CHAPTERS = (
    "00_neural_networks", "01_activations", "02_training", "03_loss",
    "04_datasets_and_generalization", "05_learning_paradigms", "06_backprop_math",
    "07_initialization", "08_regularization", "09_convolution", "10_padding",
    "11_pooling", "12_batch_norm", "13_fine_tuning", "14_babysitting",
)


def chapter_id(chapter):
    """The full chapter name for ``9``, ``'9'``, ``'09'``, ``'09_convolution'``,
    ``'09_convolution.ipynb'`` or ``'convolution'``.

    Raises
    ------
    ValueError
        If nothing matches; the message lists the chapters.
    """
    text = str(chapter).strip().lower()
    if text.endswith(".ipynb"):
        text = text[:-len(".ipynb")].rsplit("/", 1)[-1]
    if not isinstance(chapter, bool) and text.isdigit():
        text = f"{int(text):02d}"
    for name in CHAPTERS:
        if text in (name, name[:2], name[3:]):
            return name
    raise ValueError(f"no exercises for chapter {chapter!r}; the chapters are "
                     f"{', '.join(CHAPTERS)} (a number such as 9 or '09' works too)")


class ExerciseSet:
    """The exercises of one chapter: ``ex.q1``, ``ex.q2``, ...; printing it lists them.

    ``ex.data`` holds the inputs the questions name (e.g. ``ex.data['bar']``);
    ``ex.p1``, ``ex.p2``, ... are the chapter's predictions (:mod:`.prediction`).
    """

    def __init__(self, chapter, title, questions, data=None, predictions=()):
        self.chapter, self.title, self.questions = chapter, title, list(questions)
        self.predictions = list(predictions)
        self.data = dict(data or {})
        for number, question in enumerate(self.questions, 1):
            question.chapter, question.key = chapter, f"q{number}"
            for name, part in getattr(question, "parts", {}).items():
                part.chapter, part.key = chapter, f"q{number}.{name}"
            setattr(self, f"q{number}", question)
        for number, prediction in enumerate(self.predictions, 1):
            prediction.chapter, prediction.key = chapter, f"p{number}"
            setattr(self, f"p{number}", prediction)

    def __getattr__(self, name):
        # Only reached for names not set in __init__, e.g. ex.q9 on a 3-question chapter.
        items = self.__dict__.get("questions", []) + self.__dict__.get("predictions", [])
        raise AttributeError(f"chapter {self.__dict__.get('chapter', '?')} has "
                             f"{', '.join(q.key for q in items)}; there is no {name!r}")

    def __len__(self):
        return len(self.questions)

    def verify(self):
        """Problems with these exercises; [] if none. See :func:`verify`."""
        return verify(self)

    def __iter__(self):
        return iter(self.questions)

    def __repr__(self):
        lines = [f"Exercises for chapter {self.chapter[:2]} · {self.title} "
                 f"({len(self)} questions)"]
        lines += [f"  {q.key}  {q.title}" for q in self.questions]
        if self.predictions:
            lines.append("Predictions (guess before the experiment, e.g. ex.p1.predict(...)):")
            lines += [f"  {p.key}  {p.title}" for p in self.predictions]
        lines.append("Print one (e.g. ex.q1) to read it; answer with ex.q1.check(your_answer); "
                     "ex.q1.hint() and ex.q1.solution() help.")
        return "\n".join(lines)


def load(chapter):
    """The :class:`ExerciseSet` of ``chapter`` (a name or a number, see :func:`chapter_id`).

    Each call builds fresh questions, so attempts and hints start from zero.
    """
    name = chapter_id(chapter)
    module = importlib.import_module(f"{__package__}.ch{name}")
    predictions = module.predictions() if hasattr(module, "predictions") else ()
    return ExerciseSet(name, module.TITLE, module.questions(), getattr(module, "DATA", None),
                       predictions)


def progress_summary(progress, chapters=None):
    """Lines 'chapter: solved/total' from a :class:`~.present.ProgressFile`, for each chapter
    (all of them by default)."""
    record = progress.read()
    lines = []
    for chapter in chapters or CHAPTERS:
        solved = sum(entry.get("solved", False) for entry in record.get(chapter, {}).values())
        lines.append(f"{chapter:<28} {solved}/{len(load(chapter))} solved")
    return "\n".join(lines)


# --- the self-test -------------------------------------------------------------------------

def leaves(question):
    """The question itself, or its parts."""
    return list(question.parts.values()) if isinstance(question, Multipart) else [question]


def assess(question, answer):
    """Feedback for ``answer``; a multipart question takes one answer per part."""
    return question.assess(*answer) if isinstance(question, Multipart) else question.assess(answer)


def run_solution(exercise_set, question):
    """Execute the code ``solution()`` shows, as a notebook would (NumPy as ``np``, the
    chapter's exercises as ``ex``), and return the answer it defines."""
    namespace = {"np": np, "ex": exercise_set}
    exec(question.solution_code, namespace)
    return namespace[question.solution_name]


def solution_problems(exercise_set, question):
    """What is wrong with the shown solution: missing, or not passing its own check."""
    if not (question.solution_code and question.solution_name and question.solution_text):
        return [f"{question.key}: needs solution text, solution_code and solution_name"]
    feedback = assess(question, run_solution(exercise_set, question))
    return [] if feedback.outcome == CORRECT else [f"{question.key}: its solution fails: {feedback.text()}"]


def reference_problems(question):
    """References (values, choices, reference functions) that do not pass their own check."""
    problems = []
    for leaf in leaves(question):
        if isinstance(leaf, (Function, Choice)):
            reference = leaf.reference
        elif isinstance(leaf, Value):
            reference = leaf.answer
        else:
            continue                      # behaviours and thoughts: covered by the solution code
        feedback = leaf.assess(reference)
        if feedback.outcome != CORRECT:
            problems.append(f"{leaf.key}: its reference fails: {feedback.text()}")
    return problems


def mistake_problems(question, minimum=2):
    """Fewer than ``minimum`` typical mistakes, or a mistake whose example does not get its message."""
    problems = []
    for leaf in leaves(question):
        if isinstance(leaf, Thought):
            continue
        if len(leaf.mistakes) < minimum:
            problems.append(f"{leaf.key}: needs at least {minimum} typical mistakes")
        for mistake in leaf.mistakes:
            wrong = mistake.example_answer(leaf)
            if wrong is None:
                problems.append(f"{leaf.key}: give the mistake {mistake.message!r} an example")
                continue
            feedback = leaf.assess(wrong)
            if feedback.outcome != INCORRECT or not feedback.message.endswith(sentence(mistake.message)):
                problems.append(f"{leaf.key}: the example of {mistake.message!r} gets "
                                f"{feedback.text()!r}")
    return problems


def variant_problems(question):
    """Right answers written differently (``variants=``, of the question or of a part) that
    are not accepted."""
    problems = []
    for item in [question] + (leaves(question) if isinstance(question, Multipart) else []):
        for variant in item.variants:
            feedback = assess(item, variant)
            if feedback.outcome != CORRECT:
                problems.append(f"{item.key}: the right answer {variant!r} is refused: {feedback.text()}")
    return problems


def _code_line(text):
    """A line of code without spaces, a trailing full stop or a leading 'return'."""
    text = re.sub(r"^return\b", "", text.strip()).rstrip(".")
    return re.sub(r"\s+", "", text)


def _pieces(hint):
    """The parts of a hint between ',', ';' or ': ' outside brackets: candidate code."""
    pieces, depth, start = [], 0, 0
    for i, char in enumerate(hint):
        depth += (char in "([{") - (char in ")]}")
        if depth == 0 and (char in ",;" or hint[i:i + 2] == ": "):
            pieces.append(hint[start:i])
            start = i + 1
    return [p.strip().rstrip(".").strip() for p in pieces + [hint[start:]]]


def hint_problems(question):
    """Hints that give a function's whole solution: one holds a computing line of the
    solution code, or the code in the hints, put together, passes the check."""
    if not isinstance(question, Function) or not question.solution_code:
        return []
    header, *body = question.solution_code.splitlines()
    computing = {_code_line(line) for line in body if len(_code_line(line)) >= 20}
    given = [line for line in computing if any(line in _code_line(h) for h in question.hints)]
    if given:
        return [f"{question.key}: a hint gives the solution's line {given[0]!r}"]
    statements, expressions = [], []
    for piece in (p for h in question.hints for p in _pieces(h)):
        try:
            node = ast.parse(piece).body
        except SyntaxError:
            continue
        if len(node) == 1 and isinstance(node[0], ast.Assign):
            statements.append(piece)
        elif len(node) == 1 and isinstance(node[0], ast.Expr) and \
                not isinstance(node[0].value, (ast.Name, ast.Constant)):
            expressions.append(piece)
    for expression in expressions:
        code = "\n    ".join([header] + statements + [f"return {expression}"])
        namespace = {"np": np}
        try:
            exec(code, namespace)
        except Exception:
            continue
        if question.assess(namespace[question.name]).outcome == CORRECT:
            return [f"{question.key}: the hints, put together, are the solution: "
                    f"{'; '.join(statements + [expression])}"]
    return []


def prediction_problems(prediction):
    """A prediction without an explanation, or whose ``explain`` fails on a possible result
    (each option of a choice, the options' order of an ordering, 0 for a number)."""
    if not prediction.explain:
        return [f"{prediction.key}: needs an explanation (explain=)"]
    results = {"choice": prediction.options, "ordering": [prediction.options],
               "number": [0.0]}[prediction.answer_kind]
    return [f"{prediction.key}: explaining {prediction.format(result)} gives {prediction.why(result)!r}"
            for result in results if prediction.why(result).startswith("(the explanation could not")]


def verify(exercise_set):
    """Every problem the self-test finds in ``exercise_set``; [] when it is sound: a shown
    solution that fails, a reference that fails, a mistake never reached, a right-answer
    variant refused, hints that give the whole solution, a prediction that cannot explain."""
    problems = []
    for question in exercise_set:
        problems += solution_problems(exercise_set, question)
        problems += reference_problems(question)
        problems += mistake_problems(question)
        problems += variant_problems(question)
        problems += hint_problems(question)
    for prediction in exercise_set.predictions:
        problems += prediction_problems(prediction)
    return problems
