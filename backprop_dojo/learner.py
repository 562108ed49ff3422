"""Calling a learner's code safely: every call is checked for in-place changes to its
inputs, its arity, its running time and non-finite results; a missing function or a
NotImplementedError is "not implemented". `load(path)` finds the functions (loading.py).

The learner gets copies of the arrays and fresh (not interned) strings, as the grader's
wire gives them: an input changed in place harms nothing, so with right values it passes
with a LooseForm warning naming the argument and the line (an error under --strict-forms),
and `cell_type is "rnn"` behaves the same in every run.
"""

from __future__ import annotations

import inspect
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import numpy as np
import pytest

from . import stubs
from .copies import copied
from .loading import LearnerTimeout, index, load_functions, run_function, time_limit

__all__ = ["Call", "Earlier", "Given", "Learner", "LearnerCrash", "LearnerError", "LearnerTimeout", "ModuleBroken",
           "NotImplementedExercise", "STOPPED", "index", "load"]


class NotImplementedExercise(pytest.skip.Exception):
    """The learner has not written this function yet: its checks are skipped, not failed."""


class LearnerCrash(BaseException):
    """The learner's sandboxed process died: a crash, a kill at the timeout, or a resource
    limit. A BaseException, so Hypothesis stops at once."""


class LearnerError(Exception):
    """The learner's code raised an exception in its sandboxed process; the message
    carries the learner's own frames."""


# How running the learner's code can end besides with a result or an exception of its own:
# stopped by the harness. BaseExceptions, so the learner's own `except Exception` cannot
# swallow them; whoever catches what the learner's code did catches these too.
STOPPED = (LearnerTimeout, LearnerCrash)


@dataclass(frozen=True)
class Execution:
    """What one call of the learner's code did."""

    result: Any
    changed: dict[str, str]  # the array arguments it changed in place, each with the line that did
    warned: tuple[str, ...]  # numpy's runtime warnings, each with the learner's file and line


@dataclass(frozen=True)
class Earlier:
    """An argument of a chained call: output `output` of call number `call` of the same chain
    (a cache, an instance), passed on as that call returned it."""

    call: int
    output: str


@dataclass(frozen=True)
class Given:
    """An argument of a chained call: argument `argument` of call number `call` of the same
    chain as that call left it (a dict the learner writes its running statistics into);
    with `changes`, a copy of it with those entries changed."""

    call: int
    argument: str
    changes: dict | None = None


@dataclass
class Call:
    """One call of the learner's code, as the reproducer shows it: the arguments as they
    were given (arrays and dicts copied), and what it returned."""

    name: str
    args: dict[str, Any]
    by_keyword: bool
    returns: tuple[str, ...]
    result: Any = None


def helpers_note(helpers: dict[str, str]) -> str:
    """The one line that names the modules no exercise needs which failed to import."""
    return "not imported, and not needed by any exercise: " + ", ".join(f"{name} ({error})" for name, error in helpers.items())


class ModuleBroken(Exception):
    """The learner's function is defined in a module that cannot be imported."""


