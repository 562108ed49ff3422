"""The comparison: its tolerance policy and what its failure messages say."""

import numpy as np
import pytest

from backprop_dojo.compare import ATOL, RTOL, Mismatch, assert_close


def mismatch(expected, got) -> str:
    with pytest.raises(Mismatch) as error:
        assert_close(expected, got, exercise="batchnorm_backward", output="dgamma")
    return str(error.value)


def test_message_names_exercise_output_shape_worst_element_and_tolerance():
    expected = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    got = expected.copy()
    got[1, 2] = 6.5
    got[0, 0] = 1.1
    message = mismatch(expected, got)
    assert message.startswith("batchnorm_backward: dgamma is wrong: 2 of 6 elements")
    assert "shape (2, 3) float64" in message
    assert "greatest absolute difference 0.5 at [1, 2]: expected 6, got 6.5" in message
    assert "greatest relative difference 0.1 at [0, 0]: expected 1, got 1.1" in message
    assert f"tolerance {RTOL:g} * max|expected| (6) + {ATOL:g}" in message


def test_tolerance_scales_with_the_largest_expected_magnitude():
    expected = np.array([1e3, 1e-3])
    assert_close(expected, expected + [0.0, 5e-5], exercise="e", output="out")
    mismatch(expected, expected + [0.0, 2e-4])


def test_rounding_of_an_equal_formula_passes_and_an_eps_misplacement_fails():
    rng = np.random.default_rng(0)
    var, eps = rng.uniform(0.5, 2, 100), 1e-5
    expected = 1 / np.sqrt(var + eps)
    assert_close(expected, np.sqrt(1 / (var + eps)), exercise="e", output="out")
    mismatch(expected, 1 / (np.sqrt(var) + eps))


def test_wrong_shape_says_so_and_hints_at_a_reshape():
    message = mismatch(np.zeros((2, 3, 4)), np.zeros((2, 12)))
    assert "has shape (2, 12), expected (2, 3, 4)" in message
    assert "reshape" in message


def test_wrong_dtype_none_and_non_arrays_are_named():
    assert "dtype float32, expected float64" in mismatch(np.zeros(3), np.zeros(3, np.float32))
    assert "is None" in mismatch(np.zeros(3), None)
    assert "should be a numpy array" in mismatch(np.zeros(3), [0.0, 0.0, 0.0])


def test_nan_is_located():
    got = np.array([1.0, np.nan, 3.0])
    assert "non-finite value(s), first nan at [1]" in mismatch(np.ones(3), got)


def test_scalars_accept_python_floats_and_one_element_arrays():
    expected = np.float64(2.5)
    for got in (2.5, np.float64(2.5), np.array([2.5])):
        assert_close(expected, got, exercise="svm_loss", output="loss")
    assert "should be a number" in mismatch(expected, np.array([2.5, 1.0]))
