"""The check templates of a Spec: forward values, backward against autograd, running
state and random masks.

Every check has the signature `check(exercise, learner, data)`, where `data` is
Hypothesis's `st.data()`; the pytest templates and `verdict.run` both drive them.
"""

from __future__ import annotations

import ast
import math
import textwrap
from itertools import islice
from typing import Iterator

import numpy as np
import torch
from hypothesis import strategies as st

from .. import fingerprints
from . import answers
from ..compare import Mismatch, assert_close, report_line
from ..copies import copied
from ..learner import Earlier, Given, Learner, NotImplementedExercise
from ..run_config import RunConfig
from ..specs import Exercise, Spec
from ..strategies import seeds
from .common import (active, arguments, as_tensors, assert_output_close, call_forward, forward_calls, judge, oracle_arguments,
                     shared_scale)

# A kept fraction this many standard deviations from p happens by chance with
# probability below 1e-8: a failure means the learner keeps units at another rate.
KEEP_RATE_SIGMAS = 6.0
# Masks equal by chance less often than this are taken for masks that are not random.
CHANCE = 1e-9
SEEDED = (0, 0, 1)  # randomness()'s calls with a seed: the drawn seed plus these


def forward(exercise: Exercise, learner: Learner, data, run_config: RunConfig) -> None:
    """The forward outputs (or the loss) match torch on a random case, from a source with
    no more Python loops than the spec allows."""
    spec = exercise.spec
    case = data.draw(spec.cases, label="case")
    result = call_forward(spec, learner, case)
    if spec.loops is not None:
        _count_loops(exercise, learner.source(exercise.name))
    first = spec.forward_returns[0]
    outputs = (first,) if spec.loss else spec.outputs

    def verdict(convention):
        expected = _outputs(spec, case, result[first], convention)
        for output, value in zip(outputs, expected if len(outputs) > 1 else (expected,)):
            try:
                assert_output_close(spec, value, result[output], case, exercise=exercise.name, output=output)
            except Mismatch as mismatch:
                mismatch.cause = fingerprints.generic(value.detach().numpy(), result[output], case)
                raise

    judge(spec, exercise.name, verdict, run_config)


def backward(exercise: Exercise, learner: Learner, data, run_config: RunConfig) -> None:
    """Every gradient the learner returns matches torch.autograd for a random upstream
    gradient, the learner's backward being fed the learner's own forward cache."""
    spec = exercise.spec
    cases = spec.cases if spec.backward_cases is None else spec.backward_cases
    case = data.draw(cases, label="case")
    calls = forward_calls(spec, case)
    if spec.loss:
        forward_result = got = _forward_for(exercise, learner.chain(calls), len(calls))
        douts = None
    else:  # the forward and the backward fed its cache, in one exchange with a sandboxed learner
        douts = _upstream(spec, case, data, run_config)
        backward = {"name": exercise.name, "args": {**douts, "cache": Earlier(len(calls) - 1, "cache")},
                    "returns": spec.grad_names}
        steps = learner.chain([*calls, backward])
        forward_result = _forward_for(exercise, steps, len(calls))
        got = next(steps)

    def gradients(oracle, convention) -> dict[str, np.ndarray]:
        question = (_question(spec, case, forward_result.get("out")), douts)
        return answers.answer(oracle, "gradients", convention, question, lambda: _gradients(oracle, convention))

    def _gradients(oracle, convention) -> dict[str, np.ndarray]:
        tensors = as_tensors(case, spec.grads)
        outs = _oracle(spec, case, forward_result.get("out"), tensors, convention=convention, outputs=True, oracle=oracle)
        inputs = [tensors[g] for g in spec.grads]
        if douts is None:
            grads = torch.autograd.grad(outs[0], inputs, allow_unused=True)
        else:
            upstream = [torch.from_numpy(d) for d in douts.values()]
            # the same gradients as grad_outputs=upstream, bit for bit, without the sympy import that costs
            grads = torch.autograd.grad(sum((out * up).sum() for out, up in zip(outs, upstream)), inputs, allow_unused=True)
        return {
            name: (torch.zeros_like(tensor) if grad is None else grad).numpy()
            for name, tensor, grad in zip(spec.grad_names, inputs, grads)
        }

    def verdict(convention):
        context = {**case, **(douts or {})}
        if spec.loss and convention != active(spec, run_config):  # "right under the other convention" needs its loss too
            loss = _oracle(spec, case, None, convention=convention)
            assert_output_close(spec, loss, got["loss"], context, exercise=exercise.name, output="loss")
        rows, wrong = [], []
        expected_all = gradients(spec.oracle, convention)
        scale = shared_scale(expected_all.values())
        for name, expected in expected_all.items():
            if spec.kinks and _comparable(got[name], expected):
                expected = spec.kinks.nearest(context, name, expected, got[name])
            status = None  # match or close, which report_line tells apart
            try:
                assert_output_close(spec, expected, got[name], context, exercise=exercise.name, output=name, scale=scale)
            except Mismatch as mismatch:
                wrong.append((name, expected, mismatch))
                status = "wrong"
            rows.append((name, expected, got[name], status))
        if wrong:
            name, expected, mismatch = wrong[0]
            mismatch.cause = fingerprints.from_variants(
                spec.variants, got[name], lambda oracle: gradients(oracle, convention)[name]
            ) or fingerprints.generic(expected, got[name], context)
            mismatch.rows = [report_line(*row) for row in rows] if len(rows) > 1 else []
            mismatch.tensors = [t for _, _, m in wrong for t in m.tensors]
            raise mismatch

    judge(spec, exercise.name, verdict, run_config)


