"""A realistic learner mistake: one edit of the reference solution.

A Bug names the exercise that must catch it and the single textual edit that makes it:
`old` must occur exactly once in the reference module's source and is replaced by `new`.
The edited module is executed afresh, so the bug also reaches every function that calls
the edited one (spatial batchnorm calling batchnorm, for instance).
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import linecache
from dataclasses import dataclass
from types import ModuleType

from backprop_dojo.exercises import EXERCISES
from backprop_dojo.learner import Learner, index
from backprop_dojo.verdict import own_functions, referenced


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
        first = source[:source.index(self.old)].count("\n") + 1
        learner.dependency_verdicts = UnchangedShared(self.module, _edited_definition(self.module, first, first + self.old.count("\n")))
        return learner


@functools.cache
def _original(module: str) -> tuple[Learner, tuple[tuple[int, int, str], ...]]:
    """The reference module's functions, and the lines of each top-level def and class."""
    loaded = importlib.import_module(module)
    learner = Learner(origin=module)
    index([loaded], learner.functions)
    spans = tuple((min([node.lineno, *(d.lineno for d in node.decorator_list)]), node.end_lineno, node.name)
                  for node in ast.parse(inspect.getsource(loaded)).body
                  if isinstance(node, (ast.FunctionDef, ast.ClassDef)))
    return learner, spans


def _edited_definition(module: str, first: int, last: int) -> str | None:
    """The top-level function or class whose lines hold the edit; None when the edit is
    (also) outside every definition, where it may change anything."""
    inside = [name for start, end, name in _original(module)[1] if start <= first and last <= end]
    return inside[0] if inside else None


@functools.cache
def _reached(module: str, exercise: str) -> frozenset[str]:
    """The module's functions an exercise's checks call, and every function of the module
    those refer to, by name: the same in the reference and in an edit of it, up to the
    edited definition."""
    learner, spec = _original(module)[0], EXERCISES[exercise].spec
    todo = [*own_functions(EXERCISES[exercise]), spec.forward, getattr(spec, "cls", exercise)]
    reached: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in reached and name in learner.functions:
            reached.add(name)
            todo += referenced(learner, name)[1]
    return frozenset(reached)


# The verdicts of exercises a failing one relies on, for the reference's own functions: the
# same for every bug whose edit does not reach them, so computed once for all of them.
_REFERENCE_VERDICTS: dict = {}


class UnchangedShared(dict):
    """A learner's dependency verdicts (the engine's cache, keyed by exercise name and run).
    Those of an exercise that reaches no function of the edited definition (a function, or
    a class and its methods) are the reference's: shared by every bug's learner. The others
    are this learner's own, and all are when the edit is outside every definition."""

    def __init__(self, module: str, edited: str | None):
        super().__init__()
        self.module, self.edited = module, edited

    def _shared(self, key) -> bool:
        if self.edited is None:
            return False
        return not any(name.split(".")[0] == self.edited for name in _reached(self.module, key[0]))

    def __contains__(self, key) -> bool:
        return key in _REFERENCE_VERDICTS if self._shared(key) else super().__contains__(key)

    def __getitem__(self, key):
        return _REFERENCE_VERDICTS[key] if self._shared(key) else super().__getitem__(key)

    def __setitem__(self, key, value) -> None:
        if self._shared(key):
            _REFERENCE_VERDICTS[key] = value
        else:
            super().__setitem__(key, value)
