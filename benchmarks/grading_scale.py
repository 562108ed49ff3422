"""`python -m benchmarks --scale`: grading 10, 20 and 40 copies of the reference with JOBS
jobs, each with `backprop-dojo grade` in a process of its own (default rubric, namespace
isolation), each run's wall time, and the peaks of that process's tree (the grader, its
workers, every learner process),
sampled every SAMPLE seconds from /proc: memory (PSS, shared pages split between the
processes that share them: the workers share torch), the grader's own part of it, the
largest single process (RSS), the open files of the busiest process, and the scratch the
sandbox writes under the temporary folder. Then what 500 submissions would take on this
machine, and which resource runs out first."""

from __future__ import annotations

import json
import os
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from backprop_dojo.plugin import REFERENCE

COUNTS = (10, 20, 40)
JOBS = 2
SAMPLE = 0.25  # seconds between two looks at /proc
TARGET = 500
SCRATCH = ("dojo-submission-*", "dojo-child-*")  # what the sandbox writes under the temporary folder


class Peaks:
    """The largest values seen, every SAMPLE seconds, over a process (this one by default)
    and its descendants."""

    def __init__(self, root: int | None = None):
        self.root = os.getpid() if root is None else root
        self.memory = self.grader = self.largest = self.files = self.scratch = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> "Peaks":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(SAMPLE):
            self.sample()

    def sample(self) -> None:
        processes = tree(self.root)
        sizes = [_memory(pid) for pid in processes]
        self.memory = max(self.memory, sum(pss for pss, _ in sizes))
        self.grader = max(self.grader, sizes[0][0])
        self.largest = max(self.largest, max(rss for _, rss in sizes))
        self.files = max(self.files, max(_open_files(pid) for pid in processes))
        self.scratch = max(self.scratch, scratch_bytes())


def tree(root: int) -> list[int]:
    """`root` and every process below it (Linux's /proc; learner processes in their own PID
    namespaces are listed here under this namespace's numbers)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += [child for child, parent in parents.items() if parent == pid]
    return found


def _memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) in bytes; PSS falls back to RSS where smaps_rollup cannot be read."""
    try:
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
        rss = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    except (OSError, ValueError):
        return 0, 0
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        pss = next(int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith("Pss:"))
    except (OSError, StopIteration, ValueError):
        pss = rss
    return pss, rss


def _open_files(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def scratch_bytes() -> int:
    """Bytes of the submissions' copies and the learner processes' folders now on disk."""
    total = 0
    for pattern in SCRATCH:
        for folder in Path(tempfile.gettempdir()).glob(pattern):
            for where, _, files in os.walk(folder):  # a folder removed meanwhile is skipped
                for name in files:
                    try:
                        status = os.lstat(os.path.join(where, name))
                    except OSError:
                        continue
                    total += status.st_size if stat.S_ISREG(status.st_mode) else 0
    return total


def measure(counts=COUNTS, jobs: int = JOBS) -> list[dict]:
    """One run per count: n, wall seconds, the peaks, and the bytes of its output folder."""
    runs = []
    with tempfile.TemporaryDirectory() as scratch:
        folders = [Path(shutil.copytree(REFERENCE, Path(scratch) / f"submission{i:03d}")) for i in range(max(counts))]
        for n in counts:
            out = Path(scratch) / f"out{n}"
            command = [sys.executable, "-m", "backprop_dojo.cli", "grade", *map(str, folders[:n]), "--out", str(out),
                       "--jobs", str(jobs), "--isolation", "namespaces"]
            start = time.perf_counter()
            grader = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with Peaks(grader.pid) as peaks:
                grader.wait()
            wall = time.perf_counter() - start
            results = [json.loads(path.read_text()) for path in out.glob("*/results.json")]
            if grader.returncode or len(results) != n or any(r["score"] != len(r["tests"]) for r in results):
                raise RuntimeError("a copy of the reference lost points")
            written = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
            runs.append({"n": n, "wall": wall, "memory": peaks.memory, "grader": peaks.grader, "largest": peaks.largest,
                         "files": peaks.files, "scratch": peaks.scratch, "out": written})
    return runs


def extrapolation(runs: list[dict], jobs: int = JOBS, target: int = TARGET) -> list[tuple[str, str]]:
    """What `target` submissions would take here, from the slope between the smallest and
    the largest run (memory, open files and scratch do not grow with the count: each job
    grades one submission at a time and frees its scratch), and what bounds the jobs."""
    first, last = runs[0], runs[-1]
    per_submission = (last["wall"] - first["wall"]) / (last["n"] - first["n"])
    grader = max(run["grader"] for run in runs)
    per_job = (max(run["memory"] for run in runs) - grader) / jobs
    free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    output = last["out"] / last["n"]
    scratch = max(run["scratch"] for run in runs)
    return [
        (f"{target} submissions, {jobs} jobs: wall",
         f"{(first['wall'] + per_submission * (target - first['n'])) / 60:.0f} min ({per_submission:.2f} s per submission)"),
        ("memory: the grader, then each job", f"{grader / 2**20:.0f} MB + {per_job / 2**20:.0f} MB"),
        ("jobs the free memory holds (the cores: {})".format(os.cpu_count()), f"{(free - grader) / per_job:.0f}"),
        ("open files, busiest process (its limit)",
         f"{max(run['files'] for run in runs)} ({resource.getrlimit(resource.RLIMIT_NOFILE)[0]})"),
        (f"disk: {target} results, then scratch per run", f"{output * target / 2**20:.1f} MB, {scratch / 2**20:.1f} MB"),
        ("submissions the free disk holds", f"{(shutil.disk_usage(tempfile.gettempdir()).free - scratch) / output:.0f}"),
    ]


def rows() -> tuple[list[tuple[str, ...]], list[tuple[str, str]]]:
    """The measured runs, formatted, and the extrapolation."""
    runs = measure()
    measured = [(str(run["n"]), f"{run['wall']:.1f} s", f"{run['memory'] / 2**20:.0f} MB",
                 f"{run['largest'] / 2**20:.0f} MB", str(run["files"]), f"{run['scratch'] / 2**20:.1f} MB")
                for run in runs]
    return measured, extrapolation(runs)