def state(exercise: Exercise, learner: Learner, data, run_config: RunConfig) -> None:
    """The forward writes its statistics into the parameter dict after each train call,
    and test mode then normalises with them."""
    spec, declared = exercise.spec, exercise.spec.state
    case = data.draw(declared.cases, label="case")
    args = arguments(spec, case)
    param = args[declared.param]
    expected = {key: torch.tensor(param[key]) for key in declared.keys if key in param}
    # one chain: each train call given the parameter dict as the call before left it, then test mode on a copy
    last, test_case = len(case["batches"]) - 1, {**case, "x": case["x_test"]}
    calls = [{"name": spec.forward, "returns": spec.forward_returns,
              "args": {**args, "x": batch.copy(), declared.param: Given(step - 1, declared.param) if step else param}}
             for step, batch in enumerate(case["batches"])]
    calls.append({"name": spec.forward, "returns": spec.forward_returns, "args": {
        **arguments(spec, test_case), declared.param: Given(last, declared.param, {"mode": "test"})}})
    steps, results = learner.chain(calls), []
    for _ in case["batches"]:
        next(steps)
        # copies: a learner may update the running statistics in place, which is allowed
        results.append({key: copied(param.get(key)) for key in declared.keys})
    test_out = next(steps)["out"]

    def verdict(convention):
        running = dict(expected)
        for step, (batch, written) in enumerate(zip(case["batches"], results), 1):
            running = declared.update(torch.from_numpy(batch), running, param)
            for key in declared.keys:
                if written[key] is None:
                    raise Mismatch(f"{exercise.name}: {declared.param}['{key}'] was not written back")
                output = f"{declared.param}['{key}'] after train call {step}"
                assert_close(running[key], written[key], exercise=exercise.name, output=output)
        test_param = {**param, "mode": "test", **{k: v.numpy() for k, v in running.items()}}
        expected_out = _oracle(spec, {**test_case, declared.param: test_param}, None)
        assert_close(expected_out, test_out, exercise=exercise.name, output="out in test mode")

    judge(spec, exercise.name, verdict, run_config)


def randomness(exercise: Exercise, learner: Learner, data, run_config: RunConfig) -> None:
    """Every unit has a mask entry of its own (no mask shared along an axis), units are kept
    at the rate p, a seed reproduces the mask, and calls without a seed draw fresh masks.
    A shared mask is reported as such before the keep rate, which it also throws off. The
    calls are one chain: two without a seed, three with one (SEEDED)."""
    spec, declared = exercise.spec, exercise.spec.random
    case = data.draw(declared.cases, label="case")
    case[declared.param].pop("seed", None)
    seed = data.draw(st.integers(0, 2**32 - 2), label="seed")  # np.random.seed takes < 2**32
    shared = arguments(spec, case)  # one x for every call: the learner gets a copy each time, the wire sends it once
    calls = [{"name": spec.forward, "args": {**shared, declared.param: {**shared[declared.param], **changes}},
              "returns": spec.forward_returns} for changes in ({}, {}, *({"seed": seed + offset} for offset in SEEDED))]
    steps, masks = learner.chain(calls), []

    def mask(number: int) -> np.ndarray:
        """The mask of call `number`, read off its output (the calls before it read first)."""
        while len(masks) <= number:
            out = next(steps)["out"]
            if not isinstance(out, np.ndarray) or out.shape != case["x"].shape:
                assert_close(case["x"], out, exercise=exercise.name, output="out")  # reports the shape
            masks.append(np.asarray(declared.mask(out)))
        return masks[number]

    first = mask(0)
    kept, n = int(np.count_nonzero(first)), first.size

    def one_per_unit(convention):
        keep = declared.keep(case[declared.param], convention)
        for axis in range(first.ndim):
            if _all_slices_equal(first, axis) and _chance_of_equal(keep, first.shape[axis], n) < CHANCE:
                where = "every sample in the batch" if axis == 0 else f"every index along axis {axis}"
                raise Mismatch(f"{exercise.name}: the same mask for {where}; draw one per unit, of x's shape")

    def keep_rate(convention):
        keep = declared.keep(case[declared.param], convention)
        sigma = math.sqrt(n * keep * (1 - keep))
        if abs(kept - keep * n) > KEEP_RATE_SIGMAS * sigma:
            raise Mismatch(
                f"{exercise.name}: kept {kept} of {n} units ({kept / n:.3f}) with a keep probability "
                f"of {keep:.3f}; expected {keep * n:.0f} ± {KEEP_RATE_SIGMAS * sigma:.0f}"
            )

    def seeding(convention):
        keep = declared.keep(case[declared.param], convention)
        unlikely_twice = _chance_of_equal(keep, 2, 2 * n) < CHANCE  # two masks equal by chance
        if unlikely_twice and np.array_equal(first, mask(1)):
            raise Mismatch(f"{exercise.name}: two calls without a seed drew the same mask")
        if not np.array_equal(mask(2), mask(3)):
            raise Mismatch(f"{exercise.name}: two calls with the same seed drew different masks")
        if unlikely_twice and np.array_equal(mask(2), mask(4)):
            raise Mismatch(f"{exercise.name}: different seeds drew the same mask")

    for verdict in (one_per_unit, keep_rate, seeding):
        judge(spec, exercise.name, verdict, run_config)


