"""Class mode (issue 25): an instructor turns solution() off with MLCORE_SOLUTIONS=off or a
mlcore-class.json file; hints stay."""
import json

import numpy as np
import pytest

from mlcore import exercises


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in (exercises.ENV_VAR, exercises.GRADING_VAR, exercises.SOLUTIONS_VAR):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def solution_text(capsys, question):
    question.check(np.zeros((3, 3)))          # one attempt, so solution() answers at once
    capsys.readouterr()
    question.solution()
    return capsys.readouterr().out


def test_solutions_are_shown_by_default(capsys):
    q = exercises.load(9).q2
    assert exercises.solutions_allowed()
    assert "Solution" in solution_text(capsys, q) and "turned off" not in capsys.readouterr().out


@pytest.mark.parametrize("value", ["off", "0", "False", "no"])
def test_the_environment_variable_turns_solutions_off_but_not_hints(monkeypatch, capsys, value):
    monkeypatch.setenv("MLCORE_SOLUTIONS", value)
    q = exercises.load(9).q2
    shown = solution_text(capsys, q)
    assert "turned off for this class" in shown and "q2.hint()" in shown
    assert q.solution_code.splitlines()[0] not in shown
    q.hint()
    assert "Hint" in capsys.readouterr().out


def test_a_class_file_in_a_folder_above_turns_solutions_off(tmp_path, monkeypatch, capsys):
    (tmp_path / "mlcore-class.json").write_text(json.dumps({"solutions": False}))
    week = tmp_path / "source" / "09_convolution"
    week.mkdir(parents=True)
    monkeypatch.chdir(week)
    assert not exercises.solutions_allowed()
    assert "turned off" in solution_text(capsys, exercises.load(9).q2)
    monkeypatch.setenv("MLCORE_SOLUTIONS", "on")      # the variable wins over the file
    assert exercises.solutions_allowed()


def test_bad_settings_name_what_was_expected(tmp_path, monkeypatch):
    monkeypatch.setenv("MLCORE_SOLUTIONS", "maybe")
    with pytest.raises(ValueError, match="MLCORE_SOLUTIONS: expected 'on' or 'off', got 'maybe'"):
        exercises.solutions_allowed()
    monkeypatch.delenv("MLCORE_SOLUTIONS")
    (tmp_path / "mlcore-class.json").write_text("[false]")
    with pytest.raises(ValueError, match=r"mlcore-class.json: expected a JSON object .* got list"):
        exercises.solutions_allowed()
