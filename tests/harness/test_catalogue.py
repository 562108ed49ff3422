"""Both halves of the verdict: every catalogued bug fails its exercise, every correct
solution (the reference and the differently written alternatives) passes everything."""

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

from backprop_dojo.exercises import EXERCISES
from backprop_dojo.learner import Learner, index, load
from backprop_dojo.run_config import RunConfig
from backprop_dojo.verdict import afresh, run
from tests import alternatives
from tests.bugs import BUGS

ROOT = Path(__file__).resolve().parents[2]
ALTERNATIVES = [
    importlib.import_module(f"{alternatives.__name__}.{info.name}")
    for info in pkgutil.iter_modules(alternatives.__path__)
]


@pytest.mark.parametrize("bug", BUGS, ids=str)
def test_each_bug_fails_its_exercise(bug):
    outcomes = run(EXERCISES[bug.exercise], bug.learner())
    assert any(outcome.status == "failed" for outcome in outcomes.values()), outcomes


@pytest.mark.slow
def test_sharing_and_reuse_change_no_outcome():
    """Bug learners share the verdicts of the exercises their edit does not touch
    (tests/bugs/bug.py), and the process reuses examples and torch's answers: every bug's
    outcomes are those of a learner computing all afresh."""
    for bug in BUGS:
        fresh = bug.learner()
        fresh.dependency_verdicts = {}
        with afresh():
            computed = run(EXERCISES[bug.exercise], fresh)
        assert run(EXERCISES[bug.exercise], bug.learner()) == computed, bug


def test_every_exercise_has_a_bug_it_is_shown_to_catch():
    assert set(EXERCISES) - {bug.exercise for bug in BUGS} == set()


@pytest.mark.parametrize("folder", ["reference", "implementations"])
def test_every_exercise_has_a_reference_and_a_starter_stub(folder):
    found = load(ROOT / folder)
    assert not found.import_errors
    assert set(EXERCISES) - set(found.functions) == set()


def test_every_starter_stub_is_an_exercise_with_a_spec():
    """A stub left for the learner is registered, or is the constructor of a registered network."""
    stubs = load(ROOT / "implementations").functions
    left_to_write = {
        name for name, function in stubs.items()
        if inspect.isfunction(function) and "raise NotImplementedError" in inspect.getsource(function)
    }
    constructors = {name for name in left_to_write if name.endswith(".__init__")}
    assert {name.replace(".__init__", ".loss") for name in constructors} <= set(EXERCISES)
    assert left_to_write - constructors - set(EXERCISES) == set()


def _learner(module) -> Learner:
    learner = Learner(origin=module.__name__)
    index([module], learner.functions)
    return learner


def _written_in(module) -> list:
    """The (module, exercise) pairs whose functions the module defines, forward included."""
    functions = _learner(module).functions
    return [
        pytest.param(module, exercise, id=f"{exercise}-{module.__name__.rsplit('.', 1)[-1]}")
        for exercise in EXERCISES.values()
        if {exercise.name, exercise.spec.forward} <= functions.keys()
    ]


@pytest.mark.parametrize("module, exercise", [pair for module in ALTERNATIVES for pair in _written_in(module)])
def test_correct_alternatives_pass(module, exercise):
    outcomes = run(exercise, _learner(module))
    assert all(outcome.status == "passed" for outcome in outcomes.values()), outcomes


def test_starter_stubs_are_all_not_implemented():
    stubs = load(ROOT / "implementations")
    for exercise in EXERCISES.values():
        for check, outcome in run(exercise, stubs, RunConfig(examples=1)).items():
            assert outcome.status == "not implemented", (exercise.name, check, outcome)
            assert "not implemented" in outcome.message
