"""The declarative description of an exercise, read by the generic checks in checks.py.

A Spec describes one forward function (or loss) and the backward functions that take its
cache. Each named function becomes an Exercise, checked by every template that applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from hypothesis.strategies import SearchStrategy


@dataclass(frozen=True)
class State:
    """A forward that writes statistics into a parameter dict (batchnorm's running stats)."""

    param: str  # the dict argument it writes into, e.g. "bn_param"
    keys: tuple[str, ...]  # the entries it writes, e.g. ("running_mean", "running_var")
    update: Callable[..., dict]  # (x tensor, {key: tensor}, param) -> {key: tensor} after one call
    cases: SearchStrategy[dict]  # train-mode cases with "batches" (successive x) and "x_test"


@dataclass(frozen=True)
class Random:
    """A forward that draws a random mask (dropout)."""

    param: str  # the dict holding the probability, mode and optional seed
    keep: Callable[[dict], float]  # probability that a unit is kept, from that dict
    mask: Callable[[Any], Any]  # the kept units, read off the learner's own output
    cases: SearchStrategy[dict]  # train-mode cases large enough for statistics


@dataclass(frozen=True)
class Spec:
    """One exercise family. `oracle(**tensors)` computes the output with torch alone."""

    forward: str  # the CS231n name of the forward function, or of the loss
    signature: tuple[str, ...]  # its arguments, in order; keys of every drawn case
    cases: SearchStrategy[dict]
    oracle: Callable[..., Any]
    grads: tuple[str, ...] = ()  # inputs whose gradients are returned, in CS231n's order
    backward: tuple[str, ...] = ()  # backward functions taking (dout, cache)
    loss: bool = False  # the forward itself returns (loss, *grads)
    backward_cases: SearchStrategy[dict] | None = None  # when backward needs other cases
    state: State | None = None
    random: Random | None = None
    conventions: tuple[str, ...] = ()  # the choices the checks rely on, repeated on failure

    @property
    def forward_returns(self) -> tuple[str, ...]:
        if self.loss:
            return ("loss", *self.grad_names)
        return ("out", "cache")

    @property
    def grad_names(self) -> tuple[str, ...]:
        return tuple("d" + name for name in self.grads)


@dataclass(frozen=True, repr=False)
class Exercise:
    """One function a learner writes, and the checks that apply to it."""

    name: str
    spec: Spec
    checks: frozenset[str]

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<exercise {self.name}>"

    def _repr_pretty_(self, printer, cycle) -> None:  # how Hypothesis prints it
        printer.text(repr(self))


def exercises_of(spec: Spec) -> list[Exercise]:
    forward_checks = {"forward"}
    if spec.loss:
        forward_checks.add("backward")
    if spec.state:
        forward_checks.add("state")
    if spec.random:
        forward_checks.add("randomness")
    return [Exercise(spec.forward, spec, frozenset(forward_checks))] + [
        Exercise(name, spec, frozenset({"backward"})) for name in spec.backward
    ]
