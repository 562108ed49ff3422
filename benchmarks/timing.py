"""Timing helpers: the best of several runs, so a busy machine inflates nothing it reports;
and the environment a command is timed in."""

import os
import time
import timeit

# A command is timed as a user's machine runs it: Python writes its bytecode caches (this
# machine's PYTHONDONTWRITEBYTECODE=1 would make every process recompile, and pytest
# assertion-rewrite Hypothesis, again), after a first run has written them.
AS_A_USER_HAS_IT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def best_seconds(fn, repeat: int = 5) -> float:
    """The fastest of `repeat` measurements of one call, each averaged over enough calls
    to last at least 0.05 s."""
    timer = timeit.Timer(fn)
    calls, _ = timer.autorange() if _duration(fn) < 0.05 else (1, None)
    return min(timer.repeat(repeat=repeat, number=calls)) / calls


def _duration(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
