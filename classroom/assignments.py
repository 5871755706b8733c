"""Write the course as an nbgrader course: ``python3 course.py assignments [--out DIR]``.

Every chapter becomes ``source/<chapter>/<chapter>.ipynb`` beside an ``nbgrader_config.py``:

- each exercise cell (the lines that define the answer, then ``ex.qN.check(...)``) becomes
  an **answer cell** (nbgrader ``solution``) holding the chapter's own lines with blanks and,
  between ``### BEGIN SOLUTION`` and ``### END SOLUTION``, the reference solution that
  ``ex.qN.solution()`` shows; and a locked, autograded **test cell** (``grade``, 1 point,
  ``grade_id`` such as ``ch09-q1``) that runs the check once, in graded mode when nbgrader
  grades (a hidden-tests block sets ``MLCORE_GRADING=1``), so a wrong or blank answer raises;
- a thought question (:class:`~mlcore.exercises.Thought`) becomes a manually graded cell;
- the learner's prediction cells (``ex.pN.predict(...)``) stay editable and ungraded;
- every other cell is locked (read-only, restored from the source when grading);
- ``mlcore-class.json`` beside each notebook turns ``solution()`` off (class mode).

Run with the course's Python (``course.py`` does): it reads the chapter notebooks and the
exercise modules of this checkout.
"""
import argparse
import ast
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CHECK = re.compile(r"^ex\.(q\d+)\.check\((.*)\)\s*$")
PREDICTION = re.compile(r"\bex\.p\d+\.predict\(")
POINTS = 1
GRADING_VAR = "MLCORE_GRADING"      # mlcore.exercises.GRADING_VAR: checks raise when it is 1
STUB = "# YOUR ANSWER: fill in the lines above (or replace this cell's code), then delete the next line.\n" \
       "raise NotImplementedError()"
CONFIG = f'''"""nbgrader configuration of the mlcore course (written by `python3 course.py assignments`).

Run nbgrader from this folder with the course's environment first on PATH, so the grading
kernel has numpy and mlcore: `PATH=<repo>/.venv/bin:$PATH nbgrader ...`.
"""
import os

# One BLAS thread per grading kernel, as `course.py` runs the chapters: the course's matrices
# are small, and two spinning threads per kernel on a busy grading server made cells 3-8x
# slower (over nbgrader's 30 s cell timeout).
for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(name, "1")

c = get_config()  # noqa: F821 (nbgrader defines it)
c.CourseDirectory.course_id = "mlcore"
c.ClearSolutions.code_stub = {{"python": {STUB!r}}}
'''


class AssignmentError(ValueError):
    """A chapter cell the generator cannot turn into an answer and a test."""


def chapters():
    """The chapter notebooks, in order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def chapter_tag(stem):
    return f"ch{stem[:2]}"


def nbgrader(grade_id, *, solution=False, grade=False, locked=False, points=None):
    """The ``metadata.nbgrader`` dict of one cell (schema 3)."""
    meta = {"schema_version": 3, "grade_id": grade_id, "solution": solution, "grade": grade,
            "locked": locked}
    if grade:
        meta["points"] = points
    return meta


def split_exercise(source):
    """``(answer lines, key, check line, names)`` of a cell ending in ``ex.qN.check(...)``,
    or None. ``names``: the plain names passed to check (a leading ``*`` dropped)."""
    lines = source.rstrip().splitlines()
    if not lines:
        return None
    match = CHECK.match(lines[-1].strip())
    if not match:
        return None
    key, arguments = match.groups()
    names = []
    for argument in (ast.parse(f"f({arguments})").body[0].value.args if arguments.strip() else []):
        if isinstance(argument, ast.Starred):
            argument = argument.value
        if not isinstance(argument, ast.Name):
            raise AssignmentError(f"ex.{key}.check(...) must be given names (the answer cell's "
                                  f"variables), got {ast.unparse(argument)!r}")
        names.append(argument.id)
    return "\n".join(lines[:-1]).rstrip(), key, lines[-1].strip(), names


def bound_names(code):
    """The names ``code`` binds at its top level (assignments, functions, classes)."""
    bound = set()
    for node in ast.parse(code).body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node] if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else []
        for target in targets:
            if isinstance(target, (ast.FunctionDef, ast.ClassDef)):
                bound.add(target.name)
            else:
                bound |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return bound


def answer_source(answer_lines, question, names):
    """The answer cell: the chapter's lines, then the reference solution between the markers."""
    solution = question.solution_code.rstrip()
    if set(names) - bound_names(solution):
        solution += f"\n{', '.join(names)} = {question.solution_name}"
    return "\n".join(part for part in [answer_lines, "### BEGIN SOLUTION", solution,
                                       "### END SOLUTION"] if part)


