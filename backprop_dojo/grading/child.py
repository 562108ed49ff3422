"""The learner's side of the sandbox: a process that imports one submission and runs its
functions on request, returning raw arrays only; it never sees an expected value, a
comparison or a score.

Run by path, `python -I -S child.py SUBMISSION REQUESTS REPLIES TIMEOUT PACKAGES`, from a
scratch copy next to loading.py and wire.py. Its import path is the standard library and
PACKAGES, a folder of links to NumPy, future and six only: torch and the harness are not on
it (and in namespace mode not in the file system at all); the Blocked finder is a second
line. What it keeps (caches, networks) stays here; the grader gets handles to them.

Every message it sends carries the CPU seconds it has used so far, its whole process and
inside the learner's functions: the grader does not reap this process (PID 1 of its
namespace does, or nobody once it is killed), so it cannot see them otherwise.
"""

import importlib.util
import resource
import signal
import sys
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

sys.path.append(sys.argv[5])
import numpy as np  # noqa: E402  (found through PACKAGES only)

HERE = Path(__file__).resolve().parent
BLOCKED = ("torch", "backprop_dojo", "reference", "tests", "hypothesis", "pytest", "_pytest", "benchmarks")


def _sibling(name: str):
    spec = importlib.util.spec_from_file_location(f"_dojo_{name}", HERE / f"{name}.py")
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # dataclasses look it up
    spec.loader.exec_module(module)
    return module


loading, wire = _sibling("loading"), _sibling("wire")


class Blocked:
    """A meta path finder that refuses torch and the harness: learner code is NumPy only."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} cannot be imported while grading: the learner's code runs with NumPy only")
        return None


class Submission:
    """The submission as this process holds it: its functions, and the objects it made that
    stay here (the grader holds handles to them)."""

    def __init__(self, folder: str, timeout: float):
        self.folder, self.timeout = folder, timeout
        self.found = loading.load_functions(folder, timeout)
        self.functions = self.found.functions
        self.kept: dict[int, object] = {}
        self.counter = 0
        self.in_learner_code = 0.0  # CPU seconds inside the learner's functions
        self.running, self.expired = "", self._expire  # the function the alarm names; its handler, one object

    def cpu(self) -> list[float]:
        """CPU seconds used so far: this whole process, and inside the learner's functions."""
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return [usage.ru_utime + usage.ru_stime, self.in_learner_code]

    @contextmanager
    def learner_code(self, name: str):
        """The learner's function runs: within its timeout, its CPU time counted. On this
        thread's clock: the functions run on it (with one BLAS thread), and here, under
        RLIMIT_CPU, time.process_time() was seen unchanged across a whole call. The alarm's
        handler is set once, and again whenever the learner's code has replaced it
        (loading.time_limit sets and restores it around every call: twice the cost)."""
        started, self.running = time.thread_time(), name
        if self.timeout and signal.getsignal(signal.SIGALRM) is not self.expired:
            signal.signal(signal.SIGALRM, self.expired)
        signal.setitimer(signal.ITIMER_REAL, self.timeout)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            self.in_learner_code += time.thread_time() - started

    def _expire(self, signum, frame):
        raise loading.timed_out(self.running, self.timeout)

    def hello(self) -> dict:
        table = {}
        for name, function in self.functions.items():
            table[name] = {"parameters": _parameters(function)}
        return {"functions": table, "import_errors": self.found.import_errors,
                "unimportable": self.found.unimportable, "notes": self.found.notes}

    def keep(self, value):
        """Plain data as it is; any other object stays here, and the grader gets a handle."""
        if wire.is_plain(value):
            return value
        return self._output("cache", value)

    def resolve(self, value):
        if isinstance(value, wire.Handle):
            return self.kept[value.number]
        if isinstance(value, dict):
            return {key: self.resolve(item) for key, item in value.items()}
        return value

    def call(self, name, args, by_keyword, returns) -> dict:
        return self._run(name, {key: self.resolve(value) for key, value in args}, by_keyword, returns)[0]

    def chain(self, calls) -> list[dict]:
        """Each call's reply, as call() gives it, in turn: up to the first that fails, or up
        to one whose Earlier argument is an output the result it names does not have. An
        Earlier argument is that output itself, a Given one that call's argument as the call
        left it (or a copy, changed); the arrays of each reply are copied before
        the next call runs, which could change them."""
        replies, results, given = [], [], []
        for planned in calls:
            args = {key: self.resolve(value) for key, value in planned["args"].items()}
            for key, index, argument, changes in planned.get("given", ()):
                args[key] = given[index][argument] if changes is None else {**_copied(given[index][argument]), **changes}
            given.append(args)
            for key, index, output in planned.get("earlier", ()):
                args[key] = _output(results[index], calls[index]["returns"], output)
                if args[key] is MISSING:
                    return replies
            operation = planned.get("operation")
            try:
                if operation == "attribute":
                    reply, result = {"result": self.attribute(args["self"], planned["name"])}, None
                elif operation == "update":
                    reply, result = {"result": self.update(args["self"], planned["name"], args["items"])}, None
                else:
                    reply, result = self._run(planned["name"], args, planned.get("by_keyword", False), planned["returns"])
            except (Exception, loading.LearnerTimeout, SystemExit) as error:
                replies.append({"error": _failure(error, self.folder)})
                return replies
            replies.append(_copied(reply))
            results.append(result)
        return replies

    def chains(self, chains, progress) -> list[list[dict]]:
        """Each chain's replies, as chain() gives them, in turn, `progress()` called as each
        after the first begins: up to the first that ends before its last call or fails
        there (its example fails, and one by one nothing after it would run)."""
        done = []
        for calls in chains:
            if done:
                progress()
            done.append(self.chain(calls))
            if len(done[-1]) < len(calls) or "error" in done[-1][-1]:
                break
        return done

    def attribute(self, obj, name: str):
        return self.keep(getattr(obj, name, None))

    def update(self, obj, name: str, items: dict) -> None:
        getattr(obj, name).update(items)

    def _run(self, name, args, by_keyword, returns) -> tuple[dict, object]:
        """The reply to a call, and what the function returned."""
        before = {key: _copied(value) for key, value in args.items() if isinstance(value, (np.ndarray, dict))}
        ran = loading.run_function(self.functions[name], args, by_keyword, before, lambda: self.learner_code(name))
        # a dict argument goes back whole: the grader mirrors only the keys a spec writes
        changed = {key: self.keep(args[key]) for key, old in before.items() if isinstance(old, dict) or key in ran.changed}
        said = {"changed": changed, "written": ran.written, "warned": list(ran.warned)}
        return {"result": self._result(ran.result, returns)} | {key: value for key, value in said.items() if value}, ran.result

    def _result(self, result, returns):
        """Plain outputs as data, the rest and every cache as handles."""
        if not returns:
            return None
        if len(returns) > 1 and isinstance(result, tuple) and len(result) == len(returns):
            return tuple(self._output(name, value) for name, value in zip(returns, result))
        return self._output(returns[0] if len(returns) == 1 else "", result)

    def _output(self, name, value):
        if name == "cache" and value is not None:
            self.counter += 1
            self.kept[self.counter] = value
            return wire.Handle(self.counter, type(value).__name__)
        return self.keep(value)


