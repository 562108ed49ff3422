"""What a process computes once and reuses for every learner it checks, the examples each
check draws (recorded.py) and torch's answers to them (checks/answers.py), changes no
verdict and no message: every reconstructed course folder and every submission of the
hostile corpus gets the same outcomes as when everything is computed afresh, also when a
grading run computes them before its workers fork."""

import json
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from backprop_dojo.checks import answers, models
from backprop_dojo.grading import rubric
from backprop_dojo.grading import grade as grading
from backprop_dojo.grading.grade import grade, grade_all
from backprop_dojo.learner import load
from backprop_dojo.run_config import RunConfig
from backprop_dojo.specs import SpecError
from backprop_dojo.verdict import afresh, verdicts
from tests import hostile
from tests.courses.layouts import YEARS, build


def _outcomes(learner, run_config) -> dict:
    return {name: (o.status, o.message, o.culprit, o.reproducer) for name, o in verdicts(learner, run_config).items()}


def test_a_question_differing_in_one_bit_is_another_question():
    computed = []

    def ask(inputs):
        return answers.answer(np.sum, "outputs", None, inputs, lambda: computed.append(inputs) or len(computed))

    x = np.ones(3)
    one_bit_more = x.copy()
    one_bit_more[1] = np.nextafter(1.0, 2.0)
    assert [ask({"x": x}), ask({"x": x.copy()}), ask({"x": one_bit_more}), ask({"x": x.astype(np.float32)}),
            ask({"x": x, "eps": 1e-5}), ask({"x": x})] == [1, 1, 2, 3, 4, 1]
    assert [ask({"x": x, "dtype": np.float64}), ask({"x": x, "dtype": np.float32}), ask({"x": x, "dtype": np.float64})] == [5, 6, 5]


def test_a_networks_answer_is_remembered_unless_the_learners_dropout_masks_enter_it():
    computed = []

    def oracle(params, init, inputs, dropout, convention):
        computed.append(init["dropout"])
        mask = dropout((2,), {"p": 0.5, "seed": 0}) if init["dropout"] else np.ones(2)
        return (params["W"] * torch.as_tensor(mask)).sum()

    def loss(init, masks):
        spec = SimpleNamespace(cls="Net", oracle=oracle, masks=True)
        return models._torch(spec, {"W": np.ones(2)}, init, {}, lambda shape, param: masks, None)[0]

    assert [loss({"dropout": 0}, None), loss({"dropout": 0}, None)] == [2.0, 2.0] and computed == [0]
    assert [loss({"dropout": 0.5}, np.array([1.0, 0.0])), loss({"dropout": 0.5}, np.array([1.0, 1.0]))] == [1.0, 2.0]
    undeclared = SimpleNamespace(cls="Net", oracle=oracle, masks=False)  # its examples would be made ahead
    with pytest.raises(SpecError, match="Model Net: its oracle reads the learner's dropout masks; say masks=True"):
        models._torch(undeclared, {"W": np.ones(2)}, {"dropout": 0.5}, {}, lambda shape, param: None, None)


@pytest.mark.slow
@pytest.mark.parametrize("year_key", YEARS)
def test_reuse_changes_no_outcome_of_a_course_folder(year_key, tmp_path):
    for reconstruction in build(year_key, tmp_path):
        run_config = RunConfig(reconstruction.year)
        with afresh():
            fresh = _outcomes(load(reconstruction.folder), run_config)
        assert _outcomes(load(reconstruction.folder), run_config) == fresh, reconstruction


@pytest.mark.slow
def test_reuse_changes_no_grade_of_the_hostile_corpus(tmp_path):
    chosen = rubric.load(None, "assignment2")
    for folder in hostile.write(tmp_path / "submissions", tmp_path / "out"):
        with afresh():
            fresh = grade(folder, chosen, timeout=1, memory_mb=512)
        remembered = grade(folder, chosen, timeout=1, memory_mb=512)
        for result in (fresh, remembered):
            result.pop("execution_time")
        assert json.dumps(remembered, sort_keys=True) == json.dumps(fresh, sort_keys=True), folder.name


@pytest.mark.slow
def test_what_the_grader_computes_before_its_workers_fork_changes_no_grade(tmp_path, monkeypatch):
    chosen = rubric.load(None, "assignment2")
    folders = hostile.write(tmp_path / "submissions", tmp_path / "out")[:3]
    warmed, warm_up = [], grading._warm_up
    monkeypatch.setattr(grading, "_warm_up", lambda *args: warmed.append(warm_up(*args)))
    shared = grade_all(folders, tmp_path / "graded", chosen, jobs=2, timeout=1, memory_mb=512)
    assert len(warmed) == 1  # three submissions, two jobs: computed once, before the workers fork
    for folder in folders:
        with afresh():
            fresh = grade(folder, chosen, timeout=1, memory_mb=512)
        for result in (fresh, shared[folder.name]):
            result.pop("execution_time")
        assert json.dumps(shared[folder.name], sort_keys=True) == json.dumps(fresh, sort_keys=True), folder.name
