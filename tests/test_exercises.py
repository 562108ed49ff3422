"""The exercise templates (backprop_dojo/exercise_tests.py) on the reference solutions, as
part of this repository's own suite; `pytest --impl PATH` runs them on a learner's code."""

from backprop_dojo.exercise_tests import test_backward, test_forward, test_model, test_randomness, test_state, test_steps

__all__ = ["test_backward", "test_forward", "test_model", "test_randomness", "test_state", "test_steps"]
