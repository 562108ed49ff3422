"""A spec that cannot work is refused when it is declared, naming the spec and the field,
instead of reaching a learner as a KeyError or a TypeError from a lambda."""

import pytest
import torch.nn.functional as F
from hypothesis import strategies as st

from backprop_dojo.exercises import EXERCISES
from backprop_dojo.specs import Model, Optimizer, Spec, SpecError

CASES = st.just({})


def relu_spec(**changes) -> Spec:
    fields = {"forward": "relu_forward", "signature": ("x",), "cases": CASES, "oracle": lambda x: F.relu(x),
              "grads": ("x",), "backward": ("relu_backward",)}
    return Spec(**{**fields, **changes})


@pytest.mark.parametrize("changes, says", [
    ({"grads": ("X",)}, "Spec relu_forward: grads ['X']: not arguments of relu_forward('x',)"),
    ({"signature": ("x", "w"), "grads": ("x",)}, "oracle does not take ['w']"),
    ({"signature": ("alph",), "grads": (), "oracle": lambda alpha: alpha},
     "oracle needs ['alpha'], which the cases do not give (they give ['alph'])"),
    ({"cache": False}, "backward ['relu_backward']: a backward takes (dout, cache), but cache=False"),
    ({"backward": ("relu_backwrd",)}, "backward ['relu_backwrd']: a backward function's CS231n name holds 'backward'"),
    ({"cases": None}, "cases: none given"),
])
def test_a_misconfigured_spec_is_refused_with_its_field(changes, says):
    with pytest.raises(SpecError) as refused:
        relu_spec(**changes)
    assert says in str(refused.value)


def test_a_well_formed_spec_is_accepted():
    assert relu_spec().oracle_parameters == ("x",)


def test_models_and_optimizers_are_checked_too():
    with pytest.raises(SpecError, match=r"Model Net: oracle must take 5 arguments"):
        Model("Net", CASES, adapt=lambda a, b, c, d: ({}, {}), oracle=lambda params: 0)
    with pytest.raises(SpecError, match=r"Optimizer sgd: forms: none given"):
        Optimizer("sgd", CASES, forms=(), defaults={})


def test_every_check_template_is_registered_once_and_has_its_pytest_template():
    """checks.TEMPLATES is the one registry; exercise_tests.py holds test_<name> for each."""
    from backprop_dojo import exercise_tests
    from backprop_dojo.checks import TEMPLATES

    assert {name.removeprefix("test_") for name in vars(exercise_tests) if name.startswith("test_")} == set(TEMPLATES)
    assert all(exercise.checks <= TEMPLATES.keys() and exercise.checks for exercise in EXERCISES.values())
