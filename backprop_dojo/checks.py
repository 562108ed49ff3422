"""The generic check templates. Each runs one example of one exercise: it draws a case from
the spec, calls the learner's functions, and compares with the spec's torch oracle.

Every check has the signature `check(exercise, learner, data)`, where `data` is
Hypothesis's `st.data()`; the pytest templates and `verdict.run` both drive them.
"""

from __future__ import annotations

import copy
import math
from contextlib import contextmanager

import numpy as np
import torch
from hypothesis import strategies as st

from .compare import Mismatch, assert_close
from .learner import Learner, NotImplementedExercise
from .specs import Exercise, Spec
from .strategies import seeds

# A kept fraction this many standard deviations from p happens by chance with
# probability below 1e-8: a failure means the learner keeps units at another rate.
KEEP_RATE_SIGMAS = 6.0


def forward(exercise: Exercise, learner: Learner, data) -> None:
    """The forward output (or the loss) matches torch on a random case."""
    spec = exercise.spec
    case = data.draw(spec.cases, label="case")
    result = learner.call(spec.forward, arguments(spec, case), spec.forward_returns)
    got = result[spec.forward_returns[0]]
    with _conventions(spec):
        assert_close(_oracle(spec, case, got), got, exercise=exercise.name, output=spec.forward_returns[0])


def backward(exercise: Exercise, learner: Learner, data) -> None:
    """Every gradient the learner returns matches torch.autograd for a random upstream
    gradient, the learner's backward being fed the learner's own forward cache."""
    spec = exercise.spec
    cases = spec.cases if spec.backward_cases is None else spec.backward_cases
    case = data.draw(cases, label="case")
    forward_result = _forward_for(exercise, learner, case)
    tensors = as_tensors(case, spec.grads)
    out = _oracle(spec, case, forward_result.get("out"), tensors)
    if spec.loss:
        grads, got = torch.autograd.grad(out, [tensors[g] for g in spec.grads]), forward_result
    else:
        rng = np.random.default_rng(data.draw(seeds, label="dout seed"))
        dout = rng.standard_normal(out.shape)
        grads = torch.autograd.grad(out, [tensors[g] for g in spec.grads], torch.from_numpy(dout))
        args = {"dout": dout, "cache": forward_result["cache"]}
        got = learner.call(exercise.name, args, spec.grad_names)
    with _conventions(spec):
        for name, expected in zip(spec.grad_names, grads):
            assert_close(expected, got[name], exercise=exercise.name, output=name)


def state(exercise: Exercise, learner: Learner, data) -> None:
    """The forward writes its statistics into the parameter dict after each train call,
    and test mode then normalises with them."""
    spec, declared = exercise.spec, exercise.spec.state
    case = data.draw(declared.cases, label="case")
    args = arguments(spec, case)
    param = args[declared.param]
    # copies: a learner may update the running statistics in place, which is allowed
    expected = {key: torch.tensor(param[key]) for key in declared.keys if key in param}
    with _conventions(spec):
        for step, batch in enumerate(case["batches"], 1):
            learner.call(spec.forward, {**args, "x": batch.copy()}, spec.forward_returns)
            expected = declared.update(torch.from_numpy(batch), expected, param)
            for key in declared.keys:
                if key not in param:
                    raise Mismatch(f"{exercise.name}: {declared.param}['{key}'] was not written back")
                output = f"{declared.param}['{key}'] after train call {step}"
                assert_close(expected[key], param[key], exercise=exercise.name, output=output)
        test_case = {**case, "x": case["x_test"], declared.param: {**param, "mode": "test"}}
        result = learner.call(spec.forward, arguments(spec, test_case), spec.forward_returns)
        test_param = {**param, "mode": "test", **{k: v.numpy() for k, v in expected.items()}}
        expected_out = _oracle(spec, {**test_case, declared.param: test_param}, None)
        assert_close(expected_out, result["out"], exercise=exercise.name, output="out in test mode")


