"""Row 5: the learner's run in CPU seconds of the whole process (children included), each
against the floor measured in this run: importing numpy and torch. Medians of three runs
after one to warm up, as a learner's machine runs them (timing.AS_A_USER_HAS_IT); CPU time
is the stable figure on a shared machine."""

from __future__ import annotations

import io
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .timing import AS_A_USER_HAS_IT

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "reference"
CHECK = (sys.executable, "-m", "backprop_dojo.cli", "check", str(REFERENCE), "-q", "-p", "no:cacheprovider")


def _cpu(*command: str) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=ROOT, check=False, capture_output=True, env=AS_A_USER_HAS_IT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _median(*command: str) -> float:
    _cpu(*command)  # writes the bytecode caches, as a learner's first run does
    return statistics.median(_cpu(*command) for _ in range(3))


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
    one = _median(*CHECK, "-k", "batchnorm_backward")
    everything = _median(*CHECK)
    return [
        ("floor: python -c 'import numpy, torch'", floor, None),
        ("backprop-dojo check -k batchnorm_backward (target 1.5x)", one, one / floor),
        ("backprop-dojo check, the whole catalogue (target 2.5x)", everything, everything / floor),
        ("warm notebook check() of one exercise (target 0.1 s)", _warm_notebook_check(), None),
    ]
