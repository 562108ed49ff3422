"""The first exchange of every example of a check, made ahead with a sandboxed learner in
one request (SandboxedLearner.ahead) instead of one request per example.

An example's first calls are found by running the check on its replayed draws with a
Planner standing in for the learner: the check stops where it would make them. They are
found once per recording and run, for every learner, unless the check reads the learner
before (a network's constructor parameters). Only for the checks of checks.ONE_EXCHANGE,
whose every example makes that one exchange and no other: with an exchange after it,
calls made ahead could see what the later examples' calls did to the learner's objects (a
class attribute every instance shares), which one by one they would not. The check then
runs each example as ever, and its first call or chain, compared value for value with the
one planned, gets the reply made ahead.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from hypothesis.errors import StopTest

from .learner import NotImplementedExercise
from .loading import same_bits
from .recorded import Replayed


class _Planned(BaseException):
    """The calls a check was about to make, stopped before they were made."""

    def __init__(self, calls: list[dict]):
        super().__init__()
        self.calls = calls


class _Planner:
    """Stands in for the learner while an example's first calls are found: making them
    stops the check. What the check reads of the learner first (a network's constructor
    parameters and folder) is the learner's, and makes the calls this learner's own; any
    other use of the learner is an AttributeError: not planned."""

    def __init__(self, learner):
        self._learner, self.asked = learner, False

    def signature(self, name: str):
        self.asked = True
        return self._learner.signature(name)

    @property
    def origin(self) -> str:
        self.asked = True
        return self._learner.origin

    def chain(self, calls: list[dict]):
        raise _Planned(calls)

    def call(self, name: str, args: dict, returns: tuple[str, ...], mutable: tuple[str, ...] = (), by_keyword: bool = False):
        raise _Planned([{"name": name, "args": args, "returns": returns, "mutable": mutable, "by_keyword": by_keyword}])


def first_calls(check: Callable, exercise, learner, recording: list, run_config) -> list[list[dict] | None]:
    """The calls (a chain; a call is a chain of one) each recorded example of the check
    makes first, None for one that fails or stops before it makes any: found once per
    recording and run for every learner, unless the check reads the learner to make them."""
    key = (id(check), id(exercise), id(recording), run_config)
    found = _planned.get(key)
    if found is not None and found[0] is recording:
        return found[1]
    planner = _Planner(learner)
    plans = [_first_calls(check, exercise, planner, Replayed(values, aborted), run_config) for values, aborted in recording]
    if not planner.asked:  # the draws alone made them, and nothing changes them
        _planned[key] = (recording, plans)
    return plans


# (id of the check, id of the exercise, id of the recording, run) -> (the recording, each example's first calls);
# the recording itself kept, so that its id is not another's while its calls are
_planned: dict = {}


def _first_calls(check: Callable, exercise, planner: _Planner, data, run_config) -> list[dict] | None:
    try:
        check(exercise, planner, data, run_config)
    except _Planned as planned:
        return planned.calls
    except (Exception, StopTest, NotImplementedExercise):  # run as ever, it fails or stops there again
        return None
    return None


def same_calls(planned: list[dict], calls: list[dict]) -> bool:
    """Whether two chains are the same calls: names, results asked for and arguments,
    arrays bit for bit."""
    return len(planned) == len(calls) and all(
        one["name"] == other["name"] and one.get("operation") == other.get("operation")
        and tuple(one.get("returns", ())) == tuple(other.get("returns", ()))
        and tuple(one.get("mutable", ())) == tuple(other.get("mutable", ()))
        and bool(one.get("by_keyword")) == bool(other.get("by_keyword")) and _same(one["args"], other["args"])
        for one, other in zip(planned, calls)
    )


def _same(one, other) -> bool:
    if type(one) is not type(other):
        return False
    if isinstance(one, np.ndarray):
        return same_bits(one, other)
    if isinstance(one, dict):
        return list(one) == list(other) and all(_same(one[key], other[key]) for key in one)
    if isinstance(one, (list, tuple)):
        return len(one) == len(other) and all(map(_same, one, other))
    if isinstance(one, (float, np.generic)):
        return repr(one) == repr(other)  # NaN is itself, -0.0 is not 0.0
    return bool(one == other)
