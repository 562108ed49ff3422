"""Loading a learner's code and calling it safely.

`load(path)` accepts a CS231n assignment folder (holding `cs231n/`), a package such as
`cs231n/` or `reference/`, or any folder of .py files. Every module is imported; one that
fails is recorded with its error and hides nothing else. Functions are then found by name
wherever they are defined, methods as `Class.method`.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import signal
import sys
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Mapping

import numpy as np
import pytest


class NotImplementedExercise(pytest.skip.Exception):
    """The learner has not written this function yet: its checks are skipped, not failed."""


class LearnerTimeout(BaseException):
    """A learner function ran too long. A BaseException, so Hypothesis stops at once
    instead of shrinking an input through many more slow calls."""


@dataclass(repr=False)
class Learner:
    """The functions found in one learner's code, and what failed to import."""

    origin: str
    functions: dict[str, Callable] = field(default_factory=dict)
    import_errors: dict[str, str] = field(default_factory=dict)
    timeout: float = 10.0

    def __repr__(self) -> str:
        return f"<learner code from {self.origin}>"

    def _repr_pretty_(self, printer, cycle) -> None:  # how Hypothesis prints it
        printer.text(repr(self))

    def function(self, name: str) -> Callable:
        __tracebackhide__ = True
        if name not in self.functions:
            reason = f"{name}: not implemented (no function of that name in {self.origin})"
            if self.import_errors:
                reason += "; these modules failed to import: " + ", ".join(self.import_errors)
            raise NotImplementedExercise(reason)
        return self.functions[name]

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

        Fails when the function changes an input array in place (other than those in
        `mutable`), returns the wrong number of values, or runs longer than the timeout;
        skips when it is not implemented (raises NotImplementedError, or returns None
        for every output but a config dict, like a starter stub).
        """
        __tracebackhide__ = True
        from .compare import Mismatch

        fn = self.function(name)
        positional, keyword = ((), dict(args)) if by_keyword else (tuple(args.values()), {})
        try:
            inspect.signature(fn).bind(*positional, **keyword)
        except (TypeError, ValueError) as error:
            shown = ", ".join(f"{k}=" if by_keyword else k for k in args)
            raise Mismatch(f"{name} cannot be called as {name}({shown}): {error}") from None
        before = {k: v.copy() for k, v in args.items() if isinstance(v, np.ndarray) and k not in mutable}
        try:
            with _time_limit(self.timeout, name), warnings.catch_warnings(record=True) as warned:
                warnings.simplefilter("always", RuntimeWarning)  # numpy's overflow, divide, invalid
                result = fn(*positional, **keyword)
        except NotImplementedError as error:
            raise NotImplementedExercise(f"{name}: not implemented ({error})") from None
        for key, original in before.items():
            if not np.array_equal(args[key], original, equal_nan=True):
                raise Mismatch(
                    f"{name} changed its input {key} in place; work on a copy "
                    f"(e.g. {key} = {key}.copy()) or use out-of-place operations"
                )
        if not returns:
            return {}
        if len(returns) == 1:
            result = (result,)
        elif not isinstance(result, tuple) or len(result) != len(returns):
            raise Mismatch(f"{name} should return a tuple ({', '.join(returns)}); got {_kind(result)}")
        if all(value is None or isinstance(value, dict) for value in result):  # (None, config)
            raise NotImplementedExercise(f"{name}: not implemented (returned None)")
        named = dict(zip(returns, result))
        _explain_non_finite(name, named, [w for w in warned if issubclass(w.category, RuntimeWarning)])
        return named


def _explain_non_finite(name: str, named: dict, warned: list) -> None:
    """A non-finite output that numpy warned about is reported with numpy's warning and the
    learner's line that raised it: an overflow in exp says so."""
    from .compare import Mismatch

    bad = [
        key for key, value in named.items()
        if key != "cache" and isinstance(value, (np.ndarray, float, np.floating))
        and np.issubdtype(np.asarray(value).dtype, np.floating) and not np.isfinite(value).all()
    ]
    if bad and warned:
        said = dict.fromkeys(f'"{w.message}" at {Path(w.filename).name}:{w.lineno}' for w in warned)
        hint = ""
        if any(word in said_text for said_text in said for word in ("exp", "log")):
            hint = "\n  exp overflows above about 709 (and underflows to 0 below -745): shift its inputs first, e.g. by each row's maximum"
        raise Mismatch(f"{name}: {bad[0]} is not finite; numpy warned " + ", ".join(list(said)[:3]) + hint)


def _kind(value) -> str:
    if isinstance(value, tuple):
        return f"a tuple of {len(value)}"
    return f"a {type(value).__name__}"