def randomness(exercise: Exercise, learner: Learner, data) -> None:
    """Units are kept at the rate p, a seed reproduces the mask, and calls without a seed
    draw fresh masks."""
    spec, declared = exercise.spec, exercise.spec.random
    case = data.draw(declared.cases, label="case")
    case[declared.param].pop("seed", None)

    def mask(**param_changes) -> np.ndarray:
        args = arguments(spec, case)
        args[declared.param].update(param_changes)
        out = learner.call(spec.forward, args, spec.forward_returns)["out"]
        if not isinstance(out, np.ndarray) or out.shape != case["x"].shape:
            assert_close(case["x"], out, exercise=exercise.name, output="out")  # reports the shape
        return np.asarray(declared.mask(out))

    first = mask()
    keep, n = declared.keep(case[declared.param]), first.size
    sigma = math.sqrt(n * keep * (1 - keep))
    kept = int(np.count_nonzero(first))
    with _conventions(spec):
        if abs(kept - keep * n) > KEEP_RATE_SIGMAS * sigma:
            raise Mismatch(
                f"{exercise.name}: kept {kept} of {n} units ({kept / n:.3f}) with p = {keep:.3f}; "
                f"expected {keep * n:.0f} ± {KEEP_RATE_SIGMAS * sigma:.0f}"
            )
        if np.array_equal(first, mask()):
            raise Mismatch(f"{exercise.name}: two calls without a seed drew the same mask")
        seed = data.draw(st.integers(0, 2**32 - 2), label="seed")  # np.random.seed takes < 2**32
        if not np.array_equal(mask(seed=seed), mask(seed=seed)):
            raise Mismatch(f"{exercise.name}: two calls with the same seed drew different masks")
        if np.array_equal(mask(seed=seed), mask(seed=seed + 1)):
            raise Mismatch(f"{exercise.name}: different seeds drew the same mask")


CHECKS = {"forward": forward, "backward": backward, "state": state, "randomness": randomness}


def _forward_for(exercise: Exercise, learner: Learner, case: dict) -> dict:
    """The learner's forward result, whose cache feeds the learner's backward."""
    spec = exercise.spec
    try:
        return learner.call(spec.forward, arguments(spec, case), spec.forward_returns)
    except NotImplementedExercise as missing:
        if exercise.name == spec.forward:
            raise
        raise NotImplementedExercise(f"{exercise.name} needs the cache of {missing.msg}") from None


def arguments(spec: Spec, case: dict) -> dict:
    """The learner's arguments, in order: deep copies, so the case itself stays intact."""
    return {name: copy.deepcopy(case[name]) for name in spec.signature}


def as_tensors(case: dict, grads=()) -> dict:
    tensors = {}
    for name, value in case.items():
        if isinstance(value, np.ndarray):
            value = torch.tensor(value, requires_grad=name in grads)
        tensors[name] = copy.deepcopy(value) if isinstance(value, dict) else value
    return tensors


def _oracle(spec: Spec, case: dict, learner_out, tensors: dict | None = None) -> torch.Tensor:
    """torch's answer. A stochastic spec's oracle reads the mask off the learner's output."""
    tensors = tensors if tensors is not None else as_tensors(case)
    kwargs = {name: tensors[name] for name in spec.signature}
    if spec.random:
        if not isinstance(learner_out, np.ndarray) or learner_out.shape != case["x"].shape:
            learner_out = np.ones(case["x"].shape)  # the comparison will report the shape
        kwargs["mask"] = spec.random.mask(learner_out)
    with torch.enable_grad():
        return spec.oracle(**kwargs)


@contextmanager
def _conventions(spec: Spec):
    """Add the conventions this exercise relies on to any mismatch it reports."""
    __tracebackhide__ = True
    try:
        yield
    except Mismatch as mismatch:
        if spec.conventions:
            mismatch.args = (f"{mismatch.args[0]}\n  conventions: " + "; ".join(spec.conventions),)
        raise
