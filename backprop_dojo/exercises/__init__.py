"""The registry of exercises: every spec of every module here, by CS231n function name.

To add an exercise, add a Spec to a module's SPECS (and that module to MODULES below,
with the assignment it belongs to); the checks pick it up without any change.
"""

from __future__ import annotations

from ..checks import checks_of
from ..specs import Exercise, Spec
from . import classifiers, extras, layers, nets, optimizers, rnn

MODULES = {
    classifiers: "assignment1",
    layers: "assignment2",
    nets: "assignment2",
    optimizers: "assignment2",
    rnn: "assignment3",
    extras: "extras",
}

EXERCISES: dict[str, Exercise] = {
    name: Exercise(name, spec, checks_of(spec, name), assignment)
    for module, assignment in MODULES.items()
    for spec in module.SPECS
    for name in (spec.forward, *(spec.backward if isinstance(spec, Spec) else ()))
}


def having(check: str) -> list[Exercise]:
    """The exercises that the check template `check` applies to."""
    return [exercise for exercise in EXERCISES.values() if check in exercise.checks]
