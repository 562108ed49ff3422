"""The bug catalogue: realistic learner mistakes, each one edit of the reference solution.

A Bug names the exercise that must catch it and the single textual edit that makes it:
`old` must occur exactly once in the reference module's source and is replaced by `new`.
The edited module is executed afresh, so the bug also reaches every function that calls
the edited one (spatial batchnorm calling batchnorm, for instance).
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from types import ModuleType

from backprop_dojo.learner import Learner


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
        exec(compile(source.replace(self.old, self.new), f"<{self}>", "exec"), vars(module))
        functions = {name: obj for name, obj in vars(module).items() if inspect.isfunction(obj)}
        return Learner(origin=str(self), functions=functions)


BUGS = [
    # Filled in against the reference's source below.
]
