"""Conventions that changed across course years: chosen explicitly, never both accepted, and
a learner who follows the other one is told which flag selects it."""

import pytest

from backprop_dojo import conventions
from backprop_dojo.exercises import EXERCISES
from backprop_dojo.learner import Learner, index
from backprop_dojo.verdict import run
from tests import old_courses

FLAGS = {
    "svm_loss_vectorized": "--linear-reg half",
    "TwoLayerNet.loss": "--linear-reg half",
    "dropout_forward": "--dropout-p drop",
    "dropout_backward": "--dropout-p drop",
    "FullyConnectedNet.loss": "--dropout-p drop",
}


@pytest.fixture(scope="module")
def course_2016() -> Learner:
    learner = Learner(origin="CS231n 2016")
    index([old_courses], learner.functions)
    return learner


@pytest.mark.parametrize("name", FLAGS)
def test_the_other_convention_fails_and_names_its_flag(course_2016, name):
    outcomes = run(EXERCISES[name], course_2016)
    hinted = [o for o in outcomes.values() if o.status == "failed" and FLAGS[name] in o.message]
    assert hinted and "right under another convention" in hinted[0].message, outcomes


@pytest.mark.parametrize("name", FLAGS)
def test_the_course_year_selects_it(course_2016, name):
    with conventions.using(course_year=2016):
        outcomes = run(EXERCISES[name], course_2016)
    assert all(outcome.status == "passed" for outcome in outcomes.values()), outcomes


def test_a_flag_wins_over_the_course_year():
    assert conventions.choose(2016, dropout_p="keep") == {"dropout-p": "keep", "linear-reg": "half"}
    assert conventions.choose(2017) == {"dropout-p": "drop", "linear-reg": "full"}
    assert conventions.choose() == {"dropout-p": "keep", "linear-reg": "full"}
    with pytest.raises(ValueError, match="--dropout-p must be one of keep, drop"):
        conventions.choose(dropout_p="kept")


def test_the_current_conventions_reject_the_old_answers_and_the_old_reject_the_current():
    reference = Learner(origin="reference")
    from reference import layers

    index([layers], reference.functions)
    with conventions.using(course_year=2016):
        outcomes = run(EXERCISES["dropout_forward"], reference)
    assert any("--dropout-p keep" in o.message for o in outcomes.values()), outcomes
