"""Each grading worker runs on one core of its own, and its learner processes with it: the
two take turns, and waking the other on the same core is the cheaper turn (grade._worker)."""

import ast
import multiprocessing
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest

from backprop_dojo.grading import grade

FORK = multiprocessing.get_context("fork")
BARRIER = FORK.Barrier(2)  # inherited by the forked workers: each of the two takes one task


def _cores_of_a_worker_and_its_child() -> tuple[frozenset, frozenset]:
    BARRIER.wait(timeout=30)
    child = subprocess.run([sys.executable, "-c", "import os; print(sorted(os.sched_getaffinity(0)))"],
                           capture_output=True, text=True, check=True)
    return frozenset(os.sched_getaffinity(0)), frozenset(ast.literal_eval(child.stdout))


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs Linux and two cores")
def test_each_worker_and_its_learner_processes_share_a_core_of_their_own():
    with ProcessPoolExecutor(2, mp_context=FORK, initializer=grade._worker, initargs=(FORK.Value("i", 0),)) as pool:
        found = [future.result() for future in [pool.submit(_cores_of_a_worker_and_its_child) for _ in range(2)]]
    (first, first_child), (second, second_child) = found
    assert len(first) == len(second) == 1 and first != second
    assert (first_child, second_child) == (first, second)
    assert first | second <= os.sched_getaffinity(0)
