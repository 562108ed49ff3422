"""Finding a learner's functions: import every module of a folder and index its functions
by name. Standard library only, and no import of this package: the grading sandbox's
child process runs this file by path, where the harness itself must not be importable.

`load_functions(path)` accepts a CS231n assignment folder (holding `cs231n/`), a package
such as `cs231n/` or `reference/`, or any folder of .py files. Every .py file is a module,
whether or not its folder has an `__init__.py` (the official starters of 2019-2025 have no
`cs231n/classifiers/__init__.py`). A module that fails to import (raises, exits or hangs) is
recorded with its error and hides nothing else: a package whose `__init__` fails still
lends its path to the modules below it. Functions are found by name wherever they are
defined, methods as `Class.method`.

Not imported: `setup.py` (it builds the Cython fast layers), and modules that import torch
(2025's `rnn_layers_pytorch.py`: PyTorch code under NumPy names is not the NumPy exercise).
Without a compiled `im2col_cython`, the learner's naive layers stand in for the fast ones.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import io
import os
import re
import signal
import sys
import threading
import warnings
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable
from types import ModuleType

SKIPPED_FOLDERS = {"__pycache__", ".git", ".ipynb_checkpoints", "datasets", "build", ".venv", "venv"}
NEVER_IMPORTED = {"setup.py"}
USES_TORCH = re.compile(r"^(import|from)\s+torch\b", re.MULTILINE)


class LearnerTimeout(BaseException):
    """A learner function ran too long. A BaseException, so Hypothesis stops at once
    instead of shrinking an input through many more slow calls."""


def timed_out(name: str, seconds: float) -> LearnerTimeout:
    return LearnerTimeout(f"{name} did not return within {seconds:g} s (an endless loop?)")


@contextmanager
def time_limit(seconds: float, name: str):
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise timed_out(name, seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Found:
    """What a folder holds: its functions by name, the modules that failed to import with
    why, the names those modules define (read from their source), and notes for the
    learner (modules left out, compiler warnings)."""

    functions: dict[str, Callable] = field(default_factory=dict)
    import_errors: dict[str, str] = field(default_factory=dict)
    unimportable: dict[str, str] = field(default_factory=dict)  # function name -> its module
    notes: list[str] = field(default_factory=list)


def load_functions(path: str | Path, timeout: float = 10.0) -> Found:
    """Import every module under `path` (see the module docstring)."""
    folder = Path(path).resolve()
    if not folder.is_dir():
        raise FileNotFoundError(f"no such folder: {path}")
    root, top, package = _layout(folder)
    found = Found()
    sources: dict[str, Path] = {}
    for file in _sources(top):
        name = _module_name(file, top, package)
        if name is None:
            continue
        if USES_TORCH.search(_read(file)):
            found.notes.append(f"{_shown(file, root)} imports torch: PyTorch code is not read for the NumPy exercises")
            continue
        sources[name] = file
    printed = io.StringIO()
    with _imports_from(root, package), _compiled_afresh() as compiler, redirect_stdout(printed), redirect_stderr(printed):
        modules = _import_all(sources, root, found, timeout)
        modules += _with_naive_fast_layers(modules, sources, root, package, found, timeout)
    lines = printed.getvalue().splitlines()
    if lines:
        found.notes.append(f"your modules printed {len(lines)} line(s) while importing, the first: {lines[0][:200]}")
    found.notes += [f"{_shown(Path(w.filename), root)}:{w.lineno}: {w.message}" for w in compiler
                    if issubclass(w.category, SyntaxWarning) and Path(w.filename).is_relative_to(root)]
    index(modules, found.functions)
    for name, error in found.import_errors.items():
        if name in sources:
            for defined in _defined_names(_read(sources[name])):
                found.unimportable.setdefault(defined, name)
    return found


def _layout(folder: Path) -> tuple[Path, Path, str | None]:
    """(the folder put on sys.path, the folder whose modules are imported, their package):
    an assignment folder's cs231n/, a package itself, or a plain folder of modules."""
    if (folder / "cs231n").is_dir():
        return folder, folder / "cs231n", "cs231n"
    if folder.name == "cs231n" or (folder / "__init__.py").exists():
        return folder.parent, folder, folder.name
    return folder, folder, None


