"""Grading submissions: each in its own sandboxed process, in parallel, written as
Gradescope's results.json per submission and one summary.csv.

Each results.json is written, atomically, as soon as its submission is graded, with what it
was graded from: a rerun into the same folder skips the submissions whose files and rubric
have not changed. SIGINT or SIGTERM stops the run within seconds, ends every learner process,
removes their folders and keeps what is finished. An exception of the harness itself is a
"grader error": it costs the learner nothing (kept out of max_score) and a rerun grades that
submission again.
"""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing
import os
import signal
import threading
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from hypothesis.errors import Flaky

from ..exercises import EXERCISES
from ..learner import STOPPED, LearnerCrash, LearnerError, NotImplementedExercise, helpers_note
from ..run_config import RunConfig
from ..specs import Model
from ..verdict import Outcome, run, verdict
from .copying import digest
from .output_safety import bounded, lock_output, safe_cell, safe_folder_name, write_atomically
from .rubric import Rubric, run_config as rubric_run_config
from .sandbox import SandboxedLearner, choose_isolation, close_every_learner, protect_grader

GRADER_ERROR = "grader error"
STOP_WITHIN = 3.0  # seconds a worker has to end its learner process before it is killed


class Interrupted(BaseException):
    """SIGINT or SIGTERM: the run stopped, finished results kept."""

    def __init__(self, signum: int, done: int = 0, remaining: int = 0):
        super().__init__(signum, done, remaining)
        self.signum, self.done, self.remaining = signum, done, remaining


def grade(folder: Path, rubric: Rubric, run_config: RunConfig | None = None, *, timeout: float = 10.0,
          memory_mb: int = 2048, isolation: str = "namespaces", budget: float | None = None) -> dict:
    """One submission's Gradescope results: a test per exercise, scored all or nothing,
    checked as `run_config` says (by default, as the rubric says)."""
    import torch

    run_config = run_config or rubric_run_config(rubric)

    torch.set_num_threads(1)
    started = time.monotonic()
    warning = choose_isolation(isolation)[1]
    try:
        learner = SandboxedLearner(folder, timeout, memory_mb, isolation=isolation, budget=budget)
    except LearnerCrash as crash:  # it cannot even be imported: every exercise fails with why
        tests = [_scored(item, {"import": Outcome("failed", str(crash))}) for item in rubric.items]
        return _results(tests, rubric, run_config, ({}, {}), str(crash), started, folder, warning)
    except Exception:  # the harness could not start it: nothing is the learner's fault
        tests = [_grader_error(item, traceback.format_exc()) for item in rubric.items]
        return _results(tests, rubric, run_config, ({}, {}), None, started, folder, warning)
    try:
        tests = [_test(item, learner, run_config) for item in rubric.items]
        return _results(tests, rubric, run_config, learner.failed_imports(), None, started, folder, learner.warning)
    finally:
        learner.close()


def _test(item, learner: SandboxedLearner, run_config: RunConfig) -> dict:
    exercise = EXERCISES[item.exercise]
    try:
        outcomes = run(exercise, learner, run_config)
    except Flaky:  # the same example failed, then passed: the learner's code is not repeatable
        outcomes = {"repeatable": Outcome("failed", _unrepeatable(exercise))}
    except (LearnerError, NotImplementedExercise, *STOPPED) as failure:
        outcomes = {"learner": Outcome("failed", f"{type(failure).__name__}: {failure}")}
    except Exception:
        return _grader_error(item, traceback.format_exc())
    return _scored(item, outcomes)


def _unrepeatable(exercise) -> str:
    spec = exercise.spec
    if getattr(spec, "random", None):
        why = (f"seed it with {spec.random.param}['seed'] when it is given "
               f"(np.random.seed({spec.random.param}['seed'])) and draw the mask with np.random")
    elif isinstance(spec, Model):
        why = "the net passes a seed to every dropout layer: your dropout_forward must seed with dropout_param['seed']"
    else:
        why = "its result must not depend on chance or on what an earlier call left behind"
    return f"your {spec.forward} gives different results for the same input: {why}"


