"""Self-tests for exercise authors and CI: every shown solution passes, every reference
passes, and every typical mistake reaches its own message.

::

    problems = exercises.load(9).verify()     # [] when the chapter's exercises are sound
"""
import numpy as np

from .feedback import CORRECT, INCORRECT
from .questions import Choice, Function, Multipart, Thought, Value, sentence


def leaves(question):
    """The question itself, or its parts."""
    return list(question.parts.values()) if isinstance(question, Multipart) else [question]


def assess(question, answer):
    """Feedback for ``answer``; a multipart question takes one answer per part."""
    return question.assess(*answer) if isinstance(question, Multipart) else question.assess(answer)


def run_solution(exercise_set, question):
    """Execute the code ``solution()`` shows and return the answer it defines."""
    import mlcore
    from mlcore import exercises
    namespace = {"np": np, "mlcore": mlcore, "ex": exercise_set, "exercises": exercises}
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
        if isinstance(leaf, Function):
            reference = leaf.reference
        elif isinstance(leaf, Choice):
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


def verify(exercise_set):
    """Every problem :func:`solution_problems`, :func:`reference_problems` and
    :func:`mistake_problems` find in ``exercise_set``; [] when it is sound."""
    problems = []
    for question in exercise_set:
        problems += solution_problems(exercise_set, question)
        problems += reference_problems(question)
        problems += mistake_problems(question)
    return problems