def _sources(top: Path) -> list[Path]:
    """The .py files to import, but none of another assignment folder below (one holding a
    cs231n/ of its own): a folder above the assignments is not one of them."""
    files = []
    for file in sorted(top.rglob("*.py")):
        parts = file.relative_to(top).parts
        if set(parts[:-1]) & SKIPPED_FOLDERS or file.name in NEVER_IMPORTED or not file.is_file():
            continue
        if any((top.joinpath(*parts[:depth]) / "cs231n").is_dir() for depth in range(1, len(parts))):
            continue
        files.append(file)
    return files


def _module_name(file: Path, top: Path, package: str | None) -> str | None:
    parts = list(file.relative_to(top).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    parts = ([package] if package else []) + parts
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts)


def _read(file: Path) -> str:
    return file.read_text(encoding="utf-8", errors="replace")


def _shown(file: Path, root: Path) -> str:
    try:
        return str(file.resolve().relative_to(root))
    except ValueError:
        return str(file)


def _import_all(sources: dict[str, Path], root: Path, found: Found, timeout: float) -> list[ModuleType]:
    """Import each module, parents first; one that raises, exits or hangs is recorded and
    skipped, and a package that fails is replaced by a bare one so that the modules below
    it can still be imported."""
    modules = []
    for name in sorted(sources, key=lambda n: (n.count("."), n)):
        if name in found.import_errors:  # a retry: not the bare package left by the last try
            sys.modules.pop(name, None)
        try:
            with time_limit(timeout, f"importing {name}"):
                modules.append(importlib.import_module(name))
            found.import_errors.pop(name, None)
        except (Exception, SystemExit, LearnerTimeout) as error:
            found.import_errors[name] = error_text(error, root)
            if sources[name].name == "__init__.py":
                _bare_package(name, sources[name])
    return modules


def _bare_package(name: str, init: Path) -> None:
    package = ModuleType(name, "a package whose __init__ failed to import")
    package.__path__, package.__file__ = [str(init.parent)], str(init)
    sys.modules[name] = package
    parent, _, child = name.rpartition(".")
    if parent in sys.modules:
        setattr(sys.modules[parent], child, package)


# CS231n's fast layers need the compiled im2col_cython; without it they fail at import or
# at the first call. The naive layers compute the same thing, so they stand in.
FAST_LAYERS = {
    "conv_forward_fast": "conv_forward_naive",
    "conv_backward_fast": "conv_backward_naive",
    "max_pool_forward_fast": "max_pool_forward_naive",
    "max_pool_backward_fast": "max_pool_backward_naive",
}


def _with_naive_fast_layers(modules, sources, root, package, found: Found, timeout) -> list[ModuleType]:
    """Unless im2col_cython was compiled, point every fast-layer name at the learner's naive
    layer, making a fast_layers module of them where there is none or it failed, and retry
    the modules that failed for want of it. Returns the modules that import now."""
    if any(module.__name__.endswith("im2col_cython") for module in modules):
        return []
    naive: dict[str, Callable] = {}
    index(modules, naive)
    if not all(name in naive for name in FAST_LAYERS.values()):
        return []
    stand_ins = {fast: naive[name] for fast, name in FAST_LAYERS.items()}
    fast_layers = f"{package}.fast_layers" if package else "fast_layers"
    if fast_layers not in sys.modules or fast_layers in found.import_errors:
        found.import_errors.pop(fast_layers, None)
        stand_in = sys.modules[fast_layers] = ModuleType(fast_layers, "the learner's naive layers, standing in")
        stand_in.__file__ = inspect.getfile(naive["conv_forward_naive"])  # forgotten with the learner's modules
        vars(stand_in).update(stand_ins)
    retried = {name: file for name, file in sources.items()
               if name in found.import_errors and re.search(r"fast_layers|im2col", found.import_errors[name])}
    imported = _import_all(retried, root, found, timeout)
    for module in modules + imported:
        for fast in stand_ins.keys() & vars(module).keys():
            setattr(module, fast, stand_ins[fast])
    return imported


