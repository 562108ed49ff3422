"""Grading submissions: each in its own sandboxed process, in parallel, written as
Gradescope's results.json per submission and one summary.csv.

Results are written only once every submission of the run is graded and every learner
process is gone, so no submission can overwrite another's results.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Callable

from ..exercises import EXERCISES
from ..learner import LearnerCrash
from ..verdict import Outcome, run, verdict
from .rubric import Rubric
from .sandbox import SandboxedLearner


def grade(folder: Path, rubric: Rubric, *, timeout: float = 10.0, memory_mb: int = 2048,
          hidden: tuple[Path, ...] = (), isolation: str = "auto") -> dict:
    """One submission's Gradescope results: a test per exercise, scored all or nothing."""
    import torch

    torch.set_num_threads(1)
    started = time.monotonic()
    try:
        learner = SandboxedLearner(folder, timeout, memory_mb, hidden, isolation)
    except LearnerCrash as crash:  # it cannot even be imported: every exercise fails with why
        tests = [_test(item, {"import": Outcome("failed", str(crash))}) for item in rubric.items]
        return _results(tests, rubric, {}, str(crash), started)
    try:
        tests = [_test(item, _outcomes(item.exercise, learner, rubric)) for item in rubric.items]
        return _results(tests, rubric, learner.import_errors, None, started)
    finally:
        learner.close()


def _outcomes(exercise: str, learner: SandboxedLearner, rubric: Rubric) -> dict[str, Outcome]:
    try:
        return run(EXERCISES[exercise], learner, rubric.examples, rubric.seed or 0, rubric.strict)
    except Exception as error:  # the grader's own fault: this exercise fails, no result is lost
        return {"grader": Outcome("failed", f"the grader failed here, please report it: {type(error).__name__}: {error}")}


def _test(item, outcomes: dict[str, Outcome]) -> dict:
    """One exercise: full marks when it passes (a warning included), with its verdict in
    the learner's vocabulary (passed, warned, failed, not implemented, not checked)."""
    status = verdict(outcomes).status
    passed = status in ("passed", "warned")
    return {
        "name": item.exercise,
        "score": item.weight if passed else 0.0,
        "max_score": item.weight,
        "status": "passed" if passed else "failed",
        "output": "\n".join(f"{check}: {o.status}" + (f"\n{o.message}" if o.message else "") for check, o in outcomes.items()),
        "visibility": item.visibility,
        "extra_data": {"verdict": status},
    }


def _results(tests: list[dict], rubric: Rubric, import_errors: dict, broken: str | None, started: float) -> dict:
    return {
        "score": sum(test["score"] for test in tests),
        "execution_time": round(time.monotonic() - started, 2),
        "output": _summary(tests, rubric, import_errors, broken),
        "visibility": "visible",
        "tests": tests,
    }


def _summary(tests: list[dict], rubric: Rubric, import_errors: dict, broken: str | None) -> str:
    """The top-level message. It never says everything passed while hidden checks remain."""
    shown = [test for test in tests if test["visibility"] == "visible"]
    passed = sum(test["status"] == "passed" for test in shown)
    lines = [f"{passed} / {len(shown)} visible exercises pass."]
    if rubric.hidden:
        lines.append("Hidden checks remain: the grade includes examples or exercises your own run does not show.")
    if broken:
        lines.append(f"The submission could not be imported: {broken}")
    lines += [f"Module {name} failed to import: {error}" for name, error in import_errors.items()]
    return "\n".join(lines)


def shard(folders: list[Path], index: int, count: int) -> list[Path]:
    """The I-th of N deterministic shares (1-based), by folder name."""
    if not 1 <= index <= count:
        raise ValueError(f"--shard {index}/{count}: I must be between 1 and N")
    return [folder for position, folder in enumerate(sorted(folders, key=lambda f: f.name)) if position % count == index - 1]


def grade_all(folders: list[Path], out: Path, rubric: Rubric, *, jobs: int = 1, timeout: float = 10.0,
              memory_mb: int = 2048, isolation: str = "auto", progress: Callable[[str], None] = lambda name: None) -> dict:
    """Grade every folder, `jobs` at a time, then write OUT/<name>/results.json and summary.csv."""
    names = [folder.name for folder in folders]
    if len(set(names)) != len(names):
        raise ValueError("two submissions share a folder name; results are written by name")
    hidden = tuple(folder.resolve() for folder in folders) + (out.resolve(),)
    options = {"timeout": timeout, "memory_mb": memory_mb, "hidden": hidden, "isolation": isolation}
    results = {}
    # fork: the workers inherit torch, imported once; each grades one submission at a time
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {pool.submit(grade, folder, rubric, **options): folder.name for folder in folders}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            progress(futures[future])
    write(out, results)
    return results


def write(out: Path, results: dict[str, dict]) -> None:
    for name, result in results.items():
        (out / name).mkdir(parents=True, exist_ok=True)
        (out / name / "results.json").write_text(json.dumps(result, indent=2) + "\n")
    everything = {path.parent.name: json.loads(path.read_text()) for path in out.glob("*/results.json")}
    write_summary(out / "summary.csv", everything)


def write_summary(path: Path, results: dict[str, dict]) -> None:
    """One row per submission, by name, and a column per exercise."""
    exercises = [name for name in EXERCISES if any(t["name"] == name for r in results.values() for t in r["tests"])]
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["submission", "score", "max_score", *exercises])
        for name in sorted(results):
            scores = {test["name"]: test["score"] for test in results[name]["tests"]}
            max_score = sum(test["max_score"] for test in results[name]["tests"])
            writer.writerow([name, results[name]["score"], max_score, *(scores.get(e, "") for e in exercises)])


def merge(shards: list[Path], out: Path) -> dict:
    """Join the outputs of sharded runs into one."""
    results = {}
    for folder in shards:
        for path in sorted(folder.glob("*/results.json")):
            if path.parent.name in results:
                raise ValueError(f"{path.parent.name} was graded in two shards")
            results[path.parent.name] = json.loads(path.read_text())
    write(out, results)
    return results
