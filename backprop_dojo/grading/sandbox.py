"""The grader's side of the sandbox: a Learner whose functions run in a child process.

The trusted parent (this process) draws the cases, computes torch's answers and compares;
the child (child.py) runs the submission with NumPy only and returns raw arrays, which are
checked against a schema (replies.py) and bounded in size before the grader uses them. Its
guarantees do not rest on the child behaving:

- namespaces (`--isolation auto`, the default, or `namespaces`): jail.py, PID 1 of new
  mount, PID, network and IPC namespaces, builds a root holding only the system's /usr, the
  interpreter's standard library, NumPy (and future, six), the runner and this
  submission's copy, all read-only, with a private writable work folder, /tmp and /dev/shm,
  and a /proc of its own; the learner runs as an unprivileged uid of its own (uid 0 without
  capabilities in a user namespace when the grader is not root), and the whole namespace
  dies with PID 1 when the grader kills it, times it out or dies.
- process (`--isolation process`, only when asked for): the same limits, an interpreter
  started with -I -S whose path reaches only the standard library and NumPy's packages, and
  as root a uid of its own; see PROCESS_WARNING for what it does not protect.

Calls that follow one another (Learner.chain: a forward, then the backward fed its cache)
travel in one request and come back in one reply: an exchange costs the two processes more
than most calls of the learner's code do. So do the first calls of every example of a
check, made ahead (ahead.py): the child marks each example's start, and each gets its
own time before the child is killed.

A child that dies (a crash, a timeout, the memory limit) fails the call it was running; the
next call starts a fresh child, so the other exercises keep their grades. A time budget
per submission (`budget`) fails every call once the child has used it up.

Each of the child's messages says the CPU it has used so far; the grader adds it up, per
submission (children_cpu, learner_cpu) and for the whole run (reported_cpu), as untrusted
figures for benchmarks that never reach a score.
"""

from __future__ import annotations

import atexit
import ctypes
import fcntl
import importlib.util
import inspect
import json
import multiprocessing
import os
import resource
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
import weakref
from contextlib import contextmanager
from functools import cache
from itertools import count
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import numpy as np

from ..ahead import same_calls
from ..exercises import EXERCISES
from ..learner import (STOPPED, Earlier, Execution, Given, Learner, LearnerCrash, LearnerError, LearnerTimeout,
                       NotImplementedExercise)
from . import replies, wire
from .copying import CopyRefused, copy_submission
from .jail import SETUP_FAILED
from .output_safety import clip

