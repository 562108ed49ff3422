"""A wrong answer with a known fingerprint names its likely cause: the catalogued bugs that
have one are named, in the failure's own words."""

import re

import pytest

from backprop_dojo.exercises import EXERCISES
from backprop_dojo.verdict import run
from tests.bugs import BUGS

NAMED = {
    ("batchnorm_backward", "forgets the term through the mean"): "without the term through the mean",
    ("batchnorm_backward_alt", "forgets the term through the mean"): "without the term through the mean",
    ("batchnorm_backward", "forgets the term through the variance"): "without the term through the variance",
    ("rnn_step_backward", "dWh transposed"): "the transpose of the right answer",
    ("attention_backward", "forgets the scale in dq"): "exactly 2x too large",
    ("softmax_loss", "does not average dx"): "exactly 5 times the right value",
    ("affine_backward", "averages db over the batch"): "exactly 0.2 times the right value",
    ("svm_loss_naive", "regularisation gradient off by 2"): "the regularisation term of your dW is off by a factor of 2",
}


@pytest.mark.parametrize("exercise, mistake", NAMED, ids=lambda part: part if isinstance(part, str) else None)
def test_a_known_mistake_is_named(exercise, mistake):
    (bug,) = [bug for bug in BUGS if (bug.exercise, bug.mistake) == (exercise, mistake)]
    messages = [o.message for o in run(EXERCISES[exercise], bug.learner()).values() if o.status == "failed"]
    (cause,) = [line for line in messages[0].splitlines() if line.strip().startswith("likely cause:")]
    assert NAMED[exercise, mistake] in cause


def test_every_gradient_of_a_backward_gets_a_line():
    (bug,) = [bug for bug in BUGS if bug.mistake == "averages db over the batch"]
    (message,) = [o.message for o in run(EXERCISES["affine_backward"], bug.learner()).values()]
    lines = message.split("every gradient:\n")[1].splitlines()
    assert [line.split()[0] for line in lines[:3]] == ["dx", "dw", "db"]
    statuses = [re.search(r" (match|close|wrong)\b", line)[1] for line in lines[:3]]
    assert statuses[2] == "wrong" and set(statuses[:2]) <= {"match", "close"}  # exact or within rounding
