"""The generic check templates, each registered once, with which exercises it applies to.
Each runs one example of one exercise: it draws a case from the spec, calls the learner's
functions, and compares with the spec's torch oracle. A new template is a check function,
an entry here (whether each example makes a single exchange with the learner, which a
sandboxed learner then gets ahead: ahead.py), and its pytest template in exercise_tests.py
(test_<name>)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..specs import Model, Optimizer, Spec
from .common import arguments, as_tensors
from .layers import backward, forward, randomness, state
from .models import model
from .optimizers import steps


@dataclass(frozen=True)
class Template:
    check: Callable  # check(exercise, learner, data, run_config)
    applies: Callable[[object, str], bool]  # applies(spec, name): to the function `name` of the spec
    # one_exchange(spec): each example makes one exchange with the learner (a chain of calls) and no other, its
    # calls known before it makes any; a sandboxed learner then gets every example's in one request (ahead.py)
    one_exchange: Callable[[object], bool] = lambda spec: False


def _layer(spec, name: str) -> bool:
    return isinstance(spec, Spec) and name == spec.forward


TEMPLATES = {
    "forward": Template(forward, _layer, one_exchange=lambda spec: True),
    # a layer's backward functions, and a loss's forward, which returns its gradient too
    "backward": Template(backward, lambda spec, name: isinstance(spec, Spec) and (
        name in spec.backward or (name == spec.forward and bool(spec.loss))), one_exchange=lambda spec: True),
    "state": Template(state, lambda spec, name: _layer(spec, name) and bool(spec.state), one_exchange=lambda spec: True),
    "randomness": Template(randomness, lambda spec, name: _layer(spec, name) and bool(spec.random), one_exchange=lambda spec: True),
    "model": Template(model, lambda spec, name: isinstance(spec, Model), one_exchange=lambda spec: not spec.masks),
    "steps": Template(steps, lambda spec, name: isinstance(spec, Optimizer), one_exchange=lambda spec: True),
}
CHECKS = {name: template.check for name, template in TEMPLATES.items()}
ONE_EXCHANGE = {template.check: template.one_exchange for template in TEMPLATES.values()}


def checks_of(spec, name: str) -> frozenset[str]:
    """The templates that apply to the function `name` of the spec."""
    return frozenset(check for check, template in TEMPLATES.items() if template.applies(spec, name))


__all__ = ["CHECKS", "ONE_EXCHANGE", "TEMPLATES", "arguments", "as_tensors", "checks_of", *CHECKS]
