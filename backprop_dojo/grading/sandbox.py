"""The grader's side of the sandbox: a Learner whose functions run in a child process.

The trusted parent (this process) draws the cases, computes torch's answers and compares;
the child (child.py) runs the submission with NumPy only and returns raw arrays. The child
runs in its own session under resource limits (address space, CPU time, file size, no core
files), from a scratch copy of the submission, and is killed with its whole process group
when a call outlives the timeout. Where Linux namespaces are available it also gets its own
PID namespace (nothing it starts outlives it), no network, and a mount namespace in which
the harness's sources, the other submissions and the output folder are hidden.

A child that dies (a crash, a timeout, the memory limit) fails the call it was running; the
next call starts a fresh child, so the other exercises keep their grades.
"""

from __future__ import annotations

import inspect
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import weakref
from functools import cache
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from ..learner import Execution, Learner, LearnerCrash, LearnerError, LearnerTimeout, NotImplementedExercise
from . import wire

HERE = Path(__file__).resolve().parent
RUNNER = (HERE / "child.py", HERE / "wire.py", HERE.parent / "loading.py")
PROJECT = [HERE.parents[1] / name for name in ("backprop_dojo", "reference", "tests", "benchmarks", "implementations")]
# No PYTHONPATH or other inherited settings; one BLAS thread, which also keeps its virtual
# memory under the address-space limit.
CHILD_ENVIRONMENT = {"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
GRACE = 1.0  # seconds the parent waits beyond the timeout before killing a silent child
STARTUP = 60.0  # seconds allowed for the child to import the submission (each module has the timeout)


@cache
def namespaces_available() -> bool:
    """Whether this machine lets an unprivileged process make user, mount, PID and network
    namespaces (root can, and most Linux distributions allow it to every user)."""
    if not shutil.which("unshare"):
        return False
    with tempfile.TemporaryDirectory() as scratch:  # the very mounts a child gets
        probe = _in_namespaces(["true"], [Path(scratch)], Path(scratch))
        return subprocess.run(probe, capture_output=True).returncode == 0


class SandboxedLearner(Learner):
    """One submission, run in a child process: the same checks, the same verdicts."""

    def __init__(self, folder: str | Path, timeout: float = 10.0, memory_mb: int = 2048,
                 hidden: tuple[Path, ...] = (), isolation: str = "auto"):
        super().__init__(origin=str(folder), timeout=timeout)
        self.folder = Path(folder).resolve()
        self.memory_mb = memory_mb
        self.hidden = tuple(PROJECT) + tuple(Path(p).resolve() for p in hidden)
        self.namespaces = isolation == "namespaces" or (isolation == "auto" and namespaces_available())
        self._child: _Child | None = None
        self._broken: str | None = None  # why the submission cannot even be imported
        self._released: list[int] = []
        self._table: dict = {}
        self._start()

    # -- the Learner interface ---------------------------------------------------------

    def has(self, name: str) -> bool:
        return name in self._table

    def signature(self, name: str) -> inspect.Signature:
        __tracebackhide__ = True
        self._require(name)
        parameters = [
            inspect.Parameter(pname, getattr(inspect.Parameter, kind), default=None if has_default else inspect.Parameter.empty)
            for pname, kind, has_default in self._table[name]["parameters"]
        ]
        return inspect.Signature(parameters)

    def source(self, name: str) -> tuple[str, int] | None:
        self._require(name)
        found = self._table[name]["source"]
        return (found[0], found[1]) if found else None

    def attribute(self, obj, name: str):
        return self._request({"operation": "attribute", "object": obj, "name": name}, name)["result"]

    def update(self, obj, name: str, items: dict) -> None:
        self._request({"operation": "update", "object": obj, "name": name, "items": items}, name)

    def _execute(self, name: str, args: Mapping[str, Any], by_keyword: bool, returns) -> Execution:
        request = {"operation": "call", "name": name, "args": list(args.items()), "by_keyword": by_keyword,
                   "returns": list(returns)}
        reply = self._request(request, name)
        changed = {}
        written = reply.get("written") if isinstance(reply.get("written"), dict) else {}
        for key, value in reply.get("changed", {}).items():  # mirror the child's in-place changes here
            if key not in args:
                continue
            if isinstance(args[key], dict) and isinstance(value, dict):
                args[key].clear()
                args[key].update(value)
            elif isinstance(args[key], np.ndarray) and isinstance(value, np.ndarray) and value.shape == args[key].shape:
                np.copyto(args[key], value, casting="unsafe")
                changed[key] = str(written.get(key, ""))[:200]
        warned = tuple(str(said) for said in reply.get("warned", ()))
        return Execution(self._track(reply.get("result")), changed, warned)

    # -- the child process -------------------------------------------------------------

    def close(self) -> None:
        if self._child:
            self._child.kill()
            self._child = None

    def _start(self) -> None:
        if self._broken:
            raise LearnerCrash(self._broken)
        self._child = _Child(self)
        try:
            hello = self._child.receive(STARTUP, "importing the submission")
        except LearnerCrash as crash:  # it dies on import: so will every fresh start
            self._child, self._broken = None, str(crash)
            raise
        self._table, self.import_errors = hello["functions"], hello["import_errors"]
        unimportable, notes = hello.get("unimportable"), hello.get("notes")
        self.unimportable = {str(k): str(v) for k, v in unimportable.items()} if isinstance(unimportable, dict) else {}
        self.notes = [str(note) for note in notes] if isinstance(notes, list) else []
        self.functions = dict.fromkeys(self._table)

    def _request(self, request: dict, name: str) -> dict:
        __tracebackhide__ = True
        if self._child is None:
            self._start()
        request["release"], self._released = self._released, []
        try:
            self._child.send(request)
            reply = self._child.receive(self.timeout + GRACE, name)
        except LearnerCrash:
            self._child = None  # the next call starts a fresh one
            raise
        if not isinstance(reply, dict) or not isinstance(reply.get("changed", {}), dict):
            self._child.kill()
            self._child = None
            raise LearnerCrash(f"{name}: the learner's process broke the protocol")
        if "error" in reply:
            self._raise(name, reply["error"])
        return reply

    def _raise(self, name: str, error):
        error = error if isinstance(error, dict) else {}
        kind, message = str(error.get("type", "an error")), str(error.get("message", ""))
        if kind == "NotImplementedError":
            raise NotImplementedExercise(f"{name}: not implemented ({message})")
        if kind == "LearnerTimeout":
            raise LearnerTimeout(message)
        if kind == "MemoryError":
            raise LearnerCrash(f"{name}: killed: memory limit {self.memory_mb} MB")
        frames = f"\n{error['traceback']}" if error.get("traceback") else ""
        raise LearnerError(f"{name} raised {kind}: {message}{frames}")

    def _track(self, value):
        """Release a handle in the child once the grader no longer holds it."""
        if isinstance(value, wire.Handle):
            weakref.finalize(value, self._released.append, value.number)
        elif isinstance(value, tuple):
            for item in value:
                self._track(item)
        return value


class _Child:
    """One child process: spawned in its own session (and namespaces), killed with its group."""

    def __init__(self, learner: SandboxedLearner):
        self.learner = learner
        self.scratch = Path(tempfile.mkdtemp(prefix="dojo-child-"))
        for runner in RUNNER:
            shutil.copy(runner, self.scratch / runner.name)
        submission = self.scratch / "submission"
        shutil.copytree(learner.folder, submission, ignore=_not_code)
        requests_read, self.requests = os.pipe()
        self.replies, replies_write = os.pipe()
        command = [sys.executable, "-I", str(self.scratch / "child.py"), str(submission),
                   str(requests_read), str(replies_write), str(learner.timeout)]
        if learner.namespaces:
            hidden = {path for path in (*learner.hidden, learner.folder) if path.is_dir()}
            command = _in_namespaces(command, sorted(hidden), self.scratch)
        self.process = subprocess.Popen(
            command, cwd=self.scratch, env=CHILD_ENVIRONMENT | {"HOME": str(self.scratch)},
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(requests_read, replies_write), start_new_session=True,
            preexec_fn=_limits(learner.memory_mb),
        )
        os.close(requests_read)
        os.close(replies_write)

    def send(self, request: dict) -> None:
        try:
            wire.send(self.requests, request)
        except (BrokenPipeError, OSError):
            raise LearnerCrash(self._death("before the call")) from None

    def receive(self, seconds: float, name: str):
        try:
            return wire.receive(self.replies, time.monotonic() + seconds)
        except TimeoutError:
            self.kill()
            raise LearnerCrash(f"{name}: timed out after {self.learner.timeout:g} s (the learner's process was killed)") from None
        except EOFError:
            raise LearnerCrash(self._death(f"in {name}")) from None
        except (ValueError, KeyError, TypeError) as error:
            self.kill()
            raise LearnerCrash(f"{name}: the learner's process broke the protocol ({error})") from None

    def _death(self, when: str) -> str:
        code = self.process.wait()
        self.kill()
        if code < 0:
            cause = {signal.SIGSEGV: "a segmentation fault", signal.SIGKILL: "killed (the memory limit?)",
                     signal.SIGXCPU: "the CPU time limit", signal.SIGXFSZ: "the file size limit"}
            return f"the learner's process died {when}: {cause.get(-code, signal.Signals(-code).name)}"
        return f"the learner's process exited {when} with status {code}"

    def kill(self) -> None:
        """End the child and everything it started, then forget its scratch folder."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        for fd in (self.requests, self.replies):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.scratch, ignore_errors=True)


def _not_code(folder: str, names: list[str]) -> list[str]:
    """What a scratch copy leaves out: everything but Python sources and compiled extensions
    (an assignment folder also holds its data sets, hundreds of megabytes)."""
    return [
        name for name in names
        if name in {"__pycache__", ".git", ".ipynb_checkpoints", "datasets"}
        or (not Path(folder, name).is_dir() and not name.endswith((".py", ".so", ".pyd")))
    ]


def _limits(memory_mb: int):
    def apply() -> None:
        memory = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (600, 600))
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 2**20, 64 * 2**20))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def _in_namespaces(command: list[str], hidden: list[Path], scratch: Path) -> list[str]:
    """The command in new user, mount, PID and network namespaces: `hidden` folders covered
    by empty tmpfs mounts, the root file system read-only but for the scratch folder. When
    the child dies, everything it started dies with it."""
    steps = [f'mount -t tmpfs -o size=1m none "{path}"' for path in hidden]
    steps += [f'mount --bind "{scratch}" "{scratch}"', "mount -o remount,bind,ro /", 'exec "$@"']
    return ["unshare", "--user", "--map-root-user", "--mount", "--pid", "--fork", "--kill-child", "--net",
            "sh", "-c", " && ".join(steps), "sandbox", *command]
