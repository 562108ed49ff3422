"""Rubrics: checked against a schema (a misspelt key, an unknown exercise, a wrong type is an
error naming it, exit 2, no traceback); a default rubric per assignment, on which a perfect
assignment scores 100 %; the course year and conventions, a command-line flag winning."""

import json

import pytest

from backprop_dojo.cli import main
from backprop_dojo.exercises import EXERCISES
from backprop_dojo.grading import rubric
from tests.hostile import ROOT


@pytest.mark.parametrize(
    "text, says",
    [
        ("[exercises.relu_forward]\nvisibilty = 'hidden'", "exercises.relu_forward.visibilty: unknown key"),
        ("[grading]\nexampels = 3", "grading.exampels: unknown key"),
        ("[grade]\nexamples = 3", "unknown section [grade]"),
        ("[exercises.relu_fwd]\nweight = 2", "exercises.relu_fwd: no such exercise"),
        ("[grading]\nonly = ['relu_forward', 'relu_fwd']", "grading.only: no such exercise: 'relu_fwd'"),
        ("[grading]\nexamples = '20'", "grading.examples must be an integer, not '20'"),
        ("[grading]\nstrict = 1", "grading.strict must be true or false"),
        ("[defaults]\nweight = 'two'", "defaults.weight must be an integer or a number"),
        ("[defaults]\nvisibility = 'secret'", "defaults.visibility must be one of visible, hidden"),
        ("[grading]\nassignment = 4", "grading.assignment: no such assignment: 4"),
        ("[grading]\nassignment = 1\nonly = ['relu_forward']", "grading.only: not in assignment1: relu_forward"),
        ("[grading]\ncourse_year = 2015", "grading.course_year: no CS231n course of 2015"),
        ("[conventions]\ndropout-p = 'keep-ish'", "conventions.dropout-p must be one of keep, drop"),
        ("[conventions]\ndropout_p = 'drop'", "conventions.dropout_p: unknown key"),
        ("[grading\n", "rubric"),
    ],
)
def test_a_wrong_rubric_is_an_error_naming_what_is_wrong(text, says, tmp_path, capsys):
    (tmp_path / "rubric.toml").write_text(text)
    (tmp_path / "alice").mkdir()
    with pytest.raises(SystemExit) as stopped:
        main(["grade", str(tmp_path / "alice"), "--out", str(tmp_path / "out"), "--rubric", str(tmp_path / "rubric.toml")])
    error = capsys.readouterr().err
    assert stopped.value.code == 2
    assert says in error and "Traceback" not in error
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("given, assignment", [("1", "assignment1"), ("2", "assignment2"), (3, "assignment3"),
                                               ("extras", "extras")])
def test_each_assignment_has_a_default_rubric_of_its_own_exercises(given, assignment):
    counted = [item.exercise for item in rubric.load(None, given).items]
    assert counted == [name for name, exercise in EXERCISES.items() if exercise.assignment == assignment]


def test_a_perfect_assignment_scores_every_point(tmp_path):
    (tmp_path / "rubric.toml").write_text("[grading]\nassignment = 1\nexamples = 2\n")
    assert main(["grade", str(ROOT / "reference"), "--out", str(tmp_path / "out"), "--rubric", str(tmp_path / "rubric.toml"),
                 "--assignment", "1"]) == 0
    result = json.loads((tmp_path / "out" / "reference" / "results.json").read_text())
    assert result["score"] == sum(test["max_score"] for test in result["tests"]) == 8


def test_the_rubric_sets_year_and_conventions_and_a_flag_wins(tmp_path):
    (tmp_path / "rubric.toml").write_text("[grading]\ncourse_year = 2016\n[conventions]\nlinear-reg = 'full'\n")
    chosen = rubric.load(tmp_path / "rubric.toml")
    assert rubric.run_config(chosen).conventions == {"dropout-p": "drop", "linear-reg": "full", "adam-t": "0"}
    assert rubric.run_config(chosen, 2018, linear_reg="half").conventions == {"dropout-p": "keep", "linear-reg": "half",
                                                                              "adam-t": "0"}
