"""The grader checks a visible exercise on exactly the examples a learner's own pytest run
draws, example by example; an instructor's seed draws more, on top of those."""

import functools
import pickle

import pytest
from hypothesis import settings

from backprop_dojo.checks import CHECKS
from backprop_dojo.exercises import EXERCISES
from backprop_dojo.grading import grade, rubric
from backprop_dojo.learner import load
from backprop_dojo.plugin import REFERENCE
from backprop_dojo.run_config import DEFAULT_EXAMPLES

EXERCISES_DRAWN = ["affine_forward", "relu_backward", "batchnorm_forward", "dropout_forward", pytest.param("adam", marks=pytest.mark.slow)]


def recording(check, drawn: list):
    """The check, unchanged, also writing down every value it draws."""

    @functools.wraps(check)  # the same __name__: a check's seed is derived from it
    def recorded(exercise, learner, data, run_config):
        draw = data.draw
        data.draw = lambda strategy, label=None: _noted(drawn, draw(strategy, label))
        check(exercise, learner, data, run_config)

    return recorded


def _noted(drawn: list, value):
    drawn.append(pickle.dumps(value))
    return value


def graded_draws(exercise: str, learners: list, chosen: rubric.Rubric, monkeypatch) -> list[dict[str, list]]:
    """What `grade` draws for one exercise, for each learner in turn, with the rubric's
    examples and seed, through verdict.run: the first learner's examples come from
    Hypothesis, the next learners' are replayed (backprop_dojo/recorded.py)."""
    drawn = {name: [] for name in EXERCISES[exercise].checks}
    for name in drawn:
        monkeypatch.setitem(CHECKS, name, recording(CHECKS[name], drawn[name]))
    item = next(item for item in chosen.items if item.exercise == exercise)
    each = []
    for learner in learners:
        assert grade._test(item, learner, rubric.run_config(chosen))["status"] == "passed"
        each.append({name: list(values) for name, values in drawn.items()})
        for values in drawn.values():
            values.clear()
    monkeypatch.undo()
    return each


@pytest.mark.parametrize("exercise", EXERCISES_DRAWN)
def test_grade_draws_the_examples_of_a_learners_pytest_run(exercise, check_examples, learner, monkeypatch):
    assert settings.default.max_examples == rubric.load(None).examples == DEFAULT_EXAMPLES
    by_pytest = {name: [] for name in EXERCISES[exercise].checks}
    for name in by_pytest:
        check_examples(recording(CHECKS[name], by_pytest[name]), EXERCISES[exercise])
    by_grade, replayed = graded_draws(exercise, [learner, load(REFERENCE)], rubric.load(None), monkeypatch)
    assert all(len(drawn) >= DEFAULT_EXAMPLES for drawn in by_pytest.values())
    assert by_grade == by_pytest
    assert replayed == by_pytest


def test_an_instructor_seed_draws_more_examples_on_top_of_the_visible_ones(learner, monkeypatch, tmp_path):
    (tmp_path / "seeded.toml").write_text("[grading]\nseed = 7\nonly = ['affine_forward']\n")
    (seeded,) = graded_draws("affine_forward", [learner], rubric.load(tmp_path / "seeded.toml"), monkeypatch)
    (visible,) = graded_draws("affine_forward", [learner], rubric.load(None), monkeypatch)
    assert seeded["forward"][:len(visible["forward"])] == visible["forward"]
    hidden = seeded["forward"][len(visible["forward"]):]
    assert len(hidden) == len(visible["forward"])
    shared = set(hidden) & set(visible["forward"])  # Hypothesis may start both with its simplest case
    assert len(shared) <= len(visible["forward"]) // 4, f"{len(shared)} of {len(visible['forward'])} examples shared"
