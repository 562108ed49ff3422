"""Replayed examples (backprop_dojo/recorded.py) run the learner's code as Hypothesis's own
run does: each example under the global PRNG states Hypothesis gives it, a failing one run
again under them too, and the states as they were once the run ends."""

import random

import numpy as np
import pytest
from hypothesis import strategies as st

from backprop_dojo import verdict
from backprop_dojo.exercises import EXERCISES
from backprop_dojo.learner import load
from backprop_dojo.plugin import REFERENCE
from backprop_dojo.run_config import RunConfig

RUN = RunConfig(examples=6)


def learner_drawing_from_the_global_prngs():
    """A check whose "learner's code" reads both global PRNGs and writes down what it got;
    once `fails_on` is set, an example drawing that number fails."""
    seen = []

    def check(exercise, learner, data, run_config):
        n = data.draw(st.integers(0, 10**6), label="n")
        seen.append((n, random.random(), float(np.random.rand())))
        if n == check.fails_on:
            raise AssertionError("fails")

    check.seen, check.fails_on = seen, None
    return check


def run(check):
    verdict.examples(check, EXERCISES["relu_forward"], load(REFERENCE), RUN)()


def test_each_replayed_example_draws_what_hypothesis_gave_it_and_the_states_come_back():
    check = learner_drawing_from_the_global_prngs()
    random.seed(12345), np.random.seed(54321)
    before = random.getstate(), np.random.get_state()[1].tolist()
    run(check)  # Hypothesis draws the examples and records them
    drawn = list(check.seen)
    check.seen.clear()
    run(check)  # replayed
    assert len(drawn) == RUN.examples and check.seen == drawn
    assert (random.getstate(), np.random.get_state()[1].tolist()) == before


def test_a_replayed_failure_is_run_again_under_the_same_states():
    check = learner_drawing_from_the_global_prngs()
    run(check)
    drawn = list(check.seen)
    check.seen.clear()
    check.fails_on = drawn[2][0]
    with pytest.raises(AssertionError):
        run(check)
    # the replayed examples up to the failing one, and that one again (Hypothesis's run then takes over)
    assert check.seen[:4] == drawn[:3] + [drawn[2]]
