"""Right values in a form the course does not ask for: an input changed in place, or a
(1, D) array where the docstring says (D,). The course's notebook accepts them, so they
pass, with a warning that names the argument (and the line) or the shape; under strict
grading (pytest --strict-forms, a rubric's `strict = true`) they fail."""

import re

import pytest

from backprop_dojo.exercises import EXERCISES
from backprop_dojo.run_config import RunConfig
from backprop_dojo.verdict import run, verdict
from tests.bugs import BUGS, Bug

RNN = "reference.rnn_layers"
LOOSE = [
    (Bug("relu_forward", "clamps x in place", "out = np.maximum(0, x)", "out = np.maximum(0, x, out=x)"),
     "relu_forward changed its input x in place at <relu_forward: clamps x in place>:"),
    (Bug("relu_backward", "zeroes dout in place", "dx = dout * (x > 0)", "dx = dout; dx[x <= 0] = 0"),
     "relu_backward changed its input dout in place at"),
    (Bug("softmax_loss", "shifts x in place", "shifted = x - x.max(axis=1, keepdims=True)",
         "shifted = x; shifted -= x.max(axis=1, keepdims=True)"),
     "softmax_loss changed its input x in place"),
    (Bug("lstm_step_backward", "adds into dnext_c", "dc = dnext_c + dnext_h * o * (1 - tanh_c**2)",
         "dc = dnext_c; dc += dnext_h * o * (1 - tanh_c**2)", RNN),
     "lstm_step_backward changed its input dnext_c in place"),
    (Bug("affine_backward", "db of shape (1, M)", "db = dout.sum(axis=0)", "db = dout.sum(axis=0, keepdims=True)"),
     "affine_backward: db has shape (1, "),
]


@pytest.mark.parametrize("edit, says", LOOSE, ids=lambda part: str(part).split(":")[0] if isinstance(part, Bug) else None)
def test_a_right_answer_in_a_loose_form_passes_with_a_warning_naming_it(edit, says):
    outcome = verdict(run(EXERCISES[edit.exercise], edit.learner()))
    assert outcome.status == "warned", outcome
    assert says.split(" at ")[0] in outcome.message
    if "has shape" in says:
        assert "where the course asks for (" in outcome.message and "its values are right" in outcome.message
    if " in place" in says:
        assert " at " in outcome.message and outcome.message.split(" at ")[1].split(";")[0].rsplit(":", 1)[1].isdigit()


@pytest.mark.parametrize("edit, says", LOOSE, ids=lambda part: str(part).split(":")[0] if isinstance(part, Bug) else None)
def test_strict_grading_fails_it(edit, says):
    outcome = verdict(run(EXERCISES[edit.exercise], edit.learner(), RunConfig(strict=True)))
    assert outcome.status == "failed", outcome
    assert "LooseForm" in outcome.message


def test_a_shape_the_notebook_would_not_accept_still_fails():
    """(C,) for groupnorm's (1, C, 1, 1) dgamma broadcasts to (1, C, 1, C) in the notebook's
    rel_error, which then fails: it is a wrong answer here too."""
    (bug,) = [b for b in BUGS if b.mistake == "dgamma of shape (C,)"]
    outcome = verdict(run(EXERCISES[bug.exercise], bug.learner()))
    assert outcome.status == "failed" and re.search(r"has shape \((\d+),\), expected \(1, \1, 1, 1\)", outcome.message), outcome