HERE = Path(__file__).resolve().parent
RUNNER = (HERE / "child.py", HERE / "wire.py", HERE.parent / "loading.py")
JAIL = HERE / "jail.py"
PYTHON = os.path.realpath(sys.executable)  # the base interpreter, not a virtual environment's link to it
PACKAGES = ("numpy", "past", "future", "libfuturize", "six")  # all a learner's process can import beyond the stdlib
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")
# No PYTHONPATH or other inherited settings; one BLAS thread, which also keeps its virtual
# memory under the address-space limit.
CHILD_ENVIRONMENT = {"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
GRACE = 1.0  # seconds the parent waits beyond the timeout before killing a silent child
STARTUP = 60.0  # seconds allowed for the child to import the submission (each module has the timeout)
MAX_SUBMISSION_BYTES = 4 * 2**30  # all a submission's replies together
CPU_LIMIT = 600  # CPU seconds one learner process may use (RLIMIT_CPU)
F_SETPIPE_SZ, PIPE_SIZE = 1031, 2**20
FIRST_ID = 2**24  # the unprivileged uids and gids children run as, one per learner
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_KEEPCAPS, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT = 1, 4, 8, 38, 47
CAP_DAC_READ_SEARCH = 2
PROCESS_WARNING = (
    "isolation: process only (--isolation process). The learner's code ran without namespaces: it could read "
    "every file the grader can read by absolute path (the reference solutions, other submissions, torch), "
    "see every process's command line, use the network, and write to the shared /tmp and /dev/shm.{}"
)
AS_ROOT = " It ran as a uid of its own, so it could not signal the grader, read its memory, pipes or environment, or outlive it."
NOT_ROOT = (" It ran as the grader's own user: it could signal the grader's processes and start a process that "
            "outlives the grade; only the grader's memory, pipes and environment were protected (not dumpable).")

libc = ctypes.CDLL(None, use_errno=True)
_ids = count()
_reported = multiprocessing.get_context("fork").Array("d", 2)  # shared with the processes forked later
_open: dict[int, SandboxedLearner] = {}  # this process's learners, until closed


def close_every_learner() -> None:
    """Close every learner this process has open: their processes end and their folders go
    (a grading worker told to stop does this before it exits, and so does every process that
    exits without closing the learners it made)."""
    for learner in list(_open.values()):
        learner.close()


atexit.register(close_every_learner)


def reported_cpu() -> tuple[float, float]:
    """The CPU seconds every learner process graded here, or in a process forked from here
    later (grade_all's workers), said it used: (their whole processes, inside the learner's
    functions). RUSAGE_CHILDREN misses them in namespace mode (reaped inside their namespace,
    or killed with it); in process mode the grader reaps them, so RUSAGE_CHILDREN counts them too."""
    with _reported.get_lock():
        return _reported[0], _reported[1]


@cache
def namespaces_available() -> bool:
    """Whether this machine builds a learner's namespaces (unshare, and as a non-root user
    unprivileged user namespaces): the very set-up a child gets, tried once."""
    if not _unshare():
        return False
    ident = FIRST_ID if os.geteuid() == 0 else None
    with tempfile.TemporaryDirectory() as scratch:
        for name in ("root", "work"):
            (Path(scratch) / name).mkdir()
        _share(Path(scratch), ident)
        probe = _in_namespaces([PYTHON, "-I", "-S", "-c", "import os"], Path(scratch), Path(scratch), ident)
        return subprocess.run(probe, capture_output=True, timeout=60).returncode == 0


def choose_isolation(requested: str) -> tuple[str, str | None]:
    """(the isolation mode to grade in, the warning every run and results.json must carry).
    `auto` never falls back silently: without namespaces it is an error that says how to ask
    for process isolation by name."""
    if requested == "process":
        return "process", PROCESS_WARNING.format(AS_ROOT if os.geteuid() == 0 else NOT_ROOT)
    if requested not in ("auto", "namespaces"):
        raise ValueError(f"--isolation {requested}: choose auto, namespaces or process")
    if not namespaces_available():
        raise ValueError(f"--isolation {requested}: this machine cannot build the learner's namespaces (no unshare, or user "
                         "namespaces not allowed); to grade with process isolation only, and its weaker guarantees, "
                         "pass --isolation process")
    return "namespaces", None


def protect_grader() -> None:
    """Make this process undumpable: a process of the same user can then neither read its
    memory, environment or file descriptors under /proc nor ptrace it. Inherited by fork."""
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


@cache
def _state_keys() -> frozenset[tuple[str, str]]:
    """(argument, key) pairs a spec declares a function writes back (bn_param's running
    statistics): the only changes to a dict argument mirrored into the grader's copy."""
    return frozenset((spec.state.param, key) for spec in (e.spec for e in EXERCISES.values())
                     if getattr(spec, "state", None) and hasattr(spec.state, "param") for key in spec.state.keys)


class SandboxedLearner(Learner):
    """One submission, run in a child process: the same checks, the same verdicts."""

    in_this_process = False

    def __init__(self, folder: str | Path, timeout: float = 10.0, memory_mb: int = 2048,
                 isolation: str = "auto", budget: float | None = None):
        super().__init__(origin=str(folder), timeout=timeout)
        self.folder = Path(folder).resolve()
        self.memory_mb, self.budget, self.spent, self.received = memory_mb, budget, 0.0, 0
        self.children_cpu = self.learner_cpu = 0.0  # CPU seconds its processes said they used, untrusted
        self.closed = False
        mode, self.warning = choose_isolation(isolation)
        self.namespaces = mode == "namespaces"
        self.ident = FIRST_ID + (os.getpid() * 64 + next(_ids) % 64) % 2**30 if os.geteuid() == 0 else None
        protect_grader()
        self._child: _Child | None = None
        self._broken: str | None = None  # why the submission cannot even be imported
        self._released: list[int] = []
        self._table: dict = {}
        self._sources: dict = {}  # name -> its source, once asked for
        self._sequence = 0  # each reply names the request it answers: a stale or forged one is a violation
        self._next = None  # (calls, their replies) made ahead for the current example's first exchange
        self.staging = Path(tempfile.mkdtemp(prefix="dojo-submission-"))
        _open[id(self)] = self
        try:
            _share(self.staging, self.ident)
            self.copy = self.staging / "submission"
            self.left_out = copy_submission(self.folder, self.copy)
            self._start()
        except CopyRefused as refused:
            self.close()
            self._broken = f"the submission cannot be graded: {refused}"
            raise LearnerCrash(self._broken) from None
        except BaseException:  # a crash, or the harness's own failure: nothing of it stays
            self.close()
            raise

    # -- the Learner interface ---------------------------------------------------------

    def has(self, name: str) -> bool:
        return name in self._table

    def signature(self, name: str) -> inspect.Signature:
        """The signature the child said the function has, made once (every call binds to it)."""
        __tracebackhide__ = True
        self._require(name)
        said = self._table[name]
        known = self.signatures.get(name)
        if known is None or known[0] is not said:  # a fresh child's table is read afresh
            parameters = [
                inspect.Parameter(pname, getattr(inspect.Parameter, kind), default=None if has_default else inspect.Parameter.empty)
                for pname, kind, has_default in said["parameters"]
            ]
            try:
                known = self.signatures[name] = (said, inspect.Signature(parameters))
            except ValueError as error:  # parameters in an impossible order
                raise LearnerCrash(f"{name}: the learner's process broke the protocol ({error})") from None
        return known[1]

    def source(self, name: str) -> tuple[str, int] | None:
        """The function's source as the child reads it, asked for once, when a check or an
        explanation reads it (tokenizing every function for the hello cost each child 35 ms)."""
        self._require(name)
        if name not in self._sources:
            self._sources[name] = self._request({"operation": "source", "name": name}, name, replies.source)["result"]
        return self._sources[name]

    def attribute(self, obj, name: str):
        return self._request({"operation": "attribute", "object": obj, "name": name}, name)["result"]

    def update(self, obj, name: str, items: dict) -> None:
        self._request({"operation": "update", "object": obj, "name": name, "items": items}, name)

    def call(self, name: str, args: Mapping[str, Any], returns: tuple[str, ...], mutable: tuple[str, ...] = (),
             by_keyword: bool = False) -> dict[str, Any]:
        """Learner.call; with the reply made ahead if it is the call planned (ahead())."""
        __tracebackhide__ = True
        ran = self._made_ahead([{"name": name, "args": args, "returns": returns, "mutable": mutable, "by_keyword": by_keyword}])
        return self._call(name, args, returns, mutable, by_keyword, ran[0] if ran else self._execute)

    def chain(self, calls: list[dict]) -> Iterator[dict[str, Any]]:
        """Learner.chain, in one exchange when every call binds (or made ahead, ahead()):
        the child stops at a call that fails, or before one that needs an output the result
        it names does not have, and the calls it did not make are made one by one."""
        ran = self._made_ahead(calls)
        if ran:
            return self._chain(calls, ran)
        if len(calls) < 2 or not all(self._binds(planned) for planned in calls):
            return super().chain(calls)
        request = {"operation": "chain", "calls": [_planned(planned) for planned in calls]}
        reply = self._request(request, _named(calls), calls=len(calls))
        return self._chain(calls, [self._ran(one) for one in reply["replies"]])

    @contextmanager
    def ahead(self, planned: list[list[dict] | None]) -> Iterator[Callable[[int], None]]:
        """The first exchange of each example of a check made ahead, in one request:
        `planned[i]` the calls example i makes first (None: not known). The child makes each
        chain as chain() does, up to the first that fails (one by one, its example would
        end the check). Yields `at(i)`, said before example i runs: its first call or chain,
        if it is the one planned, gets the reply made ahead. Past an example that turns out
        wrong, the child has made calls that one by one it would not; the verdict is the
        wrong example's all the same. A request that dies (a crash, a step past its time)
        is forgotten and its time not counted: the examples make their calls one by one,
        and fail there as they would."""
        sent = [index for index, calls in enumerate(planned) if calls and all(self._binds(one) for one in calls)]
        made = {}
        if len(sent) > 1:
            made = {index: (planned[index], chain)
                    for index, chain in zip(sent, self._requested_ahead([planned[index] for index in sent]))}

        def at(index: int) -> None:
            self._next = made.pop(index, None)

        try:
            yield at
        finally:
            self._next = None

    def _requested_ahead(self, chains: list[list[dict]]) -> list[list[dict]]:
        """Each chain's replies, as far as the child made them; none if the request died."""
        request = {"operation": "chains", "chains": [[_planned(planned) for planned in calls] for calls in chains]}
        spent = self.spent
        try:
            return self._request(request, _named(chains[0]), chains=tuple(map(len, chains)))["chains"]
        except (*STOPPED, LearnerError, NotImplementedExercise):
            self.spent = spent
            return []

    def _made_ahead(self, calls: list[dict]) -> list[Callable] | None:
        """The executions made ahead of the calls of this example's first exchange, if
        these are the calls planned; the next exchange is made as ever."""
        made, self._next = self._next, None
        if made is None or not made[1] or not same_calls(made[0], calls):
            return None
        return [self._ran(one) for one in made[1]]

    def _binds(self, planned: dict) -> bool:
        if planned.get("operation"):  # an attribute or update step: no signature
            return True
        try:
            self._bind(planned["name"], planned["args"], planned.get("by_keyword", False))
        except (Exception, NotImplementedExercise):  # the calls one by one then fail where they fail
            return False
        return True

    def _ran(self, reply: dict) -> Callable:
        """An _execute that gives what the child said one call of a chain did."""
        def execute(name: str, args: Mapping[str, Any], by_keyword: bool, returns, before: Mapping[str, Any]) -> Execution:
            if "error" in reply:
                self._raise(name, reply["error"])
            return self._execution(reply, args)

        return execute

    def _execute(self, name: str, args: Mapping[str, Any], by_keyword: bool, returns, before: Mapping[str, Any]) -> Execution:
        # `before` is not needed here: the child compares its own copies and says what changed
        request = {"operation": "call", "name": name, "args": list(args.items()), "by_keyword": by_keyword,
                   "returns": list(returns)}
        return self._execution(self._request(request, name), args)

    def _execution(self, reply: dict, args: Mapping[str, Any]) -> Execution:
        """What a call did, as the child said; the changes it made in place to the
        arguments mirrored into `args`."""
        changed = {}
        for key, value in reply["changed"].items():  # mirror the child's in-place changes here
            if key not in args:
                continue
            if isinstance(args[key], dict) and isinstance(value, dict):  # only what a spec says is written
                args[key].update({k: v for k, v in value.items() if (key, k) in _state_keys()})
            elif isinstance(args[key], np.ndarray) and isinstance(value, np.ndarray) and value.shape == args[key].shape:
                np.copyto(args[key], value, casting="unsafe")
                changed[key] = reply["written"].get(key, "")
        return Execution(reply["result"], changed, tuple(reply["warned"]))

    # -- the child process -------------------------------------------------------------

    def close(self) -> None:
        if self._child:
            self._child.kill()
            self._child = None
        if not self.closed:  # into the run's total once, not under a lock per message
            with _reported.get_lock():
                _reported[0] += self.children_cpu
                _reported[1] += self.learner_cpu
        self.closed = True
        shutil.rmtree(self.staging, ignore_errors=True)
        _open.pop(id(self), None)

    def _start(self) -> None:
        if self._broken:
            raise LearnerCrash(self._broken)
        _Child(self)  # self._child from its first step, so that closing removes what it made
        try:
            hello = replies.hello(self._wait(STARTUP, "importing the submission"))
        except wire.ProtocolError as error:
            self._child.kill()
            self._child, self._broken = None, f"the learner's process broke the protocol ({error})"
            raise LearnerCrash(self._broken) from None
        except LearnerCrash as crash:  # it dies on import: so will every fresh start
            self._child, self._broken = None, str(crash)
            raise
        self._table, self.import_errors = hello["functions"], hello["import_errors"]
        self.import_errors.update(self.left_out)
        self.unimportable, self.notes = hello["unimportable"], hello["notes"]
        self.functions = dict.fromkeys(self._table)

    def _wait(self, seconds: float, name: str, steps: tuple[float, ...] = ()):
        """The child's next message within `seconds` and what is left of the time budget;
        the child is killed when either runs out. Each progress mark it sends first starts
        the next of `steps`, which has that many seconds (within the budget); a mark more
        is a violation."""
        left = float("inf") if self.budget is None else self.budget - self.spent
        if left <= 0:
            raise LearnerCrash(f"{name}: time budget of {self.budget:g} s used up")
        if seconds < left:
            late = f"{name}: timed out after {self.timeout:g} s (the learner's process was killed)"
        else:
            seconds, late = left, f"{name}: time budget of {self.budget:g} s used up (the learner's process was killed)"
        started, later = time.monotonic(), iter(steps)

        def progress() -> float:
            step = next(later, None)
            if step is None:
                raise wire.ProtocolError("a progress mark beyond the request's last step")
            return min(time.monotonic() + step, started + left)

        try:
            message, size = self._child.receive(seconds, name, late, MAX_SUBMISSION_BYTES - self.received,
                                                progress if steps else None)
        finally:
            self.spent += time.monotonic() - started
        self.received += size
        self._count_cpu(message)
        return message

    def _count_cpu(self, message) -> None:
        """Add what the child used since its last message: what it says now, less what it
        said before (a child that says less adds nothing)."""
        said = tuple(map(max, self._child.cpu, replies.cpu(message, CPU_LIMIT)))
        process, learner = (now - before for now, before in zip(said, self._child.cpu))
        self._child.cpu = said
        self.children_cpu += process
        self.learner_cpu += learner

    def _request(self, request: dict, name: str, result: Callable = lambda said, name: said, calls: int = 1,
                 chains: tuple[int, ...] = ()) -> dict:
        """The child's reply to `request` (a chain of `calls` calls, or chains of those
        lengths, each with its own time), its result checked by `result` (a schema of
        replies.py); every handle it holds released once unused."""
        __tracebackhide__ = True
        if self.budget is not None and self.spent >= self.budget:
            raise LearnerCrash(f"{name}: time budget of {self.budget:g} s used up")
        if self._child is not None and self._child.process.poll() is not None:  # it died after its last reply
            self._child.kill()
            self._child, self._released = None, []
        if self._child is None:
            self._start()
        request["release"], self._released = self._released, []
        request["sequence"] = self._sequence = self._sequence + 1
        try:
            self._child.send(request)
            seconds = [self.timeout * length + GRACE for length in chains or (calls,)]
            reply = replies.reply(self._wait(seconds[0], name, tuple(seconds[1:])), self._sequence, calls, chains)
            if "result" in reply:
                reply["result"] = result(reply["result"], name)
        except wire.ProtocolError as error:
            self._child.kill()
            self._child = None
            raise LearnerCrash(f"{name}: the learner's process broke the protocol ({error})") from None
        except LearnerCrash:
            self._child = None  # the next call starts a fresh one
            raise
        if "error" in reply:
            self._raise(name, reply["error"])
        for one in [one for chain in reply["chains"] for one in chain] if chains else reply.get("replies", [reply]):
            self._track(one.get("result"))
        return reply

    def _raise(self, name: str, error: dict):
        kind, message = error["type"], error["message"]
        if kind == "NotImplementedError":
            raise NotImplementedExercise(f"{name}: not implemented ({message})")
        if kind == "LearnerTimeout":
            raise LearnerTimeout(message)
        if kind == "MemoryError":
            raise LearnerCrash(f"{name}: killed: memory limit {self.memory_mb} MB")
        frames = f"\n{error['traceback']}" if error["traceback"] else ""
        raise LearnerError(clip(f"{name} raised {kind}: {message}{frames}"))

    def _track(self, value):
        """Release a handle in the child once the grader no longer holds it."""
        if isinstance(value, wire.Handle):
            weakref.finalize(value, self._released.append, value.number)
        elif isinstance(value, tuple):
            for item in value:
                self._track(item)
        return value


def _named(calls: list[dict]) -> str:
    """A chain as its messages name it: its functions (not the attributes it reads or sets)."""
    return " then ".join(planned["name"] for planned in calls if not planned.get("operation"))


def _planned(planned: dict) -> dict:
    """A call of a chain as the child reads it, in as few nodes as the wire allows: its
    arguments by name, each Earlier or Given one a placeholder there and [its name, the call,
    the output] in `earlier` or [its name, the call, the argument, the changes] in `given`;
    an operation, by_keyword, earlier and given only when they are not the default."""
    args = planned["args"].items()
    said = {"name": planned["name"], "returns": list(planned.get("returns", ())),
            "args": {key: None if isinstance(value, (Earlier, Given)) else value for key, value in args}}
    optional = {"operation": planned.get("operation"), "by_keyword": planned.get("by_keyword", False),
                "earlier": [(key, value.call, value.output) for key, value in args if isinstance(value, Earlier)],
                "given": [(key, value.call, value.argument, value.changes) for key, value in args if isinstance(value, Given)]}
    return said | {key: value for key, value in optional.items() if value}


class _Child:
    """One child process: spawned in its own session (and namespaces), killed with all it
    started. Its scratch folder holds the runner, links to the packages it may import and
    its work folder (its cwd, HOME and TMPDIR)."""

    def __init__(self, learner: SandboxedLearner):
        self.learner = learner
        self.cpu = (0.0, 0.0)  # the CPU seconds it last said it used (replies.cpu)
        self.process, self.requests, self.replies = None, -1, -1
        self.scratch = Path(tempfile.mkdtemp(prefix="dojo-child-"))
        learner._child = self  # from now on closing the learner removes the scratch folder
        runner, packages, work = (self.scratch / name for name in ("runner", "packages", "work"))
        for folder in (runner, packages, work, self.scratch / "root"):
            folder.mkdir()
        for file in RUNNER:
            shutil.copy(file, runner / file.name)
        for package in _packages():
            (packages / package.name).symlink_to(package)
        _share(self.scratch, learner.ident)
        if learner.ident is not None:
            os.chown(work, learner.ident, learner.ident)
        requests_read, self.requests = os.pipe()
        self.replies, replies_write = os.pipe()
        fcntl.fcntl(self.replies, F_SETPIPE_SZ, PIPE_SIZE)  # large replies in fewer, larger reads
        command = [PYTHON, "-I", "-S", str(runner / "child.py"), str(learner.copy), str(requests_read),
                   str(replies_write), str(learner.timeout), str(packages)]
        if learner.namespaces:
            command = _in_namespaces(command, self.scratch, learner.staging, learner.ident)
        self.process = subprocess.Popen(
            command, cwd=work, env=CHILD_ENVIRONMENT | {"HOME": str(work), "TMPDIR": str(work)},
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(requests_read, replies_write), start_new_session=True,
            preexec_fn=_limits(learner.memory_mb, None if learner.namespaces else learner.ident),
        )
        os.close(requests_read)
        os.close(replies_write)

    def send(self, request: dict) -> None:
        try:
            wire.send(self.requests, request)
        except (BrokenPipeError, OSError):
            raise LearnerCrash(self._death("before the call")) from None

    def receive(self, seconds: float, name: str, late: str, limit: int, progress: Callable[[], float] | None = None):
        try:
            return wire.receive_counted(self.replies, time.monotonic() + seconds, min(limit, wire.MAX_MESSAGE), progress)
        except TimeoutError:
            self.kill()
            raise LearnerCrash(late) from None
        except EOFError:
            raise LearnerCrash(self._death(f"in {name}")) from None

    def _death(self, when: str) -> str:
        code = self.process.wait()
        self.kill()
        if self.learner.namespaces and code == SETUP_FAILED:
            return f"the learner's process could not be started {when}: the sandbox could not be set up"
        if self.learner.namespaces and code > 128:  # PID 1 reports the learner's signal as 128 + its number
            code = 128 - code
        if code < 0:
            cause = {signal.SIGSEGV: "a segmentation fault", signal.SIGKILL: "killed (the memory limit?)",
                     signal.SIGXCPU: "the CPU time limit", signal.SIGXFSZ: "the file size limit"}
            return f"the learner's process died {when}: {cause.get(-code, signal.Signals(-code).name)}"
        return f"the learner's process exited {when} with status {code}"

    def kill(self) -> None:
        """End the child and everything it started, then forget its scratch folder: the
        namespace dies with its PID 1; without one, as root, every process of its uid."""
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
        if not self.learner.namespaces and self.learner.ident is not None:
            _kill_every_process_of(self.learner.ident)
        for fd in (self.requests, self.replies):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.scratch, ignore_errors=True)


