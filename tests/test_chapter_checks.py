"""Converted chapters read their checks as sentences and ask for a guess before each experiment.

A chapter joins CONVERTED once its checks are ``claim(...)``/``compare(...)`` sentences
and its widget questions are predictions: its notebook metadata then says
``"mlcore": {"edition": 3}`` (set by hand when the chapter's third edition is written, so
chapters revised in parallel never touch the same line). When every chapter says so, this
test takes them all.
"""
import json
import re
from pathlib import Path

import pytest

from mlcore import exercises

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

def edition(path):
    return json.loads(path.read_text())["metadata"].get("mlcore", {}).get("edition")


CONVERTED = sorted(path.stem for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb") if edition(path) == 3)
MAX_SHOWN_ASSERTS = 5          # raw asserts only where a learner need not read them
CALL = re.compile(r"\bex\.(p\d+)\.(predict|reveal)\(")


def code_cells(name):
    notebook = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text())
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def source(cell):
    return "".join(cell["source"])


@pytest.mark.parametrize("name", CONVERTED)
def test_checks_the_learner_reads_are_sentences_not_asserts(name):
    shown = [cell for cell in code_cells(name) if not cell["metadata"].get("jupyter", {}).get("source_hidden")]
    asserts = [line.strip() for cell in shown for line in source(cell).splitlines()
               if line.lstrip().startswith("assert ")]
    assert len(asserts) <= MAX_SHOWN_ASSERTS, f"{name}: raw asserts in cells a learner reads: {asserts}"


@pytest.mark.parametrize("name", CONVERTED)
def test_every_prediction_is_guessed_before_it_is_revealed_and_the_reveal_is_folded(name):
    calls = {}                                  # prediction -> {"predict": [cell index], "reveal": [...]}
    for index, cell in enumerate(code_cells(name)):
        for key, call in CALL.findall(source(cell)):
            calls.setdefault(key, {"predict": [], "reveal": []})[call].append(index)
            if call == "reveal":
                assert cell["metadata"].get("jupyter", {}).get("outputs_hidden"), \
                    f"{name}: the cell revealing {key} is stored with its output in view"
    declared = [prediction.key for prediction in exercises.load(name).predictions]
    assert declared and sorted(calls) == sorted(declared), f"{name}: used {sorted(calls)}, declared {declared}"
    for key, where in calls.items():
        assert len(where["predict"]) == 1 and len(where["reveal"]) == 1, f"{name}: {key} used {where}"
        assert where["predict"][0] < where["reveal"][0], f"{name}: {key} is revealed before it is guessed"
