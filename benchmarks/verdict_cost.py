"""Row 1: the harness's cost for one forward + backward verdict against a CS231n-style
centred-difference gradient check of the same tensors (`eval_numerical_gradient_array`,
h = 1e-5, one forward pass per perturbed element and sign)."""

from __future__ import annotations

import math

import numpy as np

from backprop_dojo import checks
from backprop_dojo.exercises import EXERCISES
from backprop_dojo.learner import Learner
from backprop_dojo.run_config import RunConfig
from backprop_dojo.verdict import afresh

from .cases import NOTEBOOK_EXERCISES, notebook_case
from .timing import best_seconds


def eval_numerical_gradient_array(f, x, df, h=1e-5):
    """CS231n's gradient_check.eval_numerical_gradient_array, as the notebooks call it."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        pos = f(x).copy()
        x[ix] = oldval - h
        neg = f(x).copy()
        x[ix] = oldval
        grad[ix] = np.sum((pos - neg) * df) / (2 * h)
        it.iternext()
    return grad


class FixedDraws:
    """Stands in for Hypothesis's `data`: hands out the given values in order."""

    def __init__(self, *values):
        self.values = list(values)

    def draw(self, strategy, label=None):
        return self.values.pop(0)


def numerical_gradients(name: str, case: dict, learner: Learner, dout: np.ndarray) -> dict:
    """What a learner's notebook computes: one numerical gradient per differentiable input."""
    spec = EXERCISES[name].spec
    forward = learner.functions[spec.forward]
    args = checks.arguments(spec, case)
    grads = {}
    for wrt in spec.grads:

        def f(value, wrt=wrt):
            return forward(*{**args, wrt: value}.values())[0]

        grads[wrt] = eval_numerical_gradient_array(f, args[wrt].copy(), dout)
    return grads


def verdict(name: str, case: dict, learner: Learner) -> None:
    """One full verdict: the forward check and the backward check on one case, torch's
    answers computed afresh (timed again and again, they would be remembered)."""
    spec = EXERCISES[name].spec
    with afresh():
        checks.forward(EXERCISES[name], learner, FixedDraws(case), RunConfig())
        checks.backward(EXERCISES[spec.backward[0]], learner, FixedDraws(case, 0), RunConfig())


def rows(learner: Learner) -> list[tuple]:
    table = []
    for name in NOTEBOOK_EXERCISES:
        for scale in (1, 10):
            case = notebook_case(name, scale)
            spec = EXERCISES[name].spec
            numel = sum(case[wrt].size for wrt in spec.grads)
            out = learner.functions[name](*checks.arguments(spec, case).values())[0]
            dout = np.random.default_rng(0).standard_normal(out.shape)
            numerical = best_seconds(lambda: numerical_gradients(name, case, learner, dout), repeat=3)
            harness = best_seconds(lambda: verdict(name, case, learner))
            size = "notebook" if scale == 1 else "10x"
            table.append((name, size, numel, numerical, harness, numerical / harness))
    return table


def parameter_layers_ratio(table) -> float:
    """The geometric mean ratio over the notebook-size rows of layers with parameters."""
    ratios = [row[5] for row in table if row[1] == "notebook" and len(EXERCISES[row[0]].spec.grads) > 1]
    return math.exp(sum(map(math.log, ratios)) / len(ratios))
