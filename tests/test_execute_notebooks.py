"""scripts/execute_notebooks.py: re-executing a notebook twice gives the same file."""
import importlib.util
import uuid
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("execute_notebooks",
                                              REPO / "scripts" / "execute_notebooks.py")
execute_notebooks = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(execute_notebooks)


def notebook_with_widgets(ids):
    """A box holding a slider and its layout, displayed by one cell, plus one model never shown."""
    box, slider, layout, hidden = ids
    nb = nbformat.v4.new_notebook()
    view = {execute_notebooks.WIDGET_VIEW: {"model_id": box, "version_major": 2, "version_minor": 0}}
    nb.cells = [nbformat.v4.new_code_cell("box", id="box", outputs=[
        nbformat.v4.new_output("display_data", data={**view, "text/plain": "VBox()"})])]
    states = {box: {"model_name": "VBoxModel", "state": {"children": [f"IPY_MODEL_{slider}"]}},
              slider: {"model_name": "IntSliderModel", "state": {"layout": f"IPY_MODEL_{layout}"}},
              layout: {"model_name": "LayoutModel", "state": {}},
              hidden: {"model_name": "LayoutModel", "state": {"width": "1px"}}}
    # the order the kernel happened to report them in: random, like the ids
    nb.metadata["widgets"] = {execute_notebooks.WIDGET_STATE: {
        "state": dict(sorted(states.items())), "version_major": 2, "version_minor": 0}}
    return nb


def test_widget_ids_are_renumbered_the_same_whatever_the_random_ids():
    runs = [[uuid.uuid4().hex for _ in range(4)] for _ in range(2)]
    stable = [execute_notebooks.with_stable_widget_ids(notebook_with_widgets(ids), "ch.ipynb")
              for ids in runs]
    assert nbformat.writes(stable[0]) == nbformat.writes(stable[1])
    text = nbformat.writes(stable[0])
    assert not any(old in text for old in runs[0])
    states = stable[0].metadata["widgets"][execute_notebooks.WIDGET_STATE]["state"]
    box = stable[0].cells[0].outputs[0]["data"][execute_notebooks.WIDGET_VIEW]["model_id"]
    slider = states[box]["state"]["children"][0].removeprefix("IPY_MODEL_")
    layout = states[slider]["state"]["layout"].removeprefix("IPY_MODEL_")
    assert states[slider]["model_name"] == "IntSliderModel" and layout in states
    assert len(states) == 4


@pytest.mark.slow
def test_execution_leaves_no_timestamps_and_one_block_of_text(tmp_path):
    path = tmp_path / "tiny.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import sys\nfor i in range(3):\n"
                                          "    print(i, flush=True)\n    sys.stdout.flush()")]
    nbformat.write(nb, path)
    assert execute_notebooks.execute_in_place([path]) == 0
    first = path.read_text()
    cell = nbformat.read(path, as_version=4).cells[0]
    assert "execution" not in cell.metadata
    assert [output.text for output in cell.outputs] == ["0\n1\n2\n"]
    assert execute_notebooks.execute_in_place([path]) == 0
    assert path.read_text() == first


def test_reveal_cells_are_stored_with_their_output_collapsed():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("ex.p1.predict(3)"),
                nbformat.v4.new_code_cell("ex.p1.reveal(first_to_diverge)"),
                nbformat.v4.new_code_cell("show(result)", metadata={"tags": ["reveal"]}),
                nbformat.v4.new_markdown_cell("Call `ex.p1.reveal(...)` after the run.")]
    execute_notebooks.hide_reveal_outputs(nb)
    hidden = [cell.metadata.get("jupyter", {}).get("outputs_hidden", False) for cell in nb.cells]
    assert hidden == [False, True, True, False]
