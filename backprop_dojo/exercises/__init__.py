"""The registry of exercises: every spec of every module here, by CS231n function name.

To add an exercise, add a Spec to a module's SPECS (and that module to MODULES below,
with the assignment it belongs to); the checks pick it up without any change.
"""

from __future__ import annotations

from ..specs import Exercise, exercises_of
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
    exercise.name: exercise
    for module, assignment in MODULES.items()
    for spec in module.SPECS
    for exercise in exercises_of(spec, assignment)
}


def having(check: str) -> list[Exercise]:
    """The exercises that the check template `check` applies to."""
    return [exercise for exercise in EXERCISES.values() if check in exercise.checks]