@dataclass(frozen=True)
class Ran:
    """What one call of a learner's function did."""

    result: object
    changed: tuple[str, ...]  # the array arguments it changed in place
    warned: tuple[str, ...]  # numpy's RuntimeWarnings, each with the learner's file and line
    written: dict[str, str]  # each changed array -> the line that writes into it


def run_function(function: Callable, args: dict, by_keyword: bool, before: dict, within: Callable) -> Ran:
    """Call a learner's function on `args` (positionally in their order, or by keyword)
    inside `within()` (its time limit), telling which arrays it changed in place against
    `before` (copies of the arguments as they were) and where. The one way the learner's
    code is called, here (learner.py) and in the grader's child (grading/child.py)."""
    import numpy as np

    with within(), warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always", RuntimeWarning)  # numpy's overflow, divide, invalid
        result = function(**args) if by_keyword else function(*args.values())
    changed = tuple(key for key, old in before.items() if isinstance(old, np.ndarray) and not _same_values(args[key], old))
    said = tuple(f'"{w.message}" at {Path(w.filename).name}:{w.lineno}' for w in warned if issubclass(w.category, RuntimeWarning))
    written = {}
    if changed:
        with within():
            written = where_written(function, {**args, **before}, by_keyword, changed)
    return Ran(result, changed, said, written)


def _same_values(now, old) -> bool:
    """np.array_equal(now, old, equal_nan=True), an array left bit for bit as it was told first."""
    import numpy as np

    return same_bits(now, old) or np.array_equal(now, old, equal_nan=True)


def same_bits(one, other) -> bool:
    """Whether two arrays are the same bit for bit: dtype, shape and every item. By their
    bytes when small (ten times as fast as NumPy's comparison); a large one compared as
    unsigned integers of its item's size, without a copy (its bytes, copied, took 20 times
    as long at 64,000 items)."""
    import numpy as np

    if one.shape != other.shape or one.dtype != other.dtype:
        return False
    size = one.dtype.itemsize
    if one.nbytes > SMALL_ARRAY and size in (1, 2, 4, 8) and not one.dtype.hasobject:
        return bool(np.array_equal(one.view(f"u{size}"), other.view(f"u{size}")))
    return one.tobytes() == other.tobytes()


SMALL_ARRAY = 32 * 2**10  # bytes


def where_written(function: Callable, args: dict, by_keyword: bool, changed: tuple[str, ...]) -> dict[str, str]:
    """For each argument the function changed in place, the line that writes into it
    ("layers.py:41", or "" if none is found): the function runs again on copies of the
    original arguments with that one array read-only, and the write raises there."""
    import copy
    import traceback

    lines = {}
    for key in changed:
        lines[key] = ""
        try:
            again = copy.deepcopy(args)
            again[key].setflags(write=False)
            function(**again) if by_keyword else function(*again.values())
        except ValueError as error:
            frames = [f for f in traceback.extract_tb(error.__traceback__) if "numpy" not in Path(f.filename).parts]
            if "read-only" in str(error) and frames:
                lines[key] = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}"
        except Exception:  # it fails on the second run for its own reasons: no line to show
            pass
    return lines


def error_text(error: BaseException | None, root: Path | None = None) -> str:
    """Why a module failed to import, in the learner's terms: a syntax error says where,
    and names Python 2 syntax when that is what it is; a file inside `root` is named by its
    path in the folder (the grader imports a copy of it, from a folder named afresh each run)."""
    if isinstance(error, SyntaxError):
        where = _shown(Path(error.filename), root) if error.filename and root else (error.filename or "?")
        python2 = _python2(error)
        what = f"Python 2 syntax: {python2}" if python2 else f"{type(error).__name__}: {error.msg}"
        code = (error.text or "").strip()
        return f"{where} cannot be imported: {what} at line {error.lineno}" + (f": {code}" if code else "")
    said = str(error).replace(f"{root}{os.sep}", "") if root else str(error)
    return f"{type(error).__name__}: {said}"


