"""The harness's own exceptions are not the learner's failures: a "grader error" scores
nothing, counts for nothing (max_score 0), is said loudly, makes the run exit 1 and is
regraded by the next run. A learner whose code gives different results for the same input
fails, with why, never with a Hypothesis error."""

import json
import os
import subprocess
import sys
import tempfile

import pytest

from backprop_dojo.cli import main
from backprop_dojo.exercises import EXERCISES
from backprop_dojo.grading import grade, sandbox
from backprop_dojo.grading.rubric import load as load_rubric
from tests.hostile import CORRECT

RUBRIC = "[grading]\nexamples = 3\nonly = ['relu_forward', 'affine_forward']\n"
UNREPEATABLE = CORRECT + """
np.random.seed(0)
_relu = relu_forward

def relu_forward(x):  # wrong one call in two, by chance
    out, cache = _relu(x)
    return (out + 1 if np.random.rand() < 0.5 else out), cache
"""


def submission(tmp_path, source: str = CORRECT, rubric: str = RUBRIC):
    (tmp_path / "alice").mkdir(exist_ok=True)
    (tmp_path / "alice" / "layers.py").write_text(source)
    (tmp_path / "rubric.toml").write_text(rubric)
    return ["grade", str(tmp_path / "alice"), "--out", str(tmp_path / "out"), "--rubric", str(tmp_path / "rubric.toml")]


def test_a_harness_exception_is_a_grader_error_counted_for_nothing_and_regraded(tmp_path, monkeypatch, capsys):
    def broken(exercise, *args):
        if exercise.name == "relu_forward":
            raise RuntimeError("a bug in the harness")
        return run(exercise, *args)

    run = grade.run
    monkeypatch.setattr(grade, "run", broken)  # the forked workers inherit it
    command = submission(tmp_path)
    assert main(command) == 1
    assert "GRADER ERROR alice: relu_forward" in " ".join(capsys.readouterr().err.split())
    result = json.loads((tmp_path / "out" / "alice" / "results.json").read_text())
    (relu,) = [test for test in result["tests"] if test["name"] == "relu_forward"]
    assert (relu["score"], relu["max_score"], relu["extra_data"]["verdict"]) == (0, 0, "grader error")
    assert "RuntimeError: a bug in the harness" in relu["output"] and "not your code" in relu["output"]
    assert "alice,1.0,1.0,1.0,grader error" in (tmp_path / "out" / "summary.csv").read_text()
    monkeypatch.undo()
    assert main(command) == 0  # not kept: graded again
    result = json.loads((tmp_path / "out" / "alice" / "results.json").read_text())
    assert result["score"] == 2 and {test["extra_data"]["verdict"] for test in result["tests"]} == {"passed"}


def test_a_learner_the_harness_cannot_start_is_a_grader_error_that_leaves_nothing_behind(tmp_path, monkeypatch):
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    monkeypatch.setattr(sandbox, "RUNNER", (*sandbox.RUNNER, tmp_path / "missing.py"))  # copied into each child's folder
    submission(tmp_path)
    result = grade.grade(tmp_path / "alice", load_rubric(tmp_path / "rubric.toml"), isolation="auto")
    assert {test["extra_data"]["verdict"] for test in result["tests"]} == {"grader error"}
    assert "missing.py" in result["tests"][0]["output"]
    assert list((tmp_path / "tmp").iterdir()) == []  # neither the submission's copy nor the child's folder


@pytest.mark.slow  # a Python process of its own, importing torch and the harness
def test_a_script_that_dies_with_a_learner_open_leaves_nothing_behind(tmp_path):
    (tmp_path / "tmp").mkdir()
    script = "from backprop_dojo.grading.sandbox import SandboxedLearner\n" \
             f"SandboxedLearner({str(tmp_path / 'alice')!r}, isolation='process')\nraise SystemExit('died')\n"
    submission(tmp_path)
    done = subprocess.run([sys.executable, "-c", script], env=os.environ | {"TMPDIR": str(tmp_path / "tmp")},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "died" in done.stderr
    assert list((tmp_path / "tmp").iterdir()) == []  # neither the submission's copy nor the child's folder


def test_a_learner_whose_results_change_for_the_same_input_fails_with_why(tmp_path):
    assert main(submission(tmp_path, UNREPEATABLE, RUBRIC.replace("examples = 3", "examples = 20"))) == 0
    result = json.loads((tmp_path / "out" / "alice" / "results.json").read_text())
    (relu,) = [test for test in result["tests"] if test["name"] == "relu_forward"]
    assert relu["extra_data"]["verdict"] == "failed"
    assert "your relu_forward gives different results for the same input" in relu["output"]
    assert "Flaky" not in relu["output"] and "Hypothesis" not in relu["output"]


def test_an_unrepeatable_dropout_is_told_to_use_its_seed():
    said = grade._unrepeatable(EXERCISES["dropout_forward"])
    assert said.startswith("your dropout_forward gives different results for the same input: seed it with "
                           "dropout_param['seed']")
    assert "dropout_forward must seed with dropout_param['seed']" in grade._unrepeatable(EXERCISES["FullyConnectedNet.loss"])


def test_the_summary_tells_a_broken_exercise_module_from_a_broken_helper(tmp_path):
    """As the learner's own run does: a module defining an exercise fails its exercises; a
    helper no exercise needs is a note."""
    command = submission(tmp_path, rubric="[grading]\nexamples = 2\nonly = ['relu_forward', 'sgd']\n")
    (tmp_path / "alice" / "optim.py").write_text("import no_such_package\n\ndef sgd(w, dw, config=None):\n    return w, config\n")
    (tmp_path / "alice" / "vis_utils.py").write_text("import no_such_plotting\n")
    assert main(command) == 0
    output = json.loads((tmp_path / "out" / "alice" / "results.json").read_text())["output"]
    assert "1 / 2 visible exercises pass." in output
    assert "Module optim failed to import (its exercises fail): " in output and "no_such_package" in output
    assert "Note: not imported, and not needed by any exercise: vis_utils (" in output
