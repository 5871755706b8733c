"""The nbgrader course that `course.py assignments` writes (issue 25), read without nbgrader:
one answer cell and one locked 1-point test cell per exercise, stable unique ids, every other
cell locked but the learner's predictions, class mode on. The real nbgrader grades it in
tests/test_classroom_nbgrader.py."""
import importlib.util
import json
from pathlib import Path

import nbformat
import pytest

from mlcore import exercises

REPO = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(p.stem for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
spec = importlib.util.spec_from_file_location("assignments", REPO / "classroom" / "assignments.py")
assignments = importlib.util.module_from_spec(spec)
spec.loader.exec_module(assignments)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return assignments.write_course(tmp_path_factory.mktemp("course"))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_exercise_has_an_answer_cell_and_a_locked_test_cell(course, chapter):
    notebook = nbformat.read(course / "source" / chapter / f"{chapter}.ipynb", as_version=4)
    nbformat.validate(notebook)
    meta = [cell.metadata.get("nbgrader") for cell in notebook.cells]
    ids = [m["grade_id"] for m in meta if m]
    assert len(ids) == len(set(ids))
    tag = chapter[:2]
    for question in exercises.load(chapter):
        test = [cell for cell in notebook.cells
                if cell.metadata.get("nbgrader", {}).get("grade_id") == f"ch{tag}-{question.key}"]
        answer = [cell for cell in notebook.cells
                  if cell.metadata.get("nbgrader", {}).get("grade_id") == f"ch{tag}-{question.key}-answer"]
        assert len(test) == 1 and len(answer) == 1, question.key
        assert test[0].metadata.nbgrader == {"schema_version": 3, "grade_id": f"ch{tag}-{question.key}",
                                             "solution": False, "grade": True, "locked": True, "points": 1}
        assert test[0].source.startswith("### BEGIN HIDDEN TESTS\nimport os\nos.environ['MLCORE_GRADING'] = '1'")
        assert test[0].source.count(f"ex.{question.key}.check(") == 1      # run once: it may train
        assert answer[0].metadata.nbgrader["solution"] and not answer[0].metadata.nbgrader["grade"]
        assert "### BEGIN SOLUTION" in answer[0].source and question.solution_code.splitlines()[0] in answer[0].source
        assert notebook.cells.index(answer[0]) + 1 == notebook.cells.index(test[0])


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_other_cells_are_locked_but_predictions_stay_editable(course, chapter):
    notebook = nbformat.read(course / "source" / chapter / f"{chapter}.ipynb", as_version=4)
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader")
        if assignments.PREDICTION.search(cell.source) and cell.cell_type == "code":
            assert meta is None
        elif meta and not (meta["solution"] or meta["grade"]):
            assert meta["locked"]
        else:
            assert meta, cell.source[:60]
        assert cell.cell_type != "code" or cell.outputs == []
    assert json.loads((course / "source" / chapter / "mlcore-class.json").read_text()) == {"solutions": False}


def test_the_grading_switch_is_the_one_the_exercises_read():
    assert assignments.GRADING_VAR == exercises.GRADING_VAR


def test_an_exercise_checked_on_an_expression_is_refused():
    with pytest.raises(assignments.AssignmentError, match=r"ex.q1.check\(...\) must be given names.*'x \+ 1'"):
        assignments.split_exercise("x = ____\nex.q1.check(x + 1)")


def test_the_solution_binds_the_names_the_check_is_given():
    question = exercises.load(9).q1
    source = assignments.answer_source("a, b, c = ____, ____, ____", question, ["a", "b", "c"])
    namespace = {"np": __import__("numpy"), "ex": exercises.load(9), "____": exercises.____}
    exec(source, namespace)
    assert question.assess(namespace["a"], namespace["b"], namespace["c"]).outcome == "correct"
