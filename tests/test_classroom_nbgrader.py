"""The nbgrader course of every chapter, graded by the real nbgrader (issue 25).

``python3 course.py assignments`` writes the course; nbgrader generates each assignment and
autogrades four submissions per chapter, and the gradebook must say:

- ``reference`` (the reference solutions in every answer cell): full marks;
- ``blank`` (the release as handed out): zero, and the chapter's other cells ran without error;
- ``mistaken`` (each exercise's first typical mistake): zero on every exercise;
- ``tampered`` (mistakes, the test cells replaced by ``pass`` and the last one deleted): the
  same zero, because nbgrader restores locked test cells from its database.

Needs nbgrader (``MLCORE_TEST_CLASSROOM=1 python3 course.py test``); skips without it, fails
under CI.
"""
import copy
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from conftest import require_module

REPO = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(p.stem for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
STUDENTS = ("reference", "blank", "mistaken", "tampered")

pytestmark = pytest.mark.slow


def load_generator():
    spec = importlib.util.spec_from_file_location("assignments", REPO / "classroom" / "assignments.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def nbgrader(course, *args):
    """Run one nbgrader command in ``course`` with this Python's environment first on PATH
    (the grading kernel must have numpy and mlcore)."""
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def graded_cells(notebook, kind):
    return [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get(kind)]


def without_markers(source):
    """An answer cell's source as a student who wrote the reference solution would hand it in."""
    return "\n".join(line for line in source.splitlines()
                     if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))


def mistaken_answer(key, names):
    """Answer cell code that binds the check's ``names`` to question ``key``'s first typical
    mistake (for a question in parts: the first part's first mistake, the other parts right)."""
    return "\n".join([
        "from mlcore.exercises.registry import leaves, run_solution",
        f"_question = ex.{key}",
        "if hasattr(_question, 'parts'):",
        "    _part = leaves(_question)[0]",
        "    _answer = (_part.mistakes[0].example_answer(_part),) + tuple(run_solution(ex, _question)[1:])",
        "else:",
        "    _answer = _question.mistakes[0].example_answer(_question)",
        f"{', '.join(names)} = _answer",
    ])


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The gradebook after autograding all four students on every chapter, and the course folder."""
    require_module("nbgrader", "nbgrader is not installed; the classroom tests need nbgrader==0.9.6: "
                               "run `MLCORE_TEST_CLASSROOM=1 python3 course.py test`")
    course = tmp_path_factory.mktemp("classroom") / "course"
    generator = load_generator()
    generator.write_course(course)
    start = time.perf_counter()
    for chapter in CHAPTERS:
        nbgrader(course, "db", "assignment", "add", chapter)
        nbgrader(course, "generate_assignment", chapter, "--force")
    for student in STUDENTS:
        nbgrader(course, "db", "student", "add", student)
    for chapter in CHAPTERS:
        release = nbformat.read(course / "release" / chapter / f"{chapter}.ipynb", as_version=4)
        source = nbformat.read(course / "source" / chapter / f"{chapter}.ipynb", as_version=4)
        # a test cell ends in its check: ex.qN.check(names)
        names = {cell.metadata["nbgrader"]["grade_id"]: generator.split_exercise(cell.source.splitlines()[-1])
                 for cell in graded_cells(source, "grade") if not cell.metadata["nbgrader"]["solution"]}
        reference_code = {c.metadata["nbgrader"]["grade_id"]: without_markers(c.source)
                          for c in graded_cells(source, "solution")}
        for student in STUDENTS:
            notebook = copy.deepcopy(release)
            for cell in graded_cells(notebook, "solution"):
                if student == "reference":
                    cell.source = reference_code[cell.metadata["nbgrader"]["grade_id"]]
                elif student in ("mistaken", "tampered") and not cell.metadata["nbgrader"]["grade"]:
                    _, key, _, check_names = names[cell.metadata["nbgrader"]["grade_id"].removesuffix("-answer")]
                    cell.source = mistaken_answer(key, check_names)
            if student == "tampered":
                tests = graded_cells(notebook, "grade")
                tests = [c for c in tests if not c.metadata["nbgrader"].get("solution")]
                for cell in tests:
                    cell.source = "pass  # no test here"
                notebook.cells.remove(tests[-1])
            folder = course / "submitted" / student / chapter
            folder.mkdir(parents=True)
            nbformat.write(notebook, folder / f"{chapter}.ipynb")
            shutil.copy(course / "release" / chapter / "mlcore-class.json", folder)
        nbgrader(course, "autograde", chapter, "--force")
    seconds = time.perf_counter() - start
    print(f"\nnbgrader: {len(CHAPTERS)} chapters generated and autograded for {len(STUDENTS)} "
          f"students in {seconds:.0f} s")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {(chapter, student): (
            gradebook.find_submission(chapter, student).score,
            gradebook.find_assignment(chapter).max_score,
            {grade.name: grade.score for notebook in gradebook.find_submission(chapter, student).notebooks
             for grade in notebook.grades})
            for chapter in CHAPTERS for student in STUDENTS}
    return course, scores


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_reference_solutions_get_full_marks(graded, chapter):
    _, scores = graded
    score, maximum, per_cell = scores[chapter, "reference"]
    assert maximum > 0 and score == maximum, per_cell


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_blank_release_gets_zero_and_its_other_cells_run(graded, chapter):
    course, scores = graded
    score, _, per_cell = scores[chapter, "blank"]
    assert score == 0, per_cell
    notebook = nbformat.read(course / "autograded" / "blank" / chapter / f"{chapter}.ipynb", as_version=4)
    failed = [cell.source[:80] for cell in notebook.cells if cell.cell_type == "code"
              and not (cell.metadata.get("nbgrader", {}).get("solution")
                       or cell.metadata.get("nbgrader", {}).get("grade"))
              and any(output.output_type == "error" for output in cell.outputs)]
    assert failed == [], f"{chapter}: cells other than answers and tests raised: {failed}"


@pytest.mark.parametrize("student", ["mistaken", "tampered"])
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_typical_mistake_gets_zero_even_with_the_tests_edited_or_deleted(graded, chapter, student):
    _, scores = graded
    score, maximum, per_cell = scores[chapter, student]
    autograded = {name: value for name, value in per_cell.items() if not name.endswith("-answer")}
    assert maximum > 0 and score == 0 and len(autograded) == maximum, per_cell
