"""Conventions that changed across course years: chosen explicitly, never both accepted, and
a learner who follows the other one is told which flag selects it, or, when the learner gave
a course year, that the other one is not that year's. The choices of every year come from
one table, courses.py. Rules with several valid forms (Adam's eps) accept each of them."""

import dataclasses

import numpy as np
import pytest
from hypothesis import strategies as st

from backprop_dojo import conventions, courses
from backprop_dojo.exercises import EXERCISES
from backprop_dojo.learner import Learner, index
from backprop_dojo.run_config import RunConfig
from backprop_dojo.verdict import run
from tests import old_courses
from tests.alternatives import optimizer_forms

OLD = {  # exercise: (the flag that selects its convention, the course year that used it)
    "svm_loss_vectorized": ("--linear-reg half", 2016),
    "TwoLayerNet.loss": ("--linear-reg half", 2016),
    "dropout_forward": ("--dropout-p drop", 2016),
    "dropout_backward": ("--dropout-p drop", 2016),
    "FullyConnectedNet.loss": ("--dropout-p drop", 2016),
    "adam": ("--adam-t 1", 2017),
}


def learner_of(*modules) -> Learner:
    learner = Learner(origin=", ".join(module.__name__ for module in modules))
    index(list(modules), learner.functions)
    return learner


@pytest.fixture(scope="module")
def old() -> Learner:
    return learner_of(old_courses)


@pytest.fixture(scope="module")
def reference() -> Learner:
    from reference import layers, optim

    return learner_of(layers, optim)


def failures(outcomes) -> list[str]:
    return [outcome.message for outcome in outcomes.values() if outcome.status == "failed"]


def told(name: str, learner: Learner) -> list[str]:
    """The failure messages of an exercise and of the exercise a "not checked" names as the
    one to fix first (a backward whose forward fails is not checked itself)."""
    outcomes = run(EXERCISES[name], learner)
    culprits = {getattr(outcome, "culprit", "") for outcome in outcomes.values()} - {""}
    return failures(outcomes) + [message for culprit in sorted(culprits) for message in told(culprit, learner)]


@pytest.mark.parametrize("name", OLD)
def test_the_other_convention_fails_and_names_its_flag(old, name):
    messages = told(name, old)
    hinted = [message for message in messages if OLD[name][0] in message]
    assert hinted and "right under another convention" in hinted[0], messages


@pytest.mark.parametrize("name", OLD)
def test_the_course_year_selects_it(old, name):
    outcomes = run(EXERCISES[name], old, RunConfig(OLD[name][1]))
    assert all(outcome.status == "passed" for outcome in outcomes.values()), outcomes


@pytest.mark.parametrize("name, year", [("dropout_forward", 2016), ("adam", 2017)])
def test_under_a_course_year_the_hint_names_the_years_and_suggests_no_flag(reference, name, year):
    """The reference follows the current conventions: under an older course year it fails,
    and the hint says what that year uses instead of offering a flag that contradicts it."""
    messages = failures(run(EXERCISES[name], reference, RunConfig(year)))
    assert messages, f"{name} passed under {year}"
    message = messages[0]
    assert f"follows another convention, not CS231n {year}'s" in message, message
    convention = conventions.CONVENTIONS[EXERCISES[name].spec.course_convention]
    assert f"CS231n {year}, the course year of this run, uses: {convention.choices[conventions.choose(year)[convention.name]]}" in message
    other = conventions.choose()[convention.name]
    assert f"(CS231n {conventions.years_using(convention.name, other)})" in message
    assert "--" not in message, message


def test_a_flag_given_with_the_course_year_keeps_the_flag_hint(old):
    messages = failures(run(EXERCISES["dropout_forward"], old, RunConfig.of(2018, dropout_p="keep")))
    assert messages and "run with --dropout-p drop" in messages[0], messages


