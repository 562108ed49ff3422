"""Running an exercise's checks outside pytest: for the harness's own tests, and for
anyone who wants a verdict as data."""

from __future__ import annotations

from dataclasses import dataclass

import hypothesis
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

from .checks import CHECKS
from .learner import Learner, LearnerCrash, LearnerTimeout, NotImplementedExercise
from .specs import Exercise


@dataclass(frozen=True)
class Outcome:
    status: str  # "passed", "failed" or "skipped"
    message: str = ""


def run(exercise: Exercise, learner: Learner, max_examples: int = 25, seed: int | None = None) -> dict[str, Outcome]:
    """Each applicable check's outcome over `max_examples` examples, without shrinking: a
    verdict, not a minimal example. The examples are derandomized, the same every run,
    unless a seed draws others (an instructor's hidden grading). An error of Hypothesis
    itself is the harness's fault and is raised, not reported."""
    outcomes = {}
    for name in sorted(exercise.checks):
        examples = generated(CHECKS[name], exercise, learner, max_examples, seed)
        try:
            examples()
            outcomes[name] = Outcome("passed")
        except NotImplementedExercise as skipped:
            outcomes[name] = Outcome("skipped", skipped.msg)
        except HypothesisException:
            raise
        except (Exception, LearnerTimeout, LearnerCrash) as failure:
            outcomes[name] = Outcome("failed", f"{type(failure).__name__}: {failure}")
    return outcomes


def generated(check, exercise: Exercise, learner: Learner, max_examples: int, seed: int | None = None):
    """A function running `check(exercise, learner, data)` on each of `max_examples`
    generated examples, without shrinking."""

    @settings(
        max_examples=max_examples,
        derandomize=seed is None,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def examples(data):
        check(exercise, learner, data)

    return examples if seed is None else hypothesis.seed(seed)(examples)
