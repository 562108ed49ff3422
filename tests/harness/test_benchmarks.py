"""The benchmark compares real work: a numerical check that finds the true gradients, a
verdict that can fail, and a reference and a torch computation that find the same gradients."""

import os
import subprocess
import sys
import time

import numpy as np
import pytest
import torch

from backprop_dojo.checks import as_tensors
from backprop_dojo.compare import Mismatch
from backprop_dojo.exercises import EXERCISES
from backprop_dojo.learner import load
from backprop_dojo.plugin import REFERENCE
from benchmarks.cases import NOTEBOOK_EXERCISES, REALISTIC, notebook_case
from benchmarks.grading_scale import Peaks, tree
from benchmarks.reference_speed import computations
from benchmarks.verdict_cost import numerical_gradients, verdict
from tests.bugs import BUGS


@pytest.mark.parametrize("name", ["affine_forward", "conv_forward_naive", "spatial_groupnorm_forward"])
def test_the_numerical_check_finds_torchs_gradients(name):
    spec, case = EXERCISES[name].spec, notebook_case(name)
    tensors = as_tensors(case, spec.grads)
    out = spec.oracle(**{key: tensors[key] for key in spec.signature})
    dout = np.random.default_rng(1).standard_normal(out.shape)
    expected = torch.autograd.grad(out, [tensors[g] for g in spec.grads], torch.from_numpy(dout))
    numerical = numerical_gradients(name, case, load(REFERENCE), dout)
    for wrt, grad in zip(spec.grads, expected):
        np.testing.assert_allclose(numerical[wrt], grad.numpy(), rtol=1e-5, atol=1e-7)


def test_the_timed_verdict_passes_the_reference_and_fails_a_bug():
    reference = load(REFERENCE)
    for name in NOTEBOOK_EXERCISES:
        verdict(name, notebook_case(name), reference)
    bug = next(bug for bug in BUGS if bug.exercise == "batchnorm_backward")
    with pytest.raises(Mismatch, match="batchnorm_backward: dx is wrong"):
        verdict("batchnorm_forward", notebook_case("batchnorm_forward"), bug.learner())


@pytest.mark.parametrize("name", REALISTIC)
def test_the_reference_and_torch_are_timed_on_the_same_computation(name):
    reference, with_torch = computations(name, load(REFERENCE))
    ours = reference()
    for got, expected in zip(ours if isinstance(ours, tuple) else (ours,), with_torch(), strict=True):
        np.testing.assert_allclose(got, expected.numpy(), rtol=1e-6, atol=1e-9)


def test_the_scale_peaks_see_every_process_below_the_grader():
    """A child holding 100 MB is in the sampled tree, and its memory in the peaks."""
    child = subprocess.Popen([sys.executable, "-c", "import sys, time; b = b'x' * 100 * 2**20; print(flush=True); time.sleep(60)"],
                             stdout=subprocess.PIPE)
    try:
        child.stdout.readline()
        assert child.pid in tree(os.getpid())
        peaks = Peaks()
        peaks.sample()
        assert peaks.largest >= 100 * 2**20 and peaks.memory >= peaks.largest * 0.9 and peaks.files >= 3
    finally:
        child.kill()
        child.wait()
