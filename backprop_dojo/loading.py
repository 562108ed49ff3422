"""Finding a learner's functions: import every module of a folder and index its functions
by name. Standard library only, and no import of this package: the grading sandbox's
child process runs this file by path, where the harness itself must not be importable.

`load_functions(path)` accepts a CS231n assignment folder (holding `cs231n/`), a package
such as `cs231n/` or `reference/`, or any folder of .py files. A module that fails to import
(raises, exits or hangs) is recorded with its error and hides nothing else. Functions are
found by name wherever they are defined, methods as `Class.method`.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Callable


class LearnerTimeout(BaseException):
    """A learner function ran too long. A BaseException, so Hypothesis stops at once
    instead of shrinking an input through many more slow calls."""


@contextmanager
def time_limit(seconds: float, name: str):
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


def load_functions(path: str | Path, timeout: float = 10.0) -> tuple[dict[str, Callable], dict[str, str]]:
    """Import every module under `path`: its functions by name, and the modules that failed
    to import with their errors."""
    folder = Path(path).resolve()
    if not folder.is_dir():
        raise FileNotFoundError(f"no such folder: {path}")
    if (folder / "cs231n").is_dir():
        folder = folder / "cs231n"
    functions: dict[str, Callable] = {}
    errors: dict[str, str] = {}
    if (folder / "__init__.py").exists():
        root, prefix = folder.parent, folder.name + "."
        names = [folder.name]
    else:
        root, prefix, names = folder, "", []
    with _imports_from(root):
        modules = _import_all(names, [str(folder)], prefix, errors, timeout)
        modules += _with_naive_fast_layers(modules, prefix, errors, timeout)
    index(modules, functions)
    return functions, errors


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
        with time_limit(timeout, f"importing {prefix or 'the folder'}"):
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
            with time_limit(timeout, f"importing {name}"):
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
