"""A learner's run keeps the examples each check passed (backprop_dojo/kept_examples.py),
and a later run, in another process, replays them instead of running Hypothesis's engine:
the same examples, the same verdicts; a replayed failure is Hypothesis's to shrink; a file
that cannot be read is ignored."""

import functools
import pickle

import pytest

from backprop_dojo import recorded, verdict
from backprop_dojo.checks import CHECKS
from backprop_dojo.compare import Mismatch
from backprop_dojo.exercises import EXERCISES
from backprop_dojo.kept_examples import PREFIX, fingerprint, folder
from backprop_dojo.learner import load
from backprop_dojo.plugin import REFERENCE
from backprop_dojo.run_config import RunConfig
from tests.bugs.bug import Bug

KEPT = RunConfig(examples=7, keep_examples=True)  # 7: no other test of this process records these


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "backprop-dojo"


def as_in_a_new_process(check):
    """The check as a function object this process has not recorded examples for (its
    recordings are kept by object), with the same name (its seed and its kept file)."""

    @functools.wraps(check)
    def again(exercise, learner, data, run_config):
        seen.append(data)
        check(exercise, learner, data, run_config)

    seen: list = []
    again.seen = seen
    return again


def run(check, learner, exercise="relu_forward", shrink=True):
    verdict.examples(check, EXERCISES[exercise], learner, KEPT, shrink=shrink)()


def test_a_later_run_replays_the_examples_an_earlier_one_kept(cache):
    reference = load(REFERENCE)
    first, later = as_in_a_new_process(CHECKS["forward"]), as_in_a_new_process(CHECKS["forward"])
    run(first, reference)
    assert not any(isinstance(data, recorded.Replayed) for data in first.seen)  # Hypothesis drew them
    kept = list((cache / f"{PREFIX}{fingerprint()}").iterdir())
    assert [path.name for path in kept] == [f"relu_forward-forward-{verdict.seed_of(EXERCISES['relu_forward'], 'forward')}-7.pickle"]
    run(later, reference)
    assert later.seen and all(isinstance(data, recorded.Replayed) for data in later.seen)
    replayed = [pickle.dumps(data.values) for data in later.seen]
    assert replayed == [pickle.dumps(values) for values, _ in pickle.loads(kept[0].read_bytes())]


def test_a_replayed_failure_is_shrunk_by_hypothesis():
    reference = load(REFERENCE)
    run(as_in_a_new_process(CHECKS["forward"]), reference)
    wrong = Bug("relu_forward", "abs for max", "out = np.maximum(0, x)", "out = np.abs(x)").learner()
    check = as_in_a_new_process(CHECKS["forward"])
    with pytest.raises(Mismatch):
        run(check, wrong)
    assert isinstance(check.seen[0], recorded.Replayed)  # the first failing example was replayed,
    assert not isinstance(check.seen[-1], recorded.Replayed)  # the shrunk one is Hypothesis's


def test_an_unreadable_file_is_drawn_afresh_and_replaced(cache):
    reference = load(REFERENCE)
    run(as_in_a_new_process(CHECKS["forward"]), reference)
    (kept,) = (cache / f"{PREFIX}{fingerprint()}").iterdir()
    kept.write_bytes(b"not a pickle")
    check = as_in_a_new_process(CHECKS["forward"])
    run(check, reference)
    assert check.seen and not any(isinstance(data, recorded.Replayed) for data in check.seen)
    assert isinstance(pickle.loads(kept.read_bytes()), list)


def test_the_recordings_of_another_fingerprint_are_forgotten(cache):
    stale = cache / f"{PREFIX}an-older-version"
    stale.mkdir(parents=True)
    (stale / "relu_forward-forward-1-20.pickle").write_bytes(b"")
    run(as_in_a_new_process(CHECKS["forward"]), load(REFERENCE))
    assert [path.name for path in cache.iterdir()] == [f"{PREFIX}{fingerprint()}"]


def test_the_folder_follows_xdg_cache_home(cache, monkeypatch):
    assert folder() == cache
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert folder().parts[-2:] == (".cache", "backprop-dojo")


def test_a_cache_folder_that_cannot_be_written_keeps_nothing_and_changes_no_verdict(cache):
    cache.parent.mkdir(exist_ok=True)
    cache.write_text("a file where the folder would be")
    check = as_in_a_new_process(CHECKS["forward"])
    run(check, load(REFERENCE))
    assert check.seen and cache.read_text() == "a file where the folder would be"


@pytest.mark.parametrize("run_config", [RunConfig(examples=7, seed=5, keep_examples=True),
                                        RunConfig(examples=7, hidden_seed=5, keep_examples=True),
                                        RunConfig(examples=25, keep_examples=True)],
                         ids=["--explore", "a hidden seed's examples", "more examples than by default"])
def test_only_the_fixed_examples_of_a_learners_run_are_kept(cache, run_config):
    base = run_config.seeds[-1]  # the hidden seed's, when there is one
    verdict.examples(as_in_a_new_process(CHECKS["forward"]), EXERCISES["relu_forward"], load(REFERENCE), run_config, base)()
    assert not cache.exists() or not any(cache.rglob("*.pickle"))
