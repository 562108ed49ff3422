"""The check template of a Model: a network class built with CS231n's constructor, given
drawn parameters, whose `loss(...)` must return torch's loss and every parameter's gradient."""

from __future__ import annotations

import numpy as np
import torch

from ..compare import Mismatch, assert_close
from ..learner import Earlier, Learner, NotImplementedExercise
from ..run_config import RunConfig
from ..specs import Exercise, Model, SpecError
from . import answers
from .common import active, judge, shared_scale

# Constructor parameters of layers assignment 1 does not assign (2025's FullyConnectedNet
# there has no normalization or dropout, though its signature may carry them).
NOT_IN_ASSIGNMENT_1 = ("normalization", "use_batchnorm", "dropout", "dropout_keep_ratio")


def model(exercise: Exercise, learner: Learner, data, run_config: RunConfig) -> None:
    """The loss and the gradient of every parameter, by name, match torch.autograd's."""
    spec: Model = exercise.spec
    case = data.draw(spec.cases, label="case")
    init, loss_args = spec.adapt(
        _assigned_parameters(learner, spec.cls),
        learner.signature(spec.forward).parameters,
        case,
        active(spec, run_config),
    )
    dropout = _learner_masks(learner)

    def expected(convention) -> tuple[torch.Tensor, dict]:
        return _torch(spec, case["params"], init, loss_args, dropout, convention)

    # the drawn parameters torch's forward pass uses for this constructor call: a net the
    # adapted call builds without normalisation has no gamma or beta
    drawn = {name: case["params"][name] for name, grad in expected(active(spec, run_config))[1].items() if grad is not None}
    network = Earlier(0, "model")
    steps = learner.chain([  # one exchange: the net built, its parameters read, then set to the drawn ones, its loss
        {"name": spec.cls, "args": init, "returns": ("model",), "by_keyword": True},
        {"operation": "attribute", "name": "params", "args": {"self": network}},
        {"operation": "update", "name": "params", "args": {"self": network, "items": {n: v.copy() for n, v in drawn.items()}}},
        {"name": spec.forward, "args": {"self": network, **loss_args}, "returns": ("loss", "grads")},
    ])
    next(steps)
    _check_parameters(spec, next(steps)["value"], drawn)
    next(steps)
    result = next(steps)
    grads = result["grads"]
    if not isinstance(grads, dict):
        raise Mismatch(f"{spec.forward}: grads should be a dict of gradients by parameter name; got {type(grads).__name__}")

    def verdict(convention):
        loss, found = expected(convention)
        assert_close(loss, result["loss"], exercise=exercise.name, output="loss")
        wanted = {name: torch.zeros(value.shape, dtype=torch.float64) if found[name] is None else found[name]
                  for name, value in drawn.items()}
        scale = shared_scale(grad.numpy() for grad in wanted.values())
        for name, grad in wanted.items():
            if name not in grads:
                raise Mismatch(f"{spec.forward}: grads has no entry '{name}'")
            assert_close(grad, grads[name], exercise=exercise.name, output=f"grads['{name}']", scale=scale)

    judge(spec, exercise.name, verdict, run_config)


class _UsesMasks(Exception):
    """torch's forward pass needs the learner's dropout masks."""


def _no_masks(shape: tuple, param: dict):
    raise _UsesMasks


def _torch(spec: Model, params: dict, init: dict, loss_args: dict, dropout, convention: str | None) -> tuple[torch.Tensor, dict]:
    """torch's loss and the gradient of every drawn parameter (None for one it does not
    use), computed once per question unless the learner's dropout masks enter it."""
    def compute(masks) -> tuple[torch.Tensor, dict]:
        tensors = {name: torch.tensor(value, requires_grad=True) for name, value in params.items()}
        loss = spec.oracle(tensors, init, loss_args, masks, convention)
        found = torch.autograd.grad(loss, list(tensors.values()), allow_unused=True)
        return loss.detach(), dict(zip(tensors, found))

    try:
        return answers.answer(spec.oracle, "loss and gradients", convention, (params, init, loss_args),
                              lambda: compute(_no_masks))
    except _UsesMasks:
        if not spec.masks:  # its examples would be sent ahead as if a net's were one exchange
            raise SpecError(f"Model {spec.cls}: its oracle reads the learner's dropout masks; say masks=True") from None
        return compute(dropout)


def _assigned_parameters(learner: Learner, cls: str) -> dict:
    """The constructor's parameters, less those of layers the learner's assignment does not
    assign: the adapted constructor call then builds the net without them."""
    parameters = dict(learner.signature(cls).parameters)
    from ..folder import assignment_of

    if assignment_of(learner.origin) == "assignment1":
        return {name: p for name, p in parameters.items() if name not in NOT_IN_ASSIGNMENT_1}
    return parameters


def _check_parameters(spec: Model, params, drawn: dict) -> None:
    """Check the constructor made the parameters CS231n names, which the drawn ones then
    replace. A scalar or a one-element array (a bias of 0) broadcasts to the documented
    shape, and the drawn value replaces it."""
    if not isinstance(params, dict) or not params:
        raise NotImplementedExercise(f"{spec.cls}.__init__: not implemented (self.params is empty)")
    missing, extra = sorted(set(drawn) - set(params)), sorted(set(params) - set(drawn))
    if missing or extra:
        raise Mismatch(
            f"{spec.cls}.__init__: self.params should hold {sorted(drawn)}"
            + (f"; missing {missing}" if missing else "") + (f"; unexpected {extra}" if extra else "")
        )
    for name, value in drawn.items():
        shape = np.shape(params[name])
        if shape != value.shape and np.size(params[name]) != 1:
            hint = " (transposed?)" if shape == value.shape[::-1] else ""
            raise Mismatch(f"{spec.cls}.__init__: self.params['{name}'] has shape {shape}, expected {value.shape}{hint}")


def _learner_masks(learner: Learner):
    """mask(shape, {"p", "seed"}): the units the learner's own dropout_forward keeps with the
    network's seeded parameters; each layer's mask is known without reading the network."""
    masks = {}

    def mask(shape: tuple, param: dict) -> np.ndarray:
        key = (shape, param["p"], param["seed"])
        if key not in masks:
            args = {"x": np.ones(shape), "dropout_param": {**param, "mode": "train"}}
            masks[key] = np.asarray(learner.call("dropout_forward", args, ("out", "cache"))["out"]) != 0
        return masks[key]

    return mask
