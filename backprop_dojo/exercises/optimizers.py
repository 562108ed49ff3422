"""Specs of the assignment-2 update rules in `optim.py`, against the torch.optim optimizers
that reproduce them exactly (Adam's t is incremented before use, as torch counts steps)."""

from __future__ import annotations

import torch
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..specs import Optimizer
from ..strategies import generators, normal


@st.composite
def step_cases(draw, hyperparameters: dict):
    """A few steps from w with drawn gradients; config None (CS231n's defaults) or some
    hyperparameters set explicitly."""
    rng = draw(generators)
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, max_side=4))
    config = None
    if draw(st.booleans()):
        config = {key: draw(values) for key, values in hyperparameters.items() if draw(st.booleans())}
    return {
        "w": normal(rng, *shape),
        "dws": [normal(rng, *shape) for _ in range(draw(st.integers(1, 4)))],
        "config": config,
    }


rates = st.sampled_from([1e-2, 1e-1, 1e-3])
decays = st.sampled_from([0.9, 0.5, 0.99])

SPECS = [
    Optimizer(
        "sgd",
        cases=step_cases({"learning_rate": rates}),
        oracle=lambda w, c: torch.optim.SGD([w], lr=c["learning_rate"]),
        defaults={"learning_rate": 1e-2},
        conventions=("w -= learning_rate * dw",),
    ),
    Optimizer(
        "sgd_momentum",
        cases=step_cases({"learning_rate": rates, "momentum": decays}),
        oracle=lambda w, c: torch.optim.SGD([w], lr=c["learning_rate"], momentum=c["momentum"]),
        defaults={"learning_rate": 1e-2, "momentum": 0.9},
        state=("velocity",),
        conventions=("v = momentum * v - learning_rate * dw; w += v",),
    ),
    Optimizer(
        "rmsprop",
        cases=step_cases({"learning_rate": rates, "decay_rate": decays, "epsilon": st.sampled_from([1e-8, 1e-4])}),
        oracle=lambda w, c: torch.optim.RMSprop([w], lr=c["learning_rate"], alpha=c["decay_rate"], eps=c["epsilon"]),
        defaults={"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8},
        state=("cache",),
        conventions=("cache = decay_rate * cache + (1 - decay_rate) * dw**2; w -= learning_rate * dw / (sqrt(cache) + epsilon)",),
    ),
    Optimizer(
        "adam",
        cases=step_cases({"learning_rate": rates, "beta1": decays, "beta2": st.sampled_from([0.999, 0.9]),
                          "epsilon": st.sampled_from([1e-8, 1e-4])}),
        oracle=lambda w, c: torch.optim.Adam([w], lr=c["learning_rate"], betas=(c["beta1"], c["beta2"]), eps=c["epsilon"]),
        defaults={"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
        state=("m", "v", "t"),
        conventions=("t is incremented before use; m and v are bias-corrected with it",),
    ),
]