def _scored(item, outcomes: dict[str, Outcome]) -> dict:
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


def _grader_error(item, trace: str) -> dict:
    """The harness failed on this exercise: no points at stake (max_score 0) until regraded."""
    said = trace.strip().splitlines()[-1]
    return {
        "name": item.exercise,
        "score": 0.0,
        "max_score": 0.0,
        "status": "failed",
        "output": f"the grader failed here, not your code ({said}); this exercise is not counted until it is regraded",
        "visibility": item.visibility,
        "extra_data": {"verdict": GRADER_ERROR, "weight": item.weight, "traceback": trace[-4000:]},
    }


def _results(tests: list[dict], rubric: Rubric, run_config: RunConfig, failed_imports: tuple, broken: str | None,
             started: float, folder: Path, warning: str | None = None) -> dict:
    summary = _summary(tests, rubric, failed_imports, broken)
    return {
        "score": sum(test["score"] for test in tests),
        "execution_time": round(time.monotonic() - started, 2),
        "output": f"{warning}\n{summary}" if warning else summary,
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"graded_from": digest(folder), "graded_with": graded_with(rubric, run_config)},
    }


def _summary(tests: list[dict], rubric: Rubric, failed_imports: tuple, broken: str | None) -> str:
    """The top-level message. It never says everything passed while hidden checks remain."""
    counted = [test for test in tests if test["extra_data"]["verdict"] != GRADER_ERROR]
    shown = [test for test in counted if test["visibility"] == "visible"]
    passed = sum(test["status"] == "passed" for test in shown)
    lines = [f"{passed} / {len(shown)} visible exercises pass."]
    if len(counted) < len(tests):
        lines.append(f"The grader failed on {len(tests) - len(counted)} exercises (not your code): "
                     "they are not counted and will be regraded.")
    if rubric.hidden:
        lines.append("Hidden checks remain: the grade includes examples or exercises your own run does not show.")
    if broken:
        lines.append(f"The submission could not be imported: {broken}")
    theirs, helpers = failed_imports
    lines += [f"Module {name} failed to import (its exercises fail): {error}" for name, error in theirs.items()]
    if helpers:
        lines.append("Note: " + helpers_note(helpers))
    return "\n".join(lines)


def grader_errors(result: dict) -> list[str]:
    """The exercises the harness failed on, each with its error."""
    return [f"{test['name']}: {test['output']}" for test in result["tests"]
            if test.get("extra_data", {}).get("verdict") == GRADER_ERROR]


def graded_with(rubric: Rubric, run_config: RunConfig) -> str:
    """The rubric and the run (its course year and conventions from the rubric or a flag)."""
    return hashlib.sha256(f"{rubric.digest()}\0{run_config!r}".encode()).hexdigest()[:16]


def shard(folders: list[Path], index: int, count: int) -> list[Path]:
    """The I-th of N deterministic shares (1-based), by folder name."""
    if not 1 <= index <= count:
        raise ValueError(f"--shard {index}/{count}: I must be between 1 and N")
    return [folder for position, folder in enumerate(sorted(folders, key=lambda f: f.name)) if position % count == index - 1]


def grade_all(folders: list[Path], out: Path, rubric: Rubric, run_config: RunConfig | None = None, *, jobs: int = 1,
              timeout: float = 10.0,
              memory_mb: int = 2048, isolation: str = "namespaces", budget: float | None = None, force: bool = False,
              part: tuple[int, int] = (1, 1), progress: Callable[[str], None] = lambda name: None,
              kept: Callable[[int], None] = lambda n: None) -> dict:
    """Grade every folder, `jobs` at a time, writing OUT/<name>/results.json as each is done,
    then summary.csv; results still valid for the folder and rubric are kept unless `force`.
    `part` is the shard (I, N) this run is, recorded in OUT/manifest.json for `merge`. Only
    one run writes into OUT at a time. `run_config`: how to check (by default, as the rubric says)."""
    names = [folder.name for folder in folders]
    if len(set(names)) != len(names):
        raise ValueError("two submissions share a folder name; results are written by name")
    protect_grader()  # before the workers fork: no learner process can read their memory
    with lock_output(out):
        return _grade_all(folders, out, rubric, run_config or rubric_run_config(rubric), jobs, part, force, progress, kept,
                          {"timeout": timeout, "memory_mb": memory_mb, "isolation": isolation, "budget": budget})


