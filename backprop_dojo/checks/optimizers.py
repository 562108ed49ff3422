"""The check template of an Optimizer: several consecutive update steps, the config carried
from one to the next, against torch: the learner's whole trajectory must match one of the
rule's valid forms."""

from __future__ import annotations


import numpy as np
import torch

from ..compare import Mismatch, assert_close
from ..copies import copied
from ..learner import Earlier, Learner
from ..run_config import RunConfig
from ..specs import Exercise, Optimizer
from .common import judge


def steps(exercise: Exercise, learner: Learner, data, run_config: RunConfig) -> None:
    """Each step's next_w matches torch's, and the rule's state is written back into
    config. Updating w in place is allowed, as CS231n's own sgd does. The steps are one
    chain: each is given the next_w and config the step before returned."""
    spec: Optimizer = exercise.spec
    case = data.draw(spec.cases, label="case")
    calls = [{"name": spec.forward, "returns": ("next_w", "config"), "mutable": ("w",), "args": {
        "w": Earlier(step - 1, "next_w") if step else case["w"].copy(), "dw": dw.copy(),
        "config": Earlier(step - 1, "config") if step else copied(case["config"])}} for step, dw in enumerate(case["dws"])]
    got = []
    for step, result in enumerate(learner.chain(calls), 1):
        w, config = result["next_w"], result["config"]
        if not isinstance(config, dict):
            raise Mismatch(f"{spec.forward} should return (next_w, config) with config a dict; got {type(config).__name__}")
        unwritten = [key for key in spec.state if key not in config]
        if unwritten:
            raise Mismatch(f"{spec.forward}: config{unwritten} not written back after step {step}")
        got.append(w.copy() if isinstance(w, np.ndarray) else w)

    def trajectory(form, convention) -> None:
        parameter = torch.tensor(case["w"], requires_grad=True)
        step_once = form(parameter, {**spec.defaults, **(case["config"] or {})}, convention)
        for step, (dw, next_w) in enumerate(zip(case["dws"], got), 1):
            parameter.grad = torch.from_numpy(dw)
            step_once()
            assert_close(parameter.detach(), next_w, exercise=exercise.name, output=f"next_w after step {step}")

    def verdict(convention) -> None:
        mismatches = []
        for _, form in spec.forms:
            try:
                return trajectory(form, convention)
            except Mismatch as mismatch:
                mismatches.append(mismatch)
        first = mismatches[0]
        names = [name for name, _ in spec.forms]
        first.notes.append(f"the rule: {names[0]}" if len(names) == 1 else (
            "valid forms, none matched (differences shown against the first): " + "; or ".join(names)))
        raise first

    judge(spec, exercise.name, verdict, run_config)