def _unshare() -> str | None:
    return shutil.which("unshare")


@cache
def _packages() -> tuple[Path, ...]:
    """Where NumPy (with its bundled libraries) and the course's future and six live."""
    found = []
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is not None:
            found.append(Path(spec.submodule_search_locations[0] if spec.submodule_search_locations else spec.origin))
    libraries = found[0].parent / "numpy.libs"
    return tuple(found + ([libraries] if libraries.is_dir() else []))


def _share(folder: Path, ident: int | None) -> None:
    """Readable by the child's gid only (as root), or by the grader's own user."""
    if ident is not None:
        os.chown(folder, 0, ident)
    folder.chmod(0o750)


def _kill_every_process_of(ident: int) -> None:
    """kill(-1) as that uid: every process it may signal, which is every process of its uid."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setresgid(ident, ident, ident)
            os.setresuid(ident, ident, ident)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _limits(memory_mb: int, ident: int | None):
    """The child's limits, set between fork and exec; it dies with the grader; with `ident`
    (process isolation as root) it becomes that uid, keeping only the right to read and
    search files (to reach an interpreter installed under /root, say)."""
    def apply() -> None:
        memory = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT))
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 2**20, 64 * 2**20))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if ident is not None:
            resource.setrlimit(resource.RLIMIT_NPROC, (64, 64))
            os.setgroups([])
            os.setresgid(ident, ident, ident)
            libc.prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)
            os.setresuid(ident, ident, ident)
            header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
            read_search = 1 << CAP_DAC_READ_SEARCH
            data = (ctypes.c_uint32 * 6)(read_search, read_search, read_search, 0, 0, 0)
            if libc.capset(header, data) != 0 or libc.prctl(PR_CAP_AMBIENT, 2, CAP_DAC_READ_SEARCH, 0, 0) != 0:
                os._exit(SETUP_FAILED)
        libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)

    return apply


def _in_namespaces(command: list[str], scratch: Path, staging: Path, ident: int | None) -> list[str]:
    """The command run by jail.py as PID 1 of new namespaces (see its docstring); every path
    an element of the argument vector or of its JSON configuration, never shell text."""
    system = [path for path in ("/usr", "/etc/ld.so.cache") if os.path.exists(path)]
    links = []
    for name in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(name):
            links.append([name, os.readlink(name)])
        elif os.path.isdir(name):
            system.append(name)
    base = sys.base_prefix
    sites = {sysconfig.get_paths(vars={"base": base, "platbase": base})[key] for key in ("purelib", "platlib")}
    config = {
        "root": str(scratch / "root"),
        "ro": [*system, base, *map(str, _packages()), str(scratch), str(staging)],
        "links": links,
        "hide": sorted(path for path in sites if os.path.isdir(path)),
        "writable": [[str(scratch / "work"), 64], ["/tmp", 16], ["/dev/shm", 16]],
        "devices": [device for device in DEVICES if os.path.exists(device)],
        "owner": ident,
        "cwd": str(scratch / "work"),
    }
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    return [_unshare(), *user, "--mount", "--pid", "--net", "--ipc", "--uts", "--fork", "--kill-child",
            PYTHON, "-I", "-S", str(JAIL), json.dumps(config), *command]