@dataclass(repr=False)
class Learner:
    """The functions found in one learner's code, and what failed to import. The checks use
    only the methods below, which a sandboxed learner (grading/sandbox.py) provides too."""

    in_this_process = True  # its code runs here: the global PRNGs a check seeds are its own

    origin: str
    functions: dict[str, Callable] = field(default_factory=dict)
    import_errors: dict[str, str] = field(default_factory=dict)
    timeout: float = 10.0
    unimportable: dict[str, str] = field(default_factory=dict)  # a name defined in a module that failed -> the module
    notes: list[str] = field(default_factory=list)  # modules left out, compiler warnings
    # what the checks keep between calls: the calls of the current example (for the
    # reproducer), and the verdicts of exercises others rely on
    calls: list[Call] = field(default_factory=list, compare=False)
    dependency_verdicts: dict = field(default_factory=dict, compare=False)
    explaining: set[str] = field(default_factory=set, compare=False)
    signatures: dict = field(default_factory=dict, compare=False)  # name -> (what it was read from, its signature)
    sources: dict = field(default_factory=dict, compare=False)  # name -> (the function, its source)
    bindable: dict = field(default_factory=dict, compare=False)  # (name, argument names, by keyword) -> the signature they bind to

    def __repr__(self) -> str:
        return f"<learner code from {self.origin}>"

    def _repr_pretty_(self, printer, cycle) -> None:  # how Hypothesis prints it
        printer.text(repr(self))

    def has(self, name: str) -> bool:
        return name in self.functions

    def signature(self, name: str) -> inspect.Signature:
        """The function's signature, read once per function (every call binds to it)."""
        __tracebackhide__ = True
        self._require(name)
        return self._read_once(self.signatures, name, inspect.signature)

    def source(self, name: str) -> tuple[str, int] | None:
        """The function's source and its first line, if any survives (not for exec'd code),
        read once per function."""
        self._require(name)
        return self._read_once(self.sources, name, _source)

    def _read_once(self, known: dict, name: str, read: Callable):
        """read(function) of the function `name`, kept in `known` as long as the name
        stands for the same function object."""
        function = self.functions[name]
        found = known.get(name)
        if found is None or found[0] is not function:
            found = known[name] = (function, read(function))
        return found[1]

    def failed_imports(self) -> tuple[dict[str, str], dict[str, str]]:
        """The modules that failed to import, each with its error: those defining an
        exercise (whose exercises then fail), and the others (helpers no exercise needs)."""
        from .exercises import EXERCISES

        theirs = {module for name, module in self.unimportable.items() if name in EXERCISES}
        return ({module: self.import_errors[module] for module in sorted(theirs)},
                {module: error for module, error in sorted(self.import_errors.items()) if module not in theirs})

    def unwritten(self, name: str) -> int | None:
        """The line where the function's first TODO block still empty begins, if any."""
        found = self.source(name) if self.has(name) else None
        return stubs.empty_block(*found) if found else None

    def attribute(self, obj, name: str):
        """An attribute of an object the learner's code made (a network's params)."""
        return getattr(obj, name, None)

    def update(self, obj, name: str, items: dict) -> None:
        """Set entries of a dict attribute of an object the learner's code made."""
        self.calls.append(Call(f"object.{name}.update", {"self": obj, "items": _snapshot(items)}, False, ()))
        getattr(obj, name).update(items)

    def call(
        self,
        name: str,
        args: Mapping[str, Any],
        returns: tuple[str, ...],
        mutable: tuple[str, ...] = (),
        by_keyword: bool = False,
    ) -> dict[str, Any]:
        """Call `name(*args.values())`, or `name(**args)` by_keyword, and name its results
        (none when `returns` is empty).

        Warns (LooseForm) when the function changes an input array in place (other than
        those in `mutable`); fails when it returns the wrong number of values or runs
        longer than the timeout; skips when it is not implemented (raises
        NotImplementedError, or returns None for every output but its cache or config,
        like a starter stub).
        """
        __tracebackhide__ = True
        return self._call(name, args, returns, mutable, by_keyword, self._execute)

    def chain(self, calls: list[dict]) -> Iterator[dict[str, Any]]:
        """Each call's named results, one per step, as call(**planned) returns them; an
        Earlier argument stands for an earlier call's output, a Given one for an earlier
        call's argument as that call left it. A call that fails raises at its step. A step
        {"operation": "attribute" or "update", "name", "args": {"self"[, "items"]}} is
        attribute() ({"value": it}) or update() ({}) instead. A sandboxed learner runs the
        calls in one exchange with its process, with the same checks and verdicts."""
        return self._chain(calls, [])

    def _chain(self, calls: list[dict], ran: list[Callable]) -> Iterator[dict[str, Any]]:
        """chain(), the first calls' executions (an _execute each) given by `ran`."""
        __tracebackhide__ = True
        results: list[dict[str, Any]] = []
        given: list[dict[str, Any]] = []  # each call's arguments, as it left them
        for index, planned in enumerate(calls):
            args = {key: _resolved(value, results, given) for key, value in planned["args"].items()}
            given.append(args)
            execute = ran[index] if index < len(ran) else None
            if planned.get("operation"):
                results.append(self._step(planned["operation"], planned["name"], args, execute))
            else:
                results.append(self._call(planned["name"], args, planned["returns"], planned.get("mutable", ()),
                                          planned.get("by_keyword", False), execute or self._execute))
            yield results[-1]

    def _step(self, operation: str, name: str, args: dict, execute: Callable | None) -> dict[str, Any]:
        """A chain's attribute or update step: made here, or by `execute` (an _execute)."""
        if execute is not None:
            value = execute(name, args, False, (), {}).result
        elif operation == "attribute":
            value = self.attribute(args["self"], name)
        else:
            self.update(args["self"], name, args["items"])
        return {"value": value} if operation == "attribute" else {}

    def _bind(self, name: str, args: Mapping[str, Any], by_keyword: bool) -> None:
        """A Mismatch unless the arguments bind to the function's signature."""
        __tracebackhide__ = True
        from .compare import Mismatch

        signature, called_as = self.signature(name), (name, tuple(args), by_keyword)
        if self.bindable.get(called_as) is not signature:  # whether arguments bind depends on their names alone
            try:
                signature.bind(*(() if by_keyword else args.values()), **(args if by_keyword else {}))
            except (TypeError, ValueError) as error:
                shown = ", ".join(f"{k}=" if by_keyword else k for k in args)
                raise Mismatch(f"{name} cannot be called as {name}({shown}): {error}") from None
            self.bindable[called_as] = signature

    def _call(self, name: str, args: Mapping[str, Any], returns: tuple[str, ...], mutable: tuple[str, ...],
              by_keyword: bool, execute: Callable) -> dict[str, Any]:
        __tracebackhide__ = True
        from .compare import LooseForm, Mismatch

        self._bind(name, args, by_keyword)
        call = Call(name, {key: _snapshot(value) for key, value in args.items()}, by_keyword, returns)
        self.calls.append(call)
        done = execute(name, {key: _fresh(value) for key, value in args.items()}, by_keyword, returns, call.args)
        call.result = done.result
        for key in sorted(done.changed.keys() - set(mutable)):
            where = f" at {done.changed[key]}" if done.changed[key] else ""
            warnings.warn(LooseForm(
                f"{name} changed its input {key} in place{where}; the values are right, but a caller's {key} "
                f"would change too: work on a copy ({key} = {key}.copy()) or use out-of-place operations"
            ), stacklevel=3)
        if not returns:
            return {}
        result = done.result
        if len(returns) == 1:
            result = (result,)
        elif not isinstance(result, tuple) or len(result) != len(returns):
            raise Mismatch(f"{name} should return a tuple ({', '.join(returns)}); got {_kind(result)}")
        outputs = [value for key, value in zip(returns, result) if key not in ("cache", "config")]
        if all(value is None for value in outputs) or all(value is None or isinstance(value, dict) for value in result):
            raise NotImplementedExercise(f"{name}: not implemented (returned None)")
        named = dict(zip(returns, result))
        _explain_non_finite(name, named, done.warned)
        return named

    def _require(self, name: str) -> None:
        __tracebackhide__ = True
        if not self.has(name) and name in self.unimportable:
            module = self.unimportable[name]
            raise ModuleBroken(f"{name} cannot be checked: {module} failed to import: {self.import_errors[module]}")
        if not self.has(name):
            reason = f"{name}: not implemented (no function of that name in {self.origin})"
            if self.import_errors:
                reason += "; these modules failed to import: " + ", ".join(self.import_errors)
            raise NotImplementedExercise(reason)

    def _execute(self, name: str, args: Mapping[str, Any], by_keyword: bool, returns, before: Mapping[str, Any]) -> Execution:
        """Run the learner's function here, in this process, on `args`; `before` holds the
        arguments as they were (copies), to tell what it changed in place."""
        __tracebackhide__ = True
        try:
            ran = run_function(self.functions[name], args, by_keyword, before, lambda: time_limit(self.timeout, name))
        except NotImplementedError as error:
            raise NotImplementedExercise(f"{name}: not implemented ({error})") from None
        return Execution(ran.result, ran.written, ran.warned)


