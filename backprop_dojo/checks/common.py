"""What every check template shares: the learner's arguments and forward call, torch
tensors of a case and the oracle's arguments, and the verdict under the run's conventions
(the report and the benchmarks use the same calls)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable

import numpy as np
import torch

from .. import conventions
from ..compare import Mismatch, assert_close
from ..copies import copied
from ..learner import Earlier, Learner
from ..run_config import RunConfig
from ..specs import Spec


def arguments(spec, case: dict) -> dict:
    """The learner's arguments, in order: deep copies, so the case itself stays intact."""
    return {name: copied(case[name]) for name in spec.signature}


def as_tensors(case: dict, grads=()) -> dict:
    tensors = {}
    for name, value in case.items():
        if isinstance(value, np.ndarray):
            value = torch.tensor(value, requires_grad=name in grads)
        tensors[name] = copied(value) if isinstance(value, dict) else value
    return tensors


def assert_output_close(spec, expected, got, case: dict, *, exercise: str, output: str, scale: float | None = None) -> None:
    """The spec's own comparison if it has one, else the tolerance policy of compare.py."""
    __tracebackhide__ = True
    if getattr(spec, "compare", None):
        spec.compare(expected, got, case, exercise=exercise, output=output)
    else:
        assert_close(expected, got, exercise=exercise, output=output, scale=scale)


def shared_scale(gradients) -> float:
    """The tolerance scale of the gradients one call returns: the largest of them."""
    return max((float(np.abs(np.asarray(g)).max(initial=0.0)) for g in gradients), default=0.0)


def active(spec, run_config: RunConfig) -> str | None:
    """This run's choice of the convention the spec depends on, if any."""
    return run_config.conventions[spec.course_convention] if spec.course_convention else None


def judge(spec, exercise: str, verdict: Callable[[str | None], None], run_config: RunConfig) -> None:
    """Run `verdict(convention)`, which raises Mismatch for a wrong answer, under this run's
    choice of the spec's convention. A wrong answer that is right under the other choice
    says so and names the flag; it still fails. Every failure lists the conventions the
    spec relies on."""
    __tracebackhide__ = True
    name = spec.course_convention
    with _listing_conventions(spec, run_config):
        try:
            verdict(active(spec, run_config))
        except Mismatch:
            for other in conventions.CONVENTIONS[name].meanings if name else ():
                if other != run_config.conventions[name] and _passes(verdict, other):
                    raise Mismatch(f"{exercise}: {conventions.other_convention_hint(name, other, run_config)}") from None
            raise


def _passes(verdict, convention: str) -> bool:
    try:
        verdict(convention)
    except Exception:  # a Mismatch, or an answer the other convention cannot even compute
        return False
    return True


@contextmanager
def _listing_conventions(spec, run_config: RunConfig):
    """Add the conventions this exercise relies on to any mismatch it reports."""
    __tracebackhide__ = True
    try:
        yield
    except Mismatch as mismatch:
        listed = list(spec.conventions)
        if getattr(spec, "kinks", None):
            listed.append(spec.kinks.rule)
        if spec.course_convention:
            name = spec.course_convention
            listed.append(conventions.CONVENTIONS[name].meanings[run_config.conventions[name]])
        mismatch.conventions = listed
        raise


def call_forward(spec: Spec, learner: Learner, case: dict) -> dict:
    """The learner's forward on a case; a method is called on an instance set up first."""
    *_, result = learner.chain(forward_calls(spec, case))
    return result


def forward_calls(spec: Spec, case: dict) -> list[dict]:
    """The calls of the learner's forward on a case, for Learner.chain; the forward is the
    last. A method is called on an instance made and set up first."""
    args = arguments(spec, case)
    if not spec.owner:
        return [{"name": spec.forward, "args": args, "returns": spec.forward_returns}]
    owner, instance = spec.owner, Earlier(0, "instance")
    return [
        {"name": owner.cls, "args": {}, "returns": ("instance",)},
        {"name": f"{owner.cls}.{owner.setup}", "args": {"self": instance, **{name: case[name].copy() for name in owner.args}},
         "returns": ()},
        {"name": spec.forward, "args": {"self": instance, **args}, "returns": spec.forward_returns},
    ]


def oracle_arguments(spec: Spec, case: dict, learner_out, tensors: dict, convention) -> dict:
    """The keyword arguments of the spec's oracle: the case's tensors, the convention it
    depends on, and for a stochastic spec the mask read off the learner's output."""
    kwargs = {name: tensors[name] for name in spec.oracle_inputs}
    if spec.course_convention:
        kwargs["convention"] = convention
    if spec.random:
        if not isinstance(learner_out, np.ndarray) or learner_out.shape != case["x"].shape:
            learner_out = np.ones(case["x"].shape)  # the comparison will report the shape
        kwargs["mask"] = spec.random.mask(learner_out)
    return kwargs
