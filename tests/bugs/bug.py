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

from backprop_dojo.learner import Learner, index


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
        return learner

