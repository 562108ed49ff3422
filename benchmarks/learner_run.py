"""Row 5: the learner's run in CPU seconds of the whole process (children included), each
against the floor measured in this run: importing numpy and torch. Medians of three runs
after one to warm up, as a learner's machine runs them (timing.AS_A_USER_HAS_IT); CPU time
is the stable figure on a shared machine. A learner's first run draws every example with
Hypothesis; later runs replay those the checks passed, kept in the user's cache
(backprop_dojo/kept_examples.py): both are measured, the first in an empty cache each time."""

from __future__ import annotations

import io
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .timing import AS_A_USER_HAS_IT

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "reference"
CHECK = (sys.executable, "-m", "backprop_dojo.cli", "check", str(REFERENCE), "-q", "-p", "no:cacheprovider")


def _cpu(*command: str, cache: str) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=ROOT, check=False, capture_output=True, env=AS_A_USER_HAS_IT | {"XDG_CACHE_HOME": cache})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _median(*command: str, first: bool = False) -> float:
    """After a run that writes the bytecode caches (and keeps the examples), as a learner's
    first run does: later runs, or with `first` each in an empty cache."""
    with tempfile.TemporaryDirectory() as kept:
        _cpu(*command, cache=kept)
        if not first:
            return statistics.median(_cpu(*command, cache=kept) for _ in range(3))
    times = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as empty:
            times.append(_cpu(*command, cache=empty))
    return statistics.median(times)


def _warm_notebook_check() -> float:
    """CPU of a second check() of one exercise in this process (the first one warms up)."""
    from rich.console import Console

    from backprop_dojo import check
    from reference import layers

    namespace = {"batchnorm_forward": layers.batchnorm_forward}
    quiet = Console(file=io.StringIO())
    check("batchnorm_backward", layers.batchnorm_backward, namespace=namespace, console=quiet)
    times = []
    for _ in range(3):
        start = time.process_time()
        check("batchnorm_backward", layers.batchnorm_backward, namespace=namespace, console=quiet)
        times.append(time.process_time() - start)
    return statistics.median(times)


def rows() -> list[tuple[str, float, float | None]]:
    """(what, CPU seconds, ratio to the floor, or None)."""
    floor = _median(sys.executable, "-c", "import numpy, torch")
    table = [("floor: python -c 'import numpy, torch'", floor, None)]
    for what, selected, target in ((" -k batchnorm_backward", ("-k", "batchnorm_backward"), "1.5x"),
                                   (", the whole catalogue", (), "2.5x")):
        for when, first in (("first run", True), ("later runs", False)):
            seconds = _median(*CHECK, *selected, first=first)
            table.append((f"backprop-dojo check{what}, {when} (target {target})", seconds, seconds / floor))
    table.append(("warm notebook check() of one exercise (target 0.1 s)", _warm_notebook_check(), None))
    return table