def _grade_all(folders, out, rubric, run_config, jobs, part, force, progress, kept, options) -> dict:
    names = [folder.name for folder in folders]
    (out / "summary.csv").unlink(missing_ok=True)  # it would describe another run until this one ends
    key = graded_with(rubric, run_config)
    write_json(out / "manifest.json", {"shard": list(part), "submissions": sorted(names), "graded_with": key})
    results = {} if force else {f.name: r for f in folders if (r := _still_valid(results_path(out, f.name), f, key))}
    kept(len(results))
    todo = [folder for folder in folders if folder.name not in results]
    with _signals_raise():
        # fork: the workers inherit torch, imported once, and what the warm-up computed;
        # each grades one submission at a time
        fork = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=fork, initializer=_worker, initargs=(fork.Value("i", 0),))
        try:
            if todo:  # the workers fork at the first submit, after it
                _warm_up(rubric, run_config)
            futures = {pool.submit(grade, folder, rubric, run_config, **options): folder.name for folder in todo}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                write_json(results_path(out, futures[future]), results[futures[future]])
                progress(futures[future])
        except Interrupted as stop:
            _end_workers(pool)
            raise Interrupted(stop.signum, len(results), len(folders) - len(results)) from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    write_summary(out / "summary.csv", results)
    return results


def _warm_up(rubric: Rubric, run_config: RunConfig) -> None:
    """Record each check's examples and torch's answers to them here, once, for the
    workers forked next to inherit: by checking the reference solution, in this process, as
    the rubric says. Each worker would otherwise compute them for itself, through its first
    submission's process, its examples one exchange each (3.5 core-seconds here, against
    1.8 for this and 1 for the submission replayed); its wall time is added to the run's."""
    import torch

    from ..learner import load
    from ..plugin import REFERENCE

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as the workers check
    try:
        reference = load(REFERENCE)
        for item in rubric.items:
            try:
                run(EXERCISES[item.exercise], reference, run_config)
            except Exception:  # a fault of the harness: each worker meets it and reports a grader error
                continue
    finally:
        torch.set_num_threads(threads)


def _still_valid(path: Path, folder: Path, key: str) -> dict | None:
    try:
        result = json.loads(path.read_text())
        extra = result["extra_data"]
        same = extra["graded_from"] == digest(folder) and extra["graded_with"] == key
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return result if same and not grader_errors(result) else None


@contextmanager
def _signals_raise():
    """SIGINT and SIGTERM raise Interrupted here (once: a second one waits for the cleanup)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, signal.SIG_IGN)
        raise Interrupted(signum)

    before = {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def _worker(started) -> None:
    """A pool worker leaves SIGINT to the main process, and on SIGTERM ends its learner
    (whose processes each run in a session of its own, out of reach of the terminal) and exits.
    It runs on one core of its own (round robin over those allowed), and so do its learner
    processes, which inherit it: the worker and its learner take turns, a request and then
    its reply, and waking the other on the same core costs half what it costs across cores
    (the learner's process spends most of its time in those turns)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end_worker)
    with started.get_lock():
        index, started.value = started.value, started.value + 1
    if hasattr(os, "sched_setaffinity"):  # Linux
        allowed = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {allowed[index % len(allowed)]})