def _explain_non_finite(name: str, named: dict, warned: tuple[str, ...]) -> None:
    """A non-finite output that numpy warned about is reported with numpy's warning and the
    learner's line that raised it, and each warning's remedy (fingerprints.py): an overflow
    in exp says to shift by the row maximum, a negative in sqrt to clip at 0."""
    if not warned:
        return
    from .compare import Mismatch
    from .fingerprints import non_finite_remedies

    bad = [
        key for key, value in named.items()
        if key != "cache" and isinstance(value, (np.ndarray, float, np.floating))
        and np.issubdtype(np.asarray(value).dtype, np.floating) and not np.isfinite(value).all()
    ]
    if bad and warned:
        said = list(dict.fromkeys(warned))
        hints = "".join(f"\n  likely cause: {remedy}" for remedy in non_finite_remedies(said))
        raise Mismatch(f"{name}: {bad[0]} is not finite; numpy warned " + ", ".join(said[:3]) + hints)


def _source(function: Callable) -> tuple[str, int] | None:
    try:
        lines, first = inspect.getsourcelines(function)
    except (OSError, TypeError):
        return None
    return "".join(lines), first


def _resolved(value, results: list[dict], given: list[dict]):
    """A chained call's argument: an Earlier or Given one found in what the calls before
    returned and were given, anything else itself."""
    if isinstance(value, Earlier):
        return results[value.call][value.output]
    if isinstance(value, Given):
        before = given[value.call][value.argument]
        return before if value.changes is None else {**copied(before), **value.changes}
    return value


def _snapshot(value):
    """An argument as it was before the call: arrays and dicts copied, anything else (a
    cache, a network) itself, so that the reproducer can tell where it came from."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {key: _snapshot(item) for key, item in value.items()}
    return value


def _fresh(value):
    """A copy of an array, and of a string a new object (as a string decoded from the wire
    is), inside dicts too; a dict itself is passed on, so what the learner writes into it
    (running statistics, an optimizer's state) is seen."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, str) and len(value) > 1:
        return value[:1] + value[1:]
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                value[key] = _fresh(item)
    return value


def _kind(value) -> str:
    if isinstance(value, tuple):
        return f"a tuple of {len(value)}"
    return f"a {type(value).__name__}"


def load(path: str | Path, timeout: float = 10.0) -> Learner:
    """The learner code in `path`, imported into this process (see loading.py)."""
    found = load_functions(path, timeout)
    return Learner(origin=str(path), functions=found.functions, import_errors=found.import_errors, timeout=timeout,
                   unimportable=found.unimportable, notes=found.notes)
