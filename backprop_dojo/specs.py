"""The declarative description of an exercise, read by the generic checks in checks.py.

A Spec describes one forward function (or loss) and the backward functions that take its
cache; a Model a network class whose `loss` returns every parameter's gradient; an
Optimizer an update rule. Each named function becomes an Exercise, checked by every
template that applies.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Callable

from hypothesis.strategies import SearchStrategy

from .kinks import Kinks


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
    keep: Callable[[dict, str], float]  # probability that a unit is kept, from that dict and the convention
    mask: Callable[[Any], Any]  # the kept units, read off the learner's own output
    cases: SearchStrategy[dict]  # train-mode cases large enough for statistics


@dataclass(frozen=True)
class Owner:
    """The class whose method the exercise is, and the call that prepares an instance."""

    cls: str  # e.g. "KNearestNeighbor"
    setup: str  # the method called first, e.g. "train"
    args: tuple[str, ...]  # its arguments, keys of the drawn case; the oracle gets them too


@dataclass(frozen=True)
class Spec:
    """One exercise family. `oracle(**tensors)` computes the output with torch alone."""

    forward: str  # the CS231n name of the forward function, or of the loss
    signature: tuple[str, ...]  # its arguments, in order; keys of every drawn case
    cases: SearchStrategy[dict]
    oracle: Callable[..., Any]  # returns a tuple when there are several outputs
    outputs: tuple[str, ...] = ("out",)  # what the forward returns before its cache
    cache: bool = True  # the forward returns a cache after its outputs
    grads: tuple[str, ...] = ()  # inputs whose gradients are returned, in CS231n's order
    backward: tuple[str, ...] = ()  # backward functions taking (dout, cache)
    loss: bool = False  # the forward itself returns (loss, *grads)
    backward_cases: SearchStrategy[dict] | None = None  # when backward needs other cases
    state: State | None = None
    random: Random | None = None
    conventions: tuple[str, ...] = ()  # the choices the checks rely on, repeated on failure
    # the course-year convention it depends on ("dropout-p"); the oracle gets the run's choice as `convention`
    course_convention: str | None = None
    owner: Owner | None = None  # the forward is a method of this class
    loops: int | None = None  # the most Python loops the forward's source may hold
    compare: Callable[..., None] | None = None  # (expected, got, case, exercise=, output=) if not assert_close
    kinks: Kinks | None = None  # which gradients are valid where the forward is not differentiable
    variants: tuple[tuple[str, Callable], ...] = ()  # (likely cause, oracle of that wrong answer)

    def __post_init__(self) -> None:
        problems = []
        if self.cases is None:
            problems.append("cases: none given")
        unknown = [name for name in self.grads if name not in self.signature]
        if unknown:
            problems.append(f"grads {unknown}: not arguments of {self.forward}{self.signature}")
        if self.backward and not self.cache:
            problems.append(f"backward {list(self.backward)}: a backward takes (dout, cache), but cache=False")
        misnamed = [name for name in self.backward if "backward" not in name]
        if misnamed:
            problems.append(f"backward {misnamed}: a backward function's CS231n name holds 'backward'")
        problems += _takes("oracle", self.oracle, self.oracle_parameters)
        problems += [problem for cause, oracle in self.variants for problem in _takes(f"variant {cause!r}", oracle,
                                                                                      self.oracle_parameters)]
        if problems:
            raise SpecError(f"Spec {self.forward}: " + "; ".join(problems))

    @property
    def oracle_inputs(self) -> tuple[str, ...]:
        """The drawn inputs the oracle gets as tensors: the forward's and the owner's set-up's."""
        return (*self.signature, *(self.owner.args if self.owner else ()))

    @property
    def oracle_parameters(self) -> tuple[str, ...]:
        """What the oracle is called with, by name: its inputs, the convention it depends on,
        the mask of a stochastic forward (read off the learner's output)."""
        return (*self.oracle_inputs, *(("convention",) if self.course_convention else ()), *(("mask",) if self.random else ()))

    @property
    def forward_returns(self) -> tuple[str, ...]:
        if self.loss:
            return ("loss", *self.grad_names)
        return (*self.outputs, "cache") if self.cache else self.outputs

    @property
    def grad_names(self) -> tuple[str, ...]:
        return tuple("d" + name for name in self.grads)


