"""Row 3: grading throughput. COPIES copies of the reference solution, graded with the
default rubric by the same code as `backprop-dojo grade`, with 1 and then 2 jobs: the wall
time, the core-seconds per submission (CPU time of the grader and of every learner process)
and the speed-up."""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from pathlib import Path

from backprop_dojo.grading import rubric
from backprop_dojo.grading.grade import grade_all
from backprop_dojo.plugin import REFERENCE

COPIES = 20


def rows(copies: int = COPIES) -> list[tuple[str, float]]:
    table, walls = [], {}
    with tempfile.TemporaryDirectory() as scratch:
        folders = [Path(shutil.copytree(REFERENCE, Path(scratch) / f"submission{i:02d}")) for i in range(copies)]
        for jobs in (1, 2):
            cpu, start = _cpu_seconds(), time.perf_counter()
            results = grade_all(folders, Path(scratch) / f"out{jobs}", rubric.load(), jobs=jobs)
            walls[jobs] = time.perf_counter() - start
            if any(result["score"] != len(result["tests"]) for result in results.values()):
                raise RuntimeError("a copy of the reference lost points")
            table.append((f"{copies} submissions, {jobs} job(s): wall", walls[jobs]))
            table.append((f"{copies} submissions, {jobs} job(s): core-seconds per submission", (_cpu_seconds() - cpu) / copies))
    table.append(("speed-up, 1 to 2 jobs", walls[1] / walls[2]))
    return table


def _cpu_seconds() -> float:
    """This process's CPU time and that of every finished process it started."""
    return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
