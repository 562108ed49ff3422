"""The schema of everything a learner's process sends the grader: its hello (the functions
it found, the modules that failed) and its reply to each request. Whatever does not fit is a
ProtocolError; every text is clipped (output_safety.clip), every collection bounded, so what
a submission says costs the grader at most a few kilobytes per exercise. What a message says
of the CPU its process used (cpu) is read apart: it never fails a message nor reaches a score."""

from __future__ import annotations

import inspect
import math

from .output_safety import clip
from .wire import ProtocolError

MAX_NAMES = 5000  # functions, import errors, notes or warnings in one message
MAX_SOURCE = 2**20  # characters of one function's source; a longer one is not shown
NAME = 200  # characters of a name
KINDS = {kind.name for kind in inspect._ParameterKind}


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise ProtocolError(what)


def _texts(value, what: str, limit: int = 2000) -> dict[str, str]:
    _require(isinstance(value, dict) and len(value) <= MAX_NAMES, f"{what} is not a table of names")
    _require(all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()), f"{what} is not a table of texts")
    return {clip(k, NAME): clip(v, limit) for k, v in value.items()}


def _list(value, what: str, limit: int = 2000) -> list[str]:
    _require(isinstance(value, list) and len(value) <= MAX_NAMES and all(isinstance(v, str) for v in value),
             f"{what} is not a list of texts")
    return [clip(v, limit) for v in value]


def hello(message) -> dict:
    """The child's first message, checked: {functions, import_errors, unimportable, notes}."""
    _require(isinstance(message, dict), "the first message is not a table")
    functions = message.get("functions")
    _require(isinstance(functions, dict) and len(functions) <= MAX_NAMES, "functions is not a table of names")
    table = {}
    for name, entry in functions.items():
        _require(isinstance(name, str) and len(name) <= NAME and isinstance(entry, dict), "a malformed function entry")
        parameters = entry.get("parameters")
        _require(isinstance(parameters, list) and len(parameters) <= 256, f"{name}: malformed parameters")
        for parameter in parameters:
            _require(isinstance(parameter, list) and len(parameter) == 3 and isinstance(parameter[0], str)
                     and parameter[0].isidentifier() and parameter[1] in KINDS and isinstance(parameter[2], bool),
                     f"{name}: a malformed parameter")
        table[name] = {"parameters": parameters}
    return {"functions": table, "import_errors": _texts(message.get("import_errors"), "import_errors"),
            "unimportable": _texts(message.get("unimportable"), "unimportable", NAME),
            "notes": _list(message.get("notes"), "notes")}


def source(result, name: str) -> tuple[str, int] | None:
    """The reply to a request for a function's source: [its text, its first line] or None
    (none survives, or one longer than MAX_SOURCE, which is not shown)."""
    _require(result is None or (isinstance(result, list) and len(result) == 2 and isinstance(result[0], str)
                                and type(result[1]) is int), f"{name}: a malformed source")
    return (result[0], result[1]) if result and len(result[0]) <= MAX_SOURCE else None


def reply(message, sequence: int, calls: int = 1, chains: tuple[int, ...] = ()) -> dict:
    """A reply to request number `sequence`: {"sequence", "error": {type, message,
    traceback}} or {"sequence", "result", "changed", "written", "warned"} (the last three
    optional); to a chain of `calls` calls, {"sequence", "replies": [one of those, less the
    sequence, per call made]}; to chains of those lengths, {"sequence", "chains": [the
    replies of each chain made]}. A reply to another request (left over, or forged) is a violation."""
    _require(isinstance(message, dict), "a reply is not a table")
    _require(message.get("sequence") == sequence, "a reply to another request")
    if chains and "error" not in message:
        made = message.get("chains")
        _require(isinstance(made, list) and len(made) <= len(chains), "the chains' replies are not a list of at most one per chain")
        return {"chains": [_chain(one, length) for one, length in zip(made, chains)]}
    if calls > 1 and "error" not in message:
        return {"replies": _chain(message.get("replies"), calls)}
    return _one(message)


def _chain(made, calls: int) -> list[dict]:
    _require(isinstance(made, list) and len(made) <= calls, "a chain's replies are not a list of at most one per call")
    return [_one(one) for one in made]


def _one(message) -> dict:
    _require(isinstance(message, dict), "a reply is not a table")
    if "error" in message:
        error = message["error"]
        _require(isinstance(error, dict) and all(isinstance(error.get(k, ""), str) for k in ("type", "message", "traceback")),
                 "a malformed error")
        return {"error": {"type": clip(error.get("type", "an error"), NAME), "message": clip(error.get("message", "")),
                          "traceback": clip(error.get("traceback", ""))}}
    changed = message.get("changed", {})
    _require(isinstance(changed, dict) and all(isinstance(k, str) for k in changed), "changed is not a table of names")
    return {"result": message.get("result"), "changed": changed,
            "written": _texts(message.get("written", {}), "written", NAME),
            "warned": _list(message.get("warned", []), "warned", 500)}


def cpu(message, limit: float) -> tuple[float, float]:
    """The CPU seconds a message says its process has used so far, (all of it, inside the
    learner's functions): untrusted, so anything but two finite numbers counts as nothing,
    each is clipped to [0, limit] (the process's own CPU limit) and the second to the first."""
    said = message.get("cpu") if isinstance(message, dict) else None
    if not (isinstance(said, list) and len(said) == 2):
        return 0.0, 0.0
    process, learner = (_seconds(value, limit) for value in said)
    return process, min(learner, process)


def _seconds(value, limit: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    if isinstance(value, int):  # any size: compared before it becomes a float
        return float(min(max(value, 0), limit))
    return min(max(value, 0.0), limit) if math.isfinite(value) else 0.0