PYTHON2 = (
    (re.compile(r"^\s*print\b(?!\s*\()"), "print statement"),
    (re.compile(r"^\s*exec\b(?!\s*\()"), "exec statement"),
    (re.compile(r"except\s+[\w.]+\s*,\s*\w+\s*:"), "except X, e"),
    (re.compile(r"^\s*raise\s+[\w.]+\s*,"), "raise X, message"),
    (re.compile(r"`"), "backquotes"),
    (re.compile(r"<>"), "the <> operator"),
    (re.compile(r"\b0\d+\b"), "an octal literal such as 0777"),
    (re.compile(r"\bu?r?u?r[\"']|\bur[\"']"), "a ur'' string"),
)


def _python2(error: SyntaxError) -> str | None:
    if isinstance(error, TabError):
        return "tabs and spaces mixed in the indentation"
    if "Missing parentheses in call to 'print'" in str(error.msg):
        return "print statement"
    for pattern, name in PYTHON2:
        if pattern.search(error.text or ""):
            return name
    return None


def _defined_names(source: str) -> list[str]:
    """The functions, classes and methods a module's source defines, also when it is not
    valid Python 3."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        names, cls = [], None
        for match in re.finditer(r"^([ \t]*)(def|class)[ \t]+(\w+)", source, re.MULTILINE):
            indent, kind, name = match.groups()
            if not indent:
                cls = name if kind == "class" else None
                names.append(name)
            elif cls and kind == "def":
                names.append(f"{cls}.{name}")
        return names
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        if isinstance(node, ast.ClassDef):
            names += [f"{node.name}.{item.name}" for item in node.body if isinstance(item, ast.FunctionDef)]
    return names


@contextmanager
def _compiled_afresh():
    """Compile every source while importing (the compiler's warnings, such as `is` with a
    literal, are seen) and write no __pycache__ into the learner's folder."""
    saved = sys.dont_write_bytecode, sys.pycache_prefix
    # no folder can be made under os.devnull (tempfile's temporary folder cost 5 ms to import)
    nowhere = os.path.join(os.devnull, "backprop-dojo-reads-no-pycache")
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", SyntaxWarning)
        sys.dont_write_bytecode, sys.pycache_prefix = True, nowhere
        try:
            yield said
        finally:
            sys.dont_write_bytecode, sys.pycache_prefix = saved


@contextmanager
def _imports_from(root: Path, package: str | None):
    """Put `root` first on sys.path while importing, with any modules of the package's name
    set aside; then forget the modules imported from it and put the others back, so that
    another learner's `layers.py` or `cs231n` can be loaded next."""
    aside = {name: module for name, module in sys.modules.items() if package and name.split(".")[0] == package}
    for name in aside:
        del sys.modules[name]
    already = set(sys.modules)
    sys.path.insert(0, str(root))
    try:
        yield
    finally:
        sys.path.remove(str(root))
        for name in set(sys.modules) - already:
            if name.split(".")[0] == package or _from(sys.modules[name], root):
                del sys.modules[name]
        sys.modules.update(aside)


def _from(module: ModuleType, root: Path) -> bool:
    places = [getattr(module, "__file__", None) or ""] + list(getattr(module, "__path__", None) or [])
    return any(place and Path(place).resolve().is_relative_to(root) for place in places)


def index(modules: list[ModuleType], functions: dict[str, Callable]) -> None:
    """Functions defined in a module win over the same name imported into another."""
    for defined_here in (True, False):
        for module in sorted(modules, key=lambda m: m.__name__):
            for name, obj in vars(module).items():
                if (getattr(obj, "__module__", None) == module.__name__) == defined_here:
                    add_callable(functions, name, obj)


def add_callable(functions: dict[str, Callable], name: str, obj) -> None:
    """A function or a class by its name, and a class's methods (inherited ones too) as
    Class.method; a name already known keeps its first."""
    if inspect.isfunction(obj) or inspect.isclass(obj):
        functions.setdefault(name, obj)
    if inspect.isclass(obj):
        for method, member in inspect.getmembers(obj, inspect.isfunction):
            functions.setdefault(f"{name}.{method}", member)
