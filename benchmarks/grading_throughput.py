"""Row 3: grading throughput. COPIES copies of the reference solution, graded with the
default rubric by the same code as `backprop-dojo grade` (namespace isolation), with 1 and
then 2 jobs: the wall time, the core-seconds per submission and the speed-up.

The core-seconds count every process: the grader and its workers (RUSAGE_SELF and
RUSAGE_CHILDREN) and the learner processes, which the grader never reaps (each dies with
its namespace), by what they report (sandbox.reported_cpu); then the part of those spent
inside the learner's functions. Not counted: each learner namespace's PID 1 (jail.py).

Measured in an interpreter of its own, as `backprop-dojo grade` runs: in this benchmark's
process, grown to 2.4 GB by row 1, each submission cost 0.11-0.16 core-seconds more (the
workers fork from it; starting a learner's process alone took 20 ms of CPU instead of 3)."""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from backprop_dojo.grading import rubric
from backprop_dojo.grading.grade import grade_all
from backprop_dojo.grading.sandbox import reported_cpu
from backprop_dojo.plugin import REFERENCE

COPIES = 20
ROOT = Path(__file__).resolve().parent.parent


def rows(copies: int = COPIES) -> list[tuple[str, str]]:
    done = subprocess.run([sys.executable, "-m", "benchmarks.grading_throughput", str(copies)], cwd=ROOT,
                          stdout=subprocess.PIPE, text=True, check=True)  # its errors reach this run's stderr
    return [tuple(row) for row in json.loads(done.stdout)]


def _measured(copies: int) -> list[tuple[str, str]]:
    table, walls = [], {}
    with tempfile.TemporaryDirectory() as scratch:
        folders = [Path(shutil.copytree(REFERENCE, Path(scratch) / f"submission{i:02d}")) for i in range(copies)]
        for jobs in (1, 2):
            grader, children, start = grader_cpu(), reported_cpu(), time.perf_counter()
            results = grade_all(folders, Path(scratch) / f"out{jobs}", rubric.load(), jobs=jobs, isolation="namespaces")
            walls[jobs] = time.perf_counter() - start
            if any(result["score"] != len(result["tests"]) for result in results.values()):
                raise RuntimeError("a copy of the reference lost points")
            learner_processes, learner_code = (after - before for after, before in zip(reported_cpu(), children))
            total = grader_cpu() - grader + learner_processes
            table += [
                (f"{copies} submissions, {jobs} job(s): wall", f"{walls[jobs]:.1f} s"),
                (f"{jobs} job(s): core-seconds per submission, every process", f"{total / copies:.2f} s"),
                (f"{jobs} job(s): of which the learner's processes", f"{learner_processes / copies:.2f} s"),
                (f"{jobs} job(s): of which inside the learner's functions (target: 30% of their processes')",
                 f"{learner_code / copies:.2f} s ({learner_code / learner_processes:.0%})"),
            ]
    table.append(("speed-up, 1 to 2 jobs (wall)", f"{walls[1] / walls[2]:.2f}x"))
    return table


def grader_cpu() -> float:
    """This process's CPU time and that of every finished process it reaped (the workers,
    and what they reaped)."""
    return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


if __name__ == "__main__":
    print(json.dumps(_measured(int(sys.argv[1]))))
