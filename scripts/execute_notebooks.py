#!/usr/bin/env python3
"""Re-execute chapter notebooks in place, the way their stored outputs are produced.

    python3 scripts/execute_notebooks.py                                  # every chapter
    python3 scripts/execute_notebooks.py notebooks/04_datasets_and_generalization.ipynb

The environment is the one ``python3 course.py test`` compares the stored
outputs in (course.py's own functions, imported): the course's ``.venv/``
(installed on first use), one BLAS thread, and Jupyter, IPython and
matplotlib writing into a temporary folder instead of the home directory.
Each notebook runs top to bottom in a fresh kernel started in its own folder,
as nbval starts it, and is saved with its outputs and widget state, without
per-cell execution timestamps, with each cell's printed text in one block
however the kernel happened to flush it, and with widget model ids numbered
in a fixed order instead of random: re-executing changes only what the code
prints and draws. A prediction's reveal cell (``ex.p1.reveal(...)``) is stored
with its output collapsed, so the answer is not in view before the guess. A cell that fails (unless tagged ``raises-exception``)
stops the run with its traceback; that notebook is left unchanged on disk,
the ones before it are already rewritten.

Standard library only; the kernels are driven by nbclient inside ``.venv/``
(this script runs itself again there).
"""
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IN_VENV = "--in-venv"  # internal: the second invocation, inside .venv's Python
TIMEOUT = 600          # seconds per cell; a chapter takes under 30 s in all
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MODEL_REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]{32})")


def widget_ids_in_order(notebook):
    """Every saved widget model id, in an order that does not depend on the ids.

    First the models the outputs display, cell by cell, each followed by the
    models it refers to (depth first); then any left over, by their content.
    """
    states = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    ordered = {}

    def visit(model_id):
        if model_id in states and model_id not in ordered:
            ordered[model_id] = None
            for child in MODEL_REFERENCE.findall(json.dumps(states[model_id], sort_keys=True)):
                visit(child)

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                visit(output["data"][WIDGET_VIEW]["model_id"])
    masked = {i: MODEL_REFERENCE.sub("", json.dumps(s, sort_keys=True)) for i, s in states.items()}
    for model_id in sorted(set(states) - set(ordered), key=masked.get):
        visit(model_id)
    return list(ordered)


def with_stable_widget_ids(notebook, name):
    """The notebook with each random widget model id replaced by a hash of (name, position)."""
    import nbformat

    text = nbformat.writes(notebook)
    for position, model_id in enumerate(widget_ids_in_order(notebook)):
        stable = hashlib.sha256(f"{name}:{position}".encode()).hexdigest()[:32]
        text = text.replace(model_id, stable)
    return nbformat.reads(text, as_version=4)


def hide_reveal_outputs(notebook):
    """Store each prediction's reveal cell with its output collapsed.

    A reveal cell is one tagged ``reveal`` or whose code calls ``.reveal(``
    (``ex.p1.reveal(measured)``). Its ``metadata.jupyter.outputs_hidden`` is set, so
    JupyterLab opens the stored chapter with the result folded and the book folds it
    like a solution: the learner guesses before seeing it. nbval still compares the output.
    """
    for cell in notebook.cells:
        if cell.cell_type == "code" and ("reveal" in cell.metadata.get("tags", [])
                                         or ".reveal(" in cell.source):
            cell.metadata.setdefault("jupyter", {})["outputs_hidden"] = True
    return notebook


def execute_in_place(paths):
    """Run each notebook in a fresh kernel and overwrite it with the new outputs."""
    import nbclient
    import nbformat

    for path in paths:
        print(f"execute_notebooks: {path.name}", flush=True)
        notebook = nbformat.read(path, as_version=4)
        client = nbclient.NotebookClient(notebook, timeout=TIMEOUT, record_timing=False,
                                         coalesce_streams=True,
                                         resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute()
        except nbclient.exceptions.CellExecutionError as error:
            print(error, file=sys.stderr)
            return f"execute_notebooks: {path.name} failed; it was not rewritten"
        nbformat.write(with_stable_widget_ids(hide_reveal_outputs(notebook), path.name), path)
    return 0


def notebook_paths(args):
    """The notebooks named on the command line, or every chapter; each must exist."""
    if not args:
        return sorted((ROOT / "notebooks").glob("*.ipynb"))
    paths = [Path(arg).resolve() for arg in args]
    for path in paths:
        if path.suffix != ".ipynb" or not path.is_file():
            sys.exit(f"execute_notebooks: expected paths of .ipynb files, got {str(path)!r}")
    return paths


def main(args):
    if args[:1] == [IN_VENV]:
        return execute_in_place([Path(arg) for arg in args[1:]])
    sys.path.insert(0, str(ROOT))
    import course

    paths = notebook_paths(args)
    course.ensure_installed("test")
    with tempfile.TemporaryDirectory(prefix="mlcore-execute-") as tmp:
        env = course.venv_environment()
        for name in course.HOME_WRITERS:
            env[name] = os.path.join(tmp, name.lower())
        command = [str(course.venv_python()), __file__, IN_VENV, *map(str, paths)]
        return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
