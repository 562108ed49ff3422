"""The exercise suite: each generic check runs over every exercise it applies to.

Node ids carry the CS231n function name, e.g. test_backward[batchnorm_backward], so
`-k batchnorm_backward` selects it. The learner's code comes from --impl (default reference/).
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backprop_dojo import checks
from backprop_dojo.exercises import having


@pytest.mark.parametrize("exercise", having("forward"), ids=str)
@given(data=st.data())
def test_forward(exercise, learner, data):
    """The forward output (or loss) equals torch's, with the right shape and dtype
    (and a vectorised exercise holds no Python loop)."""
    checks.forward(exercise, learner, data)


@pytest.mark.parametrize("exercise", having("backward"), ids=str)
@given(data=st.data())
def test_backward(exercise, learner, data):
    """Every returned gradient equals torch.autograd's for a random upstream gradient."""
    checks.backward(exercise, learner, data)


@pytest.mark.parametrize("exercise", having("state"), ids=str)
@given(data=st.data())
def test_state(exercise, learner, data):
    """Running statistics are written back after each train call and used in test mode."""
    checks.state(exercise, learner, data)


@pytest.mark.parametrize("exercise", having("randomness"), ids=str)
@given(data=st.data())
def test_randomness(exercise, learner, data):
    """Masks keep units at the rate p, are reproducible under a seed and fresh without one."""
    checks.randomness(exercise, learner, data)


@pytest.mark.parametrize("exercise", having("model"), ids=str)
@given(data=st.data())
def test_model(exercise, learner, data):
    """A network's loss and every parameter's gradient, by name, equal torch.autograd's."""
    checks.model(exercise, learner, data)


@pytest.mark.parametrize("exercise", having("steps"), ids=str)
@given(data=st.data())
def test_steps(exercise, learner, data):
    """Consecutive update steps, the config carried between them, equal torch.optim's."""
    checks.steps(exercise, learner, data)