def test_source(check_line):
    """The test cell: graded mode switched on in a hidden-tests block (nbgrader puts it back
    only when it grades), then the check, run once: the learner sees its feedback, the
    autograder sees it raise on a wrong or blank answer. Once, because a behaviour check may
    train the learner's object."""
    return "\n".join(["### BEGIN HIDDEN TESTS", "import os",
                      f"os.environ[{GRADING_VAR!r}] = '1'   # grading: a wrong or blank answer raises",
                      "### END HIDDEN TESTS", check_line])


def assignment(path):
    """The nbgrader source notebook of the chapter at ``path``."""
    from mlcore import exercises

    stem = path.stem
    tag = chapter_tag(stem)
    exercise_set = exercises.load(stem)
    notebook = nbformat.read(path, as_version=4)
    cells, seen = [], set()
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        found = split_exercise(cell.source) if cell.cell_type == "code" else None
        if found:
            answer_lines, key, check_line, names = found
            question = getattr(exercise_set, key)
            seen.add(key)
            if isinstance(question, exercises.Thought):
                cell.source = answer_lines
                cell.metadata["nbgrader"] = nbgrader(f"{tag}-{key}", solution=True, grade=True,
                                                     points=POINTS)
                cells.append(cell)
                continue
            if not (question.solution_code and question.solution_name):
                raise AssignmentError(f"{stem}: {key} has no solution code to put in the answer cell")
            answer = nbformat.v4.new_code_cell(answer_source(answer_lines, question, names))
            answer.metadata["nbgrader"] = nbgrader(f"{tag}-{key}-answer", solution=True)
            test = nbformat.v4.new_code_cell(test_source(check_line))
            test.metadata["nbgrader"] = nbgrader(f"{tag}-{key}", grade=True, locked=True,
                                                 points=POINTS)
            cells += [answer, test]
        elif cell.cell_type == "code" and PREDICTION.search(cell.source):
            cell.metadata.pop("nbgrader", None)               # the learner's guess: editable
            cells.append(cell)
        else:
            cell.metadata["nbgrader"] = nbgrader(f"{tag}-cell-{index:02d}", locked=True)
            cells.append(cell)
    missing = sorted(set(q.key for q in exercise_set) - seen)
    if missing:
        raise AssignmentError(f"{stem}: no cell ends in ex.<key>.check(...) for {missing}")
    notebook.cells = cells
    notebook.metadata.pop("widgets", None)                    # stored widget state: not for grading
    return notebook


def write_course(out):
    """Write ``nbgrader_config.py`` and ``source/<chapter>/`` for every chapter into ``out``."""
    out = Path(out)
    (out / "source").mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    for path in chapters():
        folder = out / "source" / path.stem
        folder.mkdir(exist_ok=True)
        nbformat.write(assignment(path), folder / path.name)
        (folder / "mlcore-class.json").write_text(json.dumps({"solutions": False}) + "\n",
                                                   encoding="utf-8")
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "nbgrader-course"),
                        help="the nbgrader course folder to write (default: nbgrader-course/)")
    args = parser.parse_args(argv)
    out = write_course(args.out)
    print(f"wrote {len(chapters())} assignments to {out / 'source'} and {out / 'nbgrader_config.py'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