@contextmanager
def _time_limit(seconds: float, name: str):
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise LearnerTimeout(f"{name} did not return within {seconds:g} s (an endless loop?)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def load(path: str | Path, timeout: float = 10.0) -> Learner:
    """Import every module under `path` and index its functions by name."""
    folder = Path(path).resolve()
    if not folder.is_dir():
        raise FileNotFoundError(f"no such folder: {path}")
    if (folder / "cs231n").is_dir():
        folder = folder / "cs231n"
    learner = Learner(origin=str(path), timeout=timeout)
    if (folder / "__init__.py").exists():
        root, prefix = folder.parent, folder.name + "."
        names = [folder.name]
    else:
        root, prefix, names = folder, "", []
    with _imports_from(root):
        modules = _import_all(names, [str(folder)], prefix, learner.import_errors, timeout)
        modules += _with_naive_fast_layers(modules, prefix, learner.import_errors, timeout)
    index(modules, learner.functions)
    return learner


# CS231n's fast layers need the compiled im2col_cython; without it they fail at import or
# at the first call. The naive layers compute the same thing, so they stand in.
FAST_LAYERS = {
    "conv_forward_fast": "conv_forward_naive",
    "conv_backward_fast": "conv_backward_naive",
    "max_pool_forward_fast": "max_pool_forward_naive",
    "max_pool_backward_fast": "max_pool_backward_naive",
}


def _with_naive_fast_layers(modules, prefix, errors, timeout) -> list[ModuleType]:
    """Unless im2col_cython was compiled, point every fast-layer name at the learner's naive
    layer, and retry the modules that failed to import for want of fast_layers. Returns
    the modules that import now."""
    if any(module.__name__.endswith("im2col_cython") for module in modules):
        return []
    found: dict[str, Callable] = {}
    index(modules, found)
    if not all(naive in found for naive in FAST_LAYERS.values()):
        return []
    stand_ins = {fast: found[naive] for fast, naive in FAST_LAYERS.items()}
    fast_layers = f"{prefix}fast_layers"
    if fast_layers in errors:
        stand_in = sys.modules[fast_layers] = ModuleType(fast_layers, "the learner's naive layers, standing in")
        stand_in.__file__ = inspect.getfile(found["conv_forward_naive"])  # forgotten with the learner's modules
        vars(stand_in).update(stand_ins)
    retried = [name for name in errors if name != fast_layers]
    for name in retried:
        del errors[name]
    imported = _import_all(retried, [], prefix, errors, timeout, walk=False)
    for module in modules + imported:
        for fast in stand_ins.keys() & vars(module).keys():
            setattr(module, fast, stand_ins[fast])
    return imported


def _import_all(names, search_path, prefix, errors, timeout, walk=True) -> list[ModuleType]:
    """Import every module (found by walking search_path, unless walk is False); one that
    raises, exits or hangs is recorded and skipped."""

    def record(name):
        errors[name] = _error_text(sys.exc_info()[1])

    try:  # walking imports the packages themselves
        with _time_limit(timeout, f"importing {prefix or 'the folder'}"):
            if walk:
                names = names + [info.name for info in pkgutil.walk_packages(search_path, prefix, onerror=record)]
    except (SystemExit, LearnerTimeout) as error:
        errors[prefix.rstrip(".") or search_path[0]] = _error_text(error)
        return []
    modules = []
    for name in names:
        if name in errors:
            continue
        try:
            with _time_limit(timeout, f"importing {name}"):
                modules.append(importlib.import_module(name))
        except (Exception, SystemExit, LearnerTimeout) as error:
            errors[name] = _error_text(error)
    return modules


def _error_text(error: BaseException | None) -> str:
    return f"{type(error).__name__}: {error}"


@contextmanager
def _imports_from(root: Path):
    """Put `root` first on sys.path while importing, then forget the modules imported from
    it, so that another learner's `layers.py` or `cs231n` can be loaded next."""
    already = set(sys.modules)
    sys.path.insert(0, str(root))
    try:
        yield
    finally:
        sys.path.remove(str(root))
        for name in set(sys.modules) - already:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if Path(module_file).resolve().is_relative_to(root):
                del sys.modules[name]


def index(modules: list[ModuleType], functions: dict[str, Callable]) -> None:
    """Functions defined in a module win over the same name imported into another."""
    for defined_here in (True, False):
        for module in sorted(modules, key=lambda m: m.__name__):
            for name, obj in vars(module).items():
                if (getattr(obj, "__module__", None) == module.__name__) != defined_here:
                    continue
                if inspect.isfunction(obj):
                    functions.setdefault(name, obj)
                elif inspect.isclass(obj):
                    functions.setdefault(name, obj)
                    for method, member in inspect.getmembers(obj, inspect.isfunction):  # inherited too
                        functions.setdefault(f"{name}.{method}", member)
