"""Specs of the assignment-2 update rules in `optim.py`, against the torch.optim optimizers
that reproduce them, in their functional form (torch.optim.sgd.sgd, .adam.adam,
.rmsprop.rmsprop: the update code the classes run; Adam's t is incremented before use, as
torch counts steps). Each form is an oracle `(parameter, config, convention) -> step`."""

from __future__ import annotations

import math

import torch
from hypothesis import strategies as st
from torch.optim.adam import adam as adam_update
from torch.optim.rmsprop import rmsprop as rmsprop_update
from torch.optim.sgd import sgd as sgd_update

from ..specs import Optimizer
from ..strategies import array_shapes, generators, normal


@st.composite
def step_cases(draw, hyperparameters: dict):
    """A few steps from w with drawn gradients; config None (CS231n's defaults) or some
    hyperparameters set explicitly."""
    rng = draw(generators)
    shape = draw(array_shapes(min_dims=1, max_dims=2, max_side=4))
    config = None
    if draw(st.booleans()):
        config = {key: draw(values) for key, values in hyperparameters.items() if draw(st.booleans())}
    return {
        "w": normal(rng, *shape),
        "dws": [normal(rng, *shape) for _ in range(draw(st.integers(1, 4)))],
        "config": config,
    }


def _stepping(update, w, *state: list, **hyperparameters):
    """One step of torch.optim's functional form of an optimizer (what its class's step()
    runs, without the class: the class imports torch._dynamo, 1.4 s of CPU) on w."""

    def step():
        with torch.no_grad():
            update([w], [w.grad], *state, **hyperparameters)

    return step


def _sgd(w, learning_rate: float, momentum: float):
    return _stepping(sgd_update, w, [None], lr=learning_rate, momentum=momentum, dampening=0.0, weight_decay=0.0,
                     nesterov=False, maximize=False)


def sgd(w, c, _):
    return _sgd(w, c["learning_rate"], 0.0)


def sgd_momentum(w, c, _):
    return _sgd(w, c["learning_rate"], c["momentum"])


def rmsprop(w, c, _):
    """torch.optim.RMSprop: eps added outside the sqrt."""
    return _stepping(rmsprop_update, w, [torch.zeros_like(w)], [], [], [torch.tensor(0.0)],
                     lr=c["learning_rate"], alpha=c["decay_rate"], eps=c["epsilon"], weight_decay=0.0, momentum=0.0,
                     centered=False)


def rmsprop_eps_inside(w, c, _):
    """w -= learning_rate * dw / sqrt(cache + epsilon): torch.optim.RMSprop adds eps outside
    the sqrt only, so this form is written with torch's operations."""
    cache = torch.zeros_like(w)

    def step():
        nonlocal cache
        cache = c["decay_rate"] * cache + (1 - c["decay_rate"]) * w.grad**2
        with torch.no_grad():
            w.sub_(c["learning_rate"] * w.grad / torch.sqrt(cache + c["epsilon"]))

    return step


def adam(efficient: bool):
    """torch.optim.Adam. Its eps is added to the bias-corrected sqrt(v_hat); Kingma & Ba's
    efficient form adds it to the uncorrected sqrt(v), the same as torch with
    eps_t = eps / sqrt(1 - beta2**t) at step t. Under adam-t "1" the count starts at 1
    (torch increments its step count before use)."""

    def form(w, c, t_start):
        steps = [torch.tensor(float(t_start))]
        hyperparameters = {"lr": c["learning_rate"], "beta1": c["beta1"], "beta2": c["beta2"], "weight_decay": 0.0,
                           "amsgrad": False, "maximize": False}
        state = ([torch.zeros_like(w)], [torch.zeros_like(w)], [], steps)

        def step():
            t = float(steps[0]) + 1
            eps = c["epsilon"] / math.sqrt(1 - c["beta2"] ** t) if efficient else c["epsilon"]
            _stepping(adam_update, w, *state, eps=eps, **hyperparameters)()

        return step

    return form


rates = st.sampled_from([1e-2, 1e-1, 1e-3])
decays = st.sampled_from([0.9, 0.5, 0.99])

SPECS = [
    Optimizer(
        "sgd",
        cases=step_cases({"learning_rate": rates}),
        forms=(("w -= learning_rate * dw", sgd),),
        defaults={"learning_rate": 1e-2},
    ),
    Optimizer(
        "sgd_momentum",
        cases=step_cases({"learning_rate": rates, "momentum": decays}),
        forms=(("v = momentum * v - learning_rate * dw; w += v", sgd_momentum),),
        defaults={"learning_rate": 1e-2, "momentum": 0.9},
        state=("velocity",),
    ),
    Optimizer(
        "rmsprop",
        cases=step_cases({"learning_rate": rates, "decay_rate": decays, "epsilon": st.sampled_from([1e-8, 1e-4])}),
        forms=(
            ("cache = decay_rate * cache + (1 - decay_rate) * dw**2; w -= learning_rate * dw / (sqrt(cache) + epsilon)",
             rmsprop),
            ("epsilon inside the sqrt: w -= learning_rate * dw / sqrt(cache + epsilon)", rmsprop_eps_inside),
        ),
        defaults={"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8},
        state=("cache",),
    ),
    Optimizer(
        "adam",
        cases=step_cases({"learning_rate": rates, "beta1": decays, "beta2": st.sampled_from([0.999, 0.9]),
                          "epsilon": st.sampled_from([1e-8, 1e-4])}),
        forms=(
            ("m and v bias-corrected: w -= learning_rate * m_hat / (sqrt(v_hat) + epsilon)", adam(efficient=False)),
            ("Kingma & Ba's efficient form: alpha = learning_rate * sqrt(1 - beta2**t) / (1 - beta1**t); "
             "w -= alpha * m / (sqrt(v) + epsilon)", adam(efficient=True)),
        ),
        defaults={"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
        state=("m", "v", "t"),
        course_convention="adam-t",
    ),
]
