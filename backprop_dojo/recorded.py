"""The examples a check draws, recorded once per process and replayed for every other learner.

A check's examples come from its fixed seed, and which ones Hypothesis generates depends
on what the check draws, never on what the learner returns (a check draws before it calls,
and stops at the first failure). So when one learner has passed every example, the next
learner checked in this process (another submission, another bug of the catalogue) gets
the same examples: they are handed out again without running Hypothesis's engine, in the
same order, each under the same seeded global PRNGs Hypothesis sets for an example (when
the learner's code runs in this process: a sandboxed learner's are in its own). As
Hypothesis does, a failing example is run once more: a second run that passes or fails
differently makes the learner's code unrepeatable (FlakyFailure). A check that draws
other than it did when recorded is run by Hypothesis instead.

A run that shrinks a failure (pytest's) replays too, and hands a replayed failure to
Hypothesis's own run, which draws the same examples and shrinks the failure: its verdict
stands. A learner's run also keeps what it records between runs (kept_examples.py).
"""

from __future__ import annotations

from contextlib import contextmanager
from random import Random
from typing import Callable

from hypothesis.errors import FlakyFailure, StopTest, UnsatisfiedAssumption
from hypothesis.internal.entropy import RANDOMS_TO_MANAGE, deterministic_PRNG

from .copies import copied
from .kept_examples import KeptExamples

# (id of the check, id of the exercise, seed, examples) -> (the check, the exercise, [(values drawn, aborted)]):
# the objects themselves are kept, so that their ids are not reused while the recording lives
_recordings: dict = {}
_replaying = [True]


class Diverged(Exception):
    """The check drew other than it did when its examples were recorded."""


class Recorder:
    """Hypothesis's data object for one example, writing down each value drawn."""

    def __init__(self, data, values: list):
        self.data, self.values = data, values

    def draw(self, strategy, label=None):
        value = self.data.draw(strategy, label=label)
        self.values.append(copied(value))
        return value


class Replayed:
    """One recorded example's values, drawn again in order (copies: checks change cases)."""

    def __init__(self, values: list, aborted: bool):
        self.values, self.aborted, self.drawn = values, aborted, 0

    def draw(self, strategy, label=None):
        if self.drawn == len(self.values):
            raise StopTest(0) if self.aborted else Diverged(f"a draw more than recorded ({label})")
        self.drawn += 1
        return copied(self.values[self.drawn - 1])


def examples(key: tuple, run_once: Callable, hypothesis_run: Callable, seeded: bool = True, shrink: bool = False,
             kept: KeptExamples | None = None, ahead: Callable | None = None) -> Callable:
    """A function running the examples of `key` (check, exercise, seed, examples):
    `run_once(data)` on each recorded example, if they are recorded in this process or
    `kept` from an earlier run, under seeded global PRNGs if `seeded`; else Hypothesis's run,
    recording them (and keeping them) if every example passes. `hypothesis_run(wrap, then)`
    runs `then(wrap(data))` on each example Hypothesis generates. A replayed failure is run
    again, as Hypothesis would, or with `shrink` handed to Hypothesis's run, which shrinks it.
    `ahead(recording)`, if given, is a context around the replayed examples yielding
    `at(index)`, said before each example's first run (ahead.py); the recording is a list of
    (values drawn, aborted), one per example, for Replayed."""
    recording = _recorded(key, kept) if _replaying[-1] else None
    if recording is not None:
        seeding = _seeding_each_example if seeded else _not_seeding
        return lambda: _replay(recording, run_once, lambda: hypothesis_run(same, run_once), seeding, shrink,
                               ahead or _nothing_ahead)

    def record() -> None:
        recording: list = []

        def wrap(data):
            recording.append(([], True))
            return Recorder(data, recording[-1][0])

        def ran_to_its_end(data) -> None:  # not aborted by Hypothesis (an unsatisfied draw)
            run_once(data)
            recording[-1] = (recording[-1][0], False)

        hypothesis_run(wrap, ran_to_its_end)
        _recordings[_identity(key)] = (key[0], key[1], recording)  # every example passed
        if kept is not None:
            kept.put(_names(key), recording)

    return record


def _recorded(key: tuple, kept: KeptExamples | None) -> list | None:
    """The examples of `key` recorded in this process, or else kept by an earlier run
    (recorded here from then on); None if neither."""
    check, exercise = key[0], key[1]
    found = _recordings.get(_identity(key))
    if found and found[0] is check and found[1] is exercise:
        return found[2]
    recording = kept.get(_names(key)) if kept is not None else None
    if recording is not None:
        _recordings[_identity(key)] = (check, exercise, recording)
    return recording


def same(data):
    """Hypothesis's data object itself."""
    return data


def _identity(key: tuple) -> tuple:
    return (id(key[0]), id(key[1]), *key[2:])


def _names(key: tuple) -> tuple:
    """The key by name, as the examples are kept between runs."""
    return (key[1].name, getattr(key[0], "__name__", "check"), *key[2:])


def _replay(recording: list, run_once: Callable, hypothesis_run: Callable, seeding, shrink: bool, ahead) -> None:
    with seeding() as seed, ahead(recording) as at:
        for index, (values, aborted) in enumerate(recording):
            try:
                seed()
                at(index)
                run_once(Replayed(values, aborted))
            except (StopTest, UnsatisfiedAssumption):
                continue
            except Diverged:
                break
            except Exception as first:
                if not shrink:
                    _run_again(values, aborted, run_once, first, seed)
                break  # Hypothesis's run shrinks it, outside this handler: its failure is shown alone
        else:
            return
    hypothesis_run()


@contextmanager
def _seeding_each_example():
    """Hypothesis's deterministic_PRNG() around all the examples, yielding `seed()`, which
    puts every PRNG it manages back as deterministic_PRNG() leaves it for an example: the
    learner's code draws what it would under Hypothesis, and the PRNGs' states are saved
    and restored once, not around every example (a quarter of a millisecond each)."""
    with deterministic_PRNG():
        managed, state = list(RANDOMS_TO_MANAGE.values()), Random(0).getstate()

        def seed() -> None:
            for prng in managed:
                if type(prng) is Random:
                    prng.setstate(state)
                else:
                    prng.seed(0)

        yield seed


@contextmanager
def _not_seeding():
    yield lambda: None


@contextmanager
def _nothing_ahead(recording: list):
    yield lambda index: None


def _run_again(values: list, aborted: bool, run_once: Callable, first: Exception, seed: Callable) -> None:
    """Run a failing example once more, as Hypothesis does: the second failure is the one
    raised, and a second run that passes or fails elsewhere is unrepeatable code."""
    try:
        seed()
        run_once(Replayed(values, aborted))
    except Exception as final:
        if _origin(final) == _origin(first):
            raise
        raise FlakyFailure("the same example failed twice, differently", [first, final]) from None
    raise FlakyFailure("the same example failed, then passed", [first])


def _origin(error: BaseException) -> tuple:
    """What Hypothesis tells failures apart by: the exception's type and where it was raised."""
    frames = []
    traceback = error.__traceback__
    while traceback is not None:
        frames.append((traceback.tb_frame.f_code.co_filename, traceback.tb_lineno))
        traceback = traceback.tb_next
    return type(error), frames[-1] if frames else None


@contextmanager
def afresh():
    """Let Hypothesis draw every example meanwhile, replaying none (to show that replaying
    changes no verdict)."""
    _replaying.append(False)
    try:
        yield
    finally:
        _replaying.pop()