def _all_slices_equal(mask: np.ndarray, axis: int) -> bool:
    return mask.shape[axis] > 1 and bool((mask == mask.take([0], axis=axis)).all())


def _chance_of_equal(keep: float, copies: int, units: int) -> float:
    """The probability that `copies` independent masks of units / copies units each are all
    equal, every unit kept with probability keep."""
    per_unit = keep**copies + (1 - keep) ** copies
    return per_unit ** (units / copies)


def _count_loops(exercise: Exercise, source: tuple[str, int] | None) -> None:
    """The source holds no more Python loops (for, while, comprehensions) than allowed."""
    if source is None:
        return  # defined where no source survives (a notebook cell, exec): nothing to read
    text, first_line = source
    found = [
        node for node in ast.walk(ast.parse(textwrap.dedent(text)))
        if isinstance(node, (ast.For, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))
    ]
    if len(found) > exercise.spec.loops:
        kinds = sorted({type(node).__name__ for node in found})
        raise Mismatch(
            f"{exercise.name}: {len(found)} Python loop(s) ({', '.join(kinds)}), first at line "
            f"{first_line + found[0].lineno - 1}; at most {exercise.spec.loops} allowed: "
            "use array operations and broadcasting"
        )


def _comparable(got, expected: np.ndarray) -> bool:
    return isinstance(got, np.ndarray) and got.shape == expected.shape and got.dtype == expected.dtype


def _upstream(spec: Spec, case: dict, data, run_config: RunConfig) -> dict[str, np.ndarray]:
    """A random upstream gradient of each output, shaped like torch's (for a random layer,
    with every unit kept: its mask leaves the shape as it is)."""
    rng = np.random.default_rng(data.draw(seeds, label="dout seed"))
    outs = _outputs(spec, case, None, active(spec, run_config))
    outs = outs if isinstance(outs, tuple) else (outs,)
    return {"d" + output: rng.standard_normal(out.shape) for output, out in zip(spec.outputs, outs)}


def _forward_for(exercise: Exercise, steps: Iterator[dict], count: int) -> dict:
    """The learner's forward result, the last of the chain's first `count` steps, whose
    cache feeds the learner's backward."""
    spec = exercise.spec
    try:
        *_, result = islice(steps, count)
        return result
    except NotImplementedExercise as missing:
        if exercise.name == spec.forward:
            raise
        raise NotImplementedExercise(f"{exercise.name} needs the cache of {missing.msg}") from None


def _oracle(spec: Spec, case: dict, learner_out, tensors: dict | None = None, *, convention=None, outputs=False,
            oracle=None):
    """torch's answer (or a variant `oracle`'s); with outputs=True always a tuple, one per
    output. A stochastic spec's oracle reads the mask off the learner's output."""
    kwargs = oracle_arguments(spec, case, learner_out, tensors if tensors is not None else as_tensors(case), convention)
    with torch.enable_grad():
        result = (oracle or spec.oracle)(**kwargs)
    if outputs and not isinstance(result, tuple):
        result = (result,)
    return result


def _outputs(spec: Spec, case: dict, learner_out, convention):
    """torch's outputs on the case (as the oracle returns them), computed once per question."""
    return answers.answer(spec.oracle, "outputs", convention, _question(spec, case, learner_out),
                          lambda: _oracle(spec, case, learner_out, convention=convention))


def _question(spec: Spec, case: dict, learner_out) -> tuple:
    """Everything the oracle's answer depends on besides the convention: the case, and for
    a stochastic spec the learner's output its mask is read off."""
    return case, (learner_out if spec.random else None)
