"""The exercise templates: each generic check runs over every exercise it applies to.
`pytest --impl PATH` (or `backprop-dojo check PATH`) collects this file from the installed
package; this repository's tests/test_exercises.py runs it on the reference solutions.

Node ids carry the CS231n function name, e.g. test_backward[batchnorm_backward], and
`-k batchnorm_backward` selects exactly that exercise (`-m batchnorm` its family).
Each check draws its examples from a fixed seed (backprop_dojo.verdict.examples): every run
checks the same ones, as `check()` and the grader do.
"""

import pytest

from backprop_dojo import checks
from backprop_dojo.exercises import having


@pytest.mark.parametrize("exercise", having("forward"), ids=str)
def test_forward(exercise, check_examples):
    """The forward output (or loss) equals torch's, with the right shape and dtype
    (and a vectorised exercise holds no Python loop)."""
    check_examples(checks.forward, exercise)


@pytest.mark.parametrize("exercise", having("backward"), ids=str)
def test_backward(exercise, check_examples):
    """Every returned gradient equals torch.autograd's for a random upstream gradient."""
    check_examples(checks.backward, exercise)


@pytest.mark.parametrize("exercise", having("state"), ids=str)
def test_state(exercise, check_examples):
    """Running statistics are written back after each train call and used in test mode."""
    check_examples(checks.state, exercise)


@pytest.mark.parametrize("exercise", having("randomness"), ids=str)
def test_randomness(exercise, check_examples):
    """Masks keep units at the rate p, are reproducible under a seed and fresh without one."""
    check_examples(checks.randomness, exercise)


@pytest.mark.parametrize("exercise", having("model"), ids=str)
def test_model(exercise, check_examples):
    """A network's loss and every parameter's gradient, by name, equal torch.autograd's."""
    check_examples(checks.model, exercise)


@pytest.mark.parametrize("exercise", having("steps"), ids=str)
def test_steps(exercise, check_examples):
    """Consecutive update steps, the config carried between them, equal torch.optim's."""
    check_examples(checks.steps, exercise)