def _end_worker(signum, frame) -> None:
    """Kill every process this worker started (one may be starting, not yet its learner's),
    close its learner (what its processes started, its folders) and exit. A second SIGTERM (the
    pool sends its own once it sees a worker gone) is ignored: its handler would wait for the
    learner's process while the first, interrupted, holds that wait's lock."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    for pid in _children(os.getpid()):
        try:
            os.killpg(pid, signal.SIGKILL) if os.getpgid(pid) == pid else os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    close_every_learner()
    os._exit(128 + signum)


def _children(parent: int) -> list[int]:
    """The processes whose parent is `parent` (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """SIGTERM every worker, then SIGKILL those still alive after STOP_WITHIN seconds."""
    workers = list(pool._processes.values())  # the executor has no public way to end its workers
    for worker in workers:
        if worker.is_alive():
            worker.terminate()
    deadline = time.monotonic() + STOP_WITHIN
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            worker.kill()
            worker.join()


def results_path(out: Path, name: str) -> Path:
    """Where a submission's results go: OUT/<its folder name>/results.json (a name that
    would collide with the summary's is prefixed)."""
    return out / safe_folder_name(name) / "results.json"


def write_json(path: Path, value) -> None:
    """Write atomically (a reader sees the old file or the whole new one, never a part),
    results clipped to Gradescope's limits."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name == "results.json":
        value = bounded(value)
    write_atomically(path, json.dumps(value, indent=2) + "\n")


def write_summary(path: Path, results: dict[str, dict]) -> None:
    """One row per submission, by name, and a column per exercise (a grader error counts
    for nothing and says so)."""
    exercises = [name for name in EXERCISES if any(t["name"] == name for r in results.values() for t in r["tests"])]
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["submission", "score", "max_score", *exercises])
        for name in sorted(results):
            scores = {test["name"]: GRADER_ERROR if test.get("extra_data", {}).get("verdict") == GRADER_ERROR
                      else test["score"] for test in results[name]["tests"]}
            max_score = sum(test["max_score"] for test in results[name]["tests"])
            writer.writerow([safe_cell(name), results[name]["score"], max_score, *(scores.get(e, "") for e in exercises)])


def merge(shards: list[Path], out: Path) -> dict:
    """Join the outputs of sharded runs into one: every shard of one run, each complete."""
    manifests = []
    for folder in shards:
        try:
            manifests.append((folder, json.loads((folder / "manifest.json").read_text())))
        except (OSError, ValueError):
            raise ValueError(f"{folder}: no readable manifest.json: not the output of backprop-dojo grade") from None
    counts = {m["shard"][1] for _, m in manifests}
    if len(counts) > 1 or len({m["graded_with"] for _, m in manifests}) > 1:
        raise ValueError("these outputs are not shards of one run (different shard counts or rubrics)")
    (count,) = counts
    indices = sorted(m["shard"][0] for _, m in manifests)
    if indices != list(range(1, count + 1)):
        missing = sorted(set(range(1, count + 1)) - set(indices))
        twice = sorted({i for i in indices if indices.count(i) > 1})
        raise ValueError("; ".join([f"shard {i}/{count} is missing" for i in missing] +
                                   [f"shard {i}/{count} is given twice" for i in twice]))
    results = {}
    for folder, manifest in manifests:
        for name in manifest["submissions"]:
            if name in results:
                raise ValueError(f"{name} was graded in two shards")
            try:
                results[name] = json.loads(results_path(folder, name).read_text())
            except (OSError, ValueError):
                raise ValueError(f"{folder}: shard {manifest['shard'][0]}/{count} is incomplete: no results for "
                                 f"{name} (rerun it to finish)") from None
    with lock_output(out):
        for name, result in results.items():
            write_json(results_path(out, name), result)
        write_json(out / "manifest.json", {"shard": [1, 1], "submissions": sorted(results),
                                           "graded_with": manifests[0][1]["graded_with"]})
        write_summary(out / "summary.csv", results)
    return results