@dataclass(frozen=True, repr=False)
class Exercise:
    """One function a learner writes, and the checks that apply to it."""

    name: str
    spec: Spec | Model | Optimizer
    checks: frozenset[str]
    assignment: str = ""  # "assignment2", ...: a pytest marker

    def __str__(self) -> str:
        return self.name

    @property
    def family(self) -> str:
        """What a forward shares with its backward passes ("batchnorm", "fullyconnectednet",
        "optim"): a pytest marker."""
        if isinstance(self.spec, Optimizer):
            return "optim"
        name = self.spec.forward.split(".")[0]
        for suffix in ("_forward", "_naive", "_vectorized"):
            name = name.replace(suffix, "")
        return name.lower()

    def __repr__(self) -> str:
        return f"<exercise {self.name}>"

    def _repr_pretty_(self, printer, cycle) -> None:  # how Hypothesis prints it
        printer.text(repr(self))


@dataclass(frozen=True)
class Model:
    """A network class: built with CS231n's constructor, given drawn parameters, and its
    `loss` compared, loss and every gradient by parameter name, with a torch forward pass."""

    cls: str
    cases: SearchStrategy[dict]  # {"init": constructor kwargs, "params": {...}, "inputs": {...}}
    # (learner's constructor parameters, learner's loss parameters, case) -> (init kwargs, loss kwargs)
    adapt: Callable[..., tuple[dict, dict]]
    # (params as tensors, init kwargs, loss kwargs, dropout, convention) -> loss, given what
    # adapt passed the learner; dropout(shape, {"p", "seed"}) is the learner's own keep mask
    oracle: Callable[..., Any]
    conventions: tuple[str, ...] = ()
    course_convention: str | None = None  # as Spec.course_convention
    masks: bool = False  # some cases' nets drop units: the oracle reads the learner's masks, in exchanges of their own

    def __post_init__(self) -> None:
        problems = _arity("adapt", self.adapt, 4) + _arity("oracle", self.oracle, 5)
        if self.cases is None:
            problems.append("cases: none given")
        if problems:
            raise SpecError(f"Model {self.cls}: " + "; ".join(problems))

    @property
    def forward(self) -> str:
        return f"{self.cls}.loss"


@dataclass(frozen=True)
class Optimizer:
    """An update rule `rule(w, dw, config) -> (next_w, config)`, run for several steps with
    the config carried between them, against torch. A rule may have several valid forms
    (Adam's eps on the corrected or the uncorrected sqrt(v)): the learner's whole trajectory
    must match one of them; a failure is reported against the first."""

    forward: str
    cases: SearchStrategy[dict]  # {"w": ..., "dws": [...], "config": dict or None}
    # (name, oracle) of each valid form, the default first; oracle(parameter tensor, config with
    # defaults, convention) -> step(), one update of the parameter from its .grad
    forms: tuple[tuple[str, Callable[..., Callable[[], Any]]], ...]
    defaults: dict[str, float]  # CS231n's defaults, the keys of config
    state: tuple[str, ...] = ()  # what the rule keeps in config between steps
    conventions: tuple[str, ...] = ()
    course_convention: str | None = None  # as Spec.course_convention

    def __post_init__(self) -> None:
        problems = [] if self.forms else ["forms: none given"]
        problems += [problem for name, oracle in self.forms for problem in _arity(f"form {name!r}", oracle, 3)]
        if self.cases is None:
            problems.append("cases: none given")
        if problems:
            raise SpecError(f"Optimizer {self.forward}: " + "; ".join(problems))


class SpecError(ValueError):
    """A spec that cannot work, refused when it is declared (at import), naming the field."""


def _takes(label: str, function: Callable, given: tuple[str, ...]) -> list[str]:
    """What is wrong with calling `function(**{name: ... for name in given})`."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return []
    names = {p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    required = {p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.default is p.empty}
    problems = []
    if required - set(given):
        problems.append(f"{label} needs {sorted(required - set(given))}, which the cases do not give (they give {list(given)})")
    if not any(p.kind is p.VAR_KEYWORD for p in parameters) and set(given) - names:
        problems.append(f"{label} does not take {sorted(set(given) - names)}")
    return problems


def _arity(label: str, function: Callable, count: int) -> list[str]:
    try:
        inspect.signature(function).bind(*range(count))
    except TypeError as error:
        return [f"{label} must take {count} arguments: {error}"]
    return []