def test_a_flag_wins_over_the_course_year():
    assert conventions.choose(2016, dropout_p="keep") == {"dropout-p": "keep", "linear-reg": "half", "adam-t": "0"}
    assert conventions.choose(2017) == {"dropout-p": "drop", "linear-reg": "full", "adam-t": "1"}
    assert conventions.choose() == {"dropout-p": "keep", "linear-reg": "full", "adam-t": "0"}
    with pytest.raises(ValueError, match="--dropout-p must be one of keep, drop"):
        conventions.choose(dropout_p="kept")


def test_a_run_config_holds_the_course_year_its_flags_and_their_choices():
    chosen = RunConfig.of(2017, adam_t="0", dropout_p=None)
    assert (chosen.course_year, chosen.flagged) == (2017, frozenset({"adam-t"}))
    assert chosen.conventions == {"dropout-p": "drop", "linear-reg": "full", "adam-t": "0"}
    assert RunConfig().course_year is None and RunConfig().conventions == conventions.choose()
    with pytest.raises(ValueError, match="--adam-t must be one of 0, 1"):
        RunConfig.of(adam_t="2")


def test_the_year_table_drives_choose(monkeypatch):
    for year, known in courses.COURSES.items():
        assert conventions.choose(year) == known.conventions
    edited = dataclasses.replace(courses.course(2020), conventions={"dropout-p": "drop", "linear-reg": "half", "adam-t": "1"})
    monkeypatch.setitem(courses.COURSES, 2020, edited)
    assert conventions.choose(2020) == edited.conventions


def test_every_year_has_every_convention_and_only_registered_exercises():
    for known in courses.COURSES.values():
        assert set(known.conventions) == set(conventions.CONVENTIONS)
        assert all(choice in conventions.CONVENTIONS[name].choices for name, choice in known.conventions.items())
        assert set(known.assignments) | known.in_pytorch <= set(EXERCISES), known.year
    assert courses.course(2017).conventions["adam-t"] == "1"
    assert courses.course(2025).plain_fully_connected_net and not courses.course(2024).plain_fully_connected_net
    assert "layernorm_forward" not in courses.course(2017).assignments
    assert courses.course(2018).assignments["spatial_groupnorm_forward"] == "assignment2"


@pytest.mark.parametrize("year", [2015, 2031])
def test_an_unknown_course_year_is_refused(year):
    with pytest.raises(ValueError, match=f"no CS231n course year {year}; known: 2016-2025"):
        courses.course(year)
    with pytest.raises(ValueError, match=f"no CS231n course year {year}"):
        conventions.choose(year)


ADAM_CASES = [  # where the two forms of Adam differ by more than the tolerance
    {"w": np.array([0.12573022]), "dws": [np.array([-0.13210486])], "config": {"learning_rate": 1e-2}},
    {"w": np.array([0.12573022]), "dws": [np.array([-0.13210486])] * 3, "config": {"learning_rate": 1e-2, "epsilon": 1e-4}},
]


@pytest.mark.parametrize("case", ADAM_CASES, ids=["lr 1e-2", "epsilon 1e-4"])
def test_the_courses_efficient_adam_needs_the_forms_rule(case):
    exercise = EXERCISES["adam"]
    fixed = dataclasses.replace(exercise.spec, cases=st.just(case))
    standard_only = dataclasses.replace(fixed, forms=fixed.forms[:1])
    learner = learner_of(optimizer_forms)
    with_forms = run(dataclasses.replace(exercise, spec=fixed), learner, RunConfig(examples=1))
    without = run(dataclasses.replace(exercise, spec=standard_only), learner, RunConfig(examples=1))
    assert all(outcome.status == "passed" for outcome in with_forms.values()), with_forms
    assert failures(without) and "next_w after step 1 is wrong" in failures(without)[0], without


def test_a_wrong_adam_is_reported_against_the_default_form_naming_every_form():
    from tests.bugs import optim

    bug = next(bug for bug in optim.BUGS if bug.mistake == "no bias correction")
    message = failures(run(EXERCISES["adam"], bug.learner()))[0]
    first, second = (name for name, _ in EXERCISES["adam"].spec.forms)
    assert f"valid forms, none matched (differences shown against the first): {first}; or {second}" in message
