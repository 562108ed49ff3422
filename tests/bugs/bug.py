"""A realistic learner mistake: one edit of the reference solution.

A Bug names the exercise that must catch it and the single textual edit that makes it:
`old` must occur exactly once in the reference module's source and is replaced by `new`.
The edited module is executed afresh, so the bug also reaches every function that calls
the edited one (spatial batchnorm calling batchnorm, for instance).
"""

from __future__ import annotations

import importlib
import inspect
import linecache
from dataclasses import dataclass
from types import ModuleType

from backprop_dojo.exercises import EXERCISES
from backprop_dojo.learner import Learner, index
from backprop_dojo.verdict import own_functions


@dataclass(frozen=True)
class Bug:
    exercise: str
    mistake: str
    old: str
    new: str
    module: str = "reference.layers"

    def __str__(self) -> str:
        return f"{self.exercise}: {self.mistake}"

    def learner(self) -> Learner:
        """The reference solution with this one edit."""
        source = inspect.getsource(importlib.import_module(self.module))
        count = source.count(self.old)
        if count != 1:
            raise ValueError(f"{self}: the edit's text occurs {count} times in {self.module}")
        module = ModuleType(f"{self.module}_with_bug")
        module.__package__ = self.module.rpartition(".")[0]  # for its relative imports
        edited, filename = source.replace(self.old, self.new), f"<{self}>"
        linecache.cache[filename] = (len(edited), None, edited.splitlines(True), filename)  # for inspect
        exec(compile(edited, filename, "exec"), vars(module))
        learner = Learner(origin=str(self))
        index([module], learner.functions)
        learner.dependency_verdicts = UneditedShared(learner, module.__name__)
        return learner


# The verdicts of exercises a failing one relies on, for the reference's own functions: the
# same for every bug whose edit does not touch them, so computed once for all of them.
_REFERENCE_VERDICTS: dict = {}


class UneditedShared(dict):
    """A learner's dependency verdicts (the engine's cache, keyed by exercise name and run):
    those of an exercise none of whose functions the edited module defines are shared by
    every bug's learner; the others are this learner's own."""

    def __init__(self, learner: Learner, edited: str):
        super().__init__()
        self.learner, self.edited = learner, edited

    def _shared(self, key) -> bool:
        exercise = EXERCISES[key[0]]
        names = [*own_functions(exercise), exercise.spec.forward, getattr(exercise.spec, "cls", exercise.name)]
        functions = [self.learner.functions[name] for name in names if name in self.learner.functions]
        return all(getattr(function, "__module__", None) != self.edited for function in functions)

    def __contains__(self, key) -> bool:
        return key in _REFERENCE_VERDICTS if self._shared(key) else super().__contains__(key)

    def __getitem__(self, key):
        return _REFERENCE_VERDICTS[key] if self._shared(key) else super().__getitem__(key)

    def __setitem__(self, key, value) -> None:
        if self._shared(key):
            _REFERENCE_VERDICTS[key] = value
        else:
            super().__setitem__(key, value)

