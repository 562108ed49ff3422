"""Timing helpers: the best of several runs, so a busy machine inflates nothing it reports."""

import time
import timeit


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