MISSING = object()


def _output(result, returns: list, output: str):
    """The output `output` of a call's result, or MISSING when the result has none."""
    if len(returns) == 1:
        return result
    if isinstance(result, tuple) and len(result) == len(returns):
        return result[returns.index(output)]
    return MISSING


def _copied(value):
    """A value whose arrays are copies, in tuples, lists and dicts too: a reply, or an
    argument as it was before the call."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (tuple, list)):
        return type(value)(_copied(item) for item in value)
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    return value


def _parameters(function) -> list:
    import inspect

    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return []
    return [[p.name, p.kind.name, p.default is not p.empty] for p in signature.parameters.values()]


def _source(function):
    import inspect

    try:
        lines, first = inspect.getsourcelines(function)
    except (OSError, TypeError):
        return None
    return ["".join(lines), first]


def _failure(error: BaseException, folder: str) -> dict:
    if isinstance(error, SystemExit):
        return {"type": "SystemExit", "message": f"exit({error.code})", "traceback": ""}
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.startswith(folder)]
    shown = "".join(traceback.format_list(frames)[-5:]).replace(f"{folder}/", "")  # the copy's folder is named afresh
    return {"type": type(error).__name__[:200], "message": str(error)[:2000], "traceback": shown[:4000]}


def main() -> None:
    folder, requests, replies, timeout = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    sys.meta_path.insert(0, Blocked)
    submission = Submission(folder, timeout)
    wire.send(replies, submission.hello() | {"cpu": submission.cpu()})
    while True:
        try:
            request = wire.receive(requests, separate=True)
        except EOFError:
            return
        for number in request.get("release", ()):
            submission.kept.pop(number, None)
        try:
            operation = request["operation"]
            if operation == "call":
                reply = submission.call(request["name"], request["args"], request["by_keyword"], request["returns"])
            elif operation == "chain":
                reply = {"replies": submission.chain(request["calls"])}
            elif operation == "chains":  # the first exchange of each example of a check, made ahead
                reply = {"chains": submission.chains(request["chains"], lambda: wire.send_progress(replies))}
            elif operation == "source":  # asked for by the checks that read one
                reply = {"result": _source(submission.functions[request["name"]])}
            elif operation == "attribute":
                reply = {"result": submission.attribute(submission.resolve(request["object"]), request["name"])}
            elif operation == "update":
                reply = {"result": submission.update(submission.resolve(request["object"]), request["name"], request["items"])}
            else:
                return
        except (Exception, loading.LearnerTimeout, SystemExit) as error:  # the learner's code failed: say how
            reply = {"error": _failure(error, folder)}
        reply["sequence"] = request.get("sequence")
        try:
            wire.send(replies, reply | {"cpu": submission.cpu()})
        except (TypeError, ValueError) as error:  # an output the wire cannot carry
            wire.send(replies, {"error": {"type": "TypeError", "message": f"an output cannot be sent: {error}", "traceback": ""},
                                "sequence": request.get("sequence"), "cpu": submission.cpu()})


if __name__ == "__main__":
    main()
