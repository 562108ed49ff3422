"""The first exchange of every example of a check, made ahead (backprop_dojo/ahead.py): a
sandboxed learner gets a replayed check's examples in one request, each with its own time,
and the child stops at the first example that fails there, as one by one nothing after it
would run. The verdicts are those of the calls one by one."""

import shutil
import textwrap
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_dojo import ahead, verdict
from backprop_dojo.ahead import first_calls, same_calls
from backprop_dojo.checks import backward, randomness
from backprop_dojo.exercises import EXERCISES
from backprop_dojo.grading.sandbox import SandboxedLearner
from backprop_dojo.learner import Earlier, load
from backprop_dojo.loading import same_bits
from backprop_dojo.plugin import REFERENCE
from backprop_dojo.recorded import Recorder
from backprop_dojo.run_config import RunConfig
from tests.harness import noting_requests

RUN = RunConfig(examples=8)
COUNTING = """
    import time
    import numpy as np

    CALLS = []

    def relu_forward(x):
        CALLS.append(x.shape)
        if len(CALLS) >= {fails_at}:
            raise ValueError("call {fails_at} and every later one break")
        time.sleep({sleep})
        return np.maximum(x, 0), x

    def calls_made():
        return len(CALLS)
"""


def _recorded(check, name: str) -> None:
    """The check's examples recorded in this process, by the reference: the next learner's are replayed."""
    outcomes = verdict.run(EXERCISES[name], load(REFERENCE), RUN, only=frozenset({check}))
    assert outcomes[check].status == "passed"


def _sandboxed(folder, source: str = "", timeout: float = 5) -> SandboxedLearner:
    if source:
        (folder / "layers.py").write_text(textwrap.dedent(source))
    learner = SandboxedLearner(folder or REFERENCE, timeout, 512, isolation="process")
    learner.exchanges = noting_requests(learner)
    return learner


@contextmanager
def _nothing_ahead(learner, planned):
    yield lambda index: None


SLOW = pytest.mark.slow  # a check of each template by default; a loss, a random layer, a method with the slow ones


@pytest.mark.parametrize("name, check", [
    ("affine_backward", "backward"), ("TwoLayerNet.loss", "model"), ("batchnorm_forward", "state"),
    ("dropout_forward", "randomness"), ("sgd_momentum", "steps"), pytest.param("softmax_loss", "backward", marks=SLOW),
    pytest.param("dropout_backward", "backward", marks=SLOW),
    pytest.param("KNearestNeighbor.compute_distances_two_loops", "forward", marks=SLOW)])
def test_a_replayed_checks_examples_reach_a_sandboxed_learner_in_one_request(name, check):
    _recorded(check, name)
    learner = _sandboxed(None)
    try:
        outcomes = verdict.run(EXERCISES[name], learner, RUN, only=frozenset({check}))
        assert outcomes[check].status == "passed"
        assert learner.exchanges.count("chains") == 1 and "call" not in learner.exchanges and "chain" not in learner.exchanges
    finally:
        learner.close()


@pytest.mark.parametrize("sandboxed", [True, False])
def test_networks_sharing_one_params_dict_pass_when_made_ahead(tmp_path, sandboxed):
    """A class attribute every instance shares (as a notebook that builds one net at a time
    never notices): each example's net is built, given its parameters and asked its loss
    before the next is built, in one exchange, one by one or made ahead."""
    _recorded("model", "TwoLayerNet.loss")
    folder = tmp_path / "shared"
    shutil.copytree(REFERENCE, folder)
    fc_net = folder / "classifiers" / "fc_net.py"
    own_dict, shared_dict = "        self.params = {}\n        self.reg = reg", "        self.params.clear()\n        self.reg = reg"
    source = fc_net.read_text().replace(own_dict, shared_dict, 1)
    fc_net.write_text(source.replace("class TwoLayerNet:\n", "class TwoLayerNet:\n    params = {}\n", 1))
    assert "    params = {}\n" in fc_net.read_text() and "self.params.clear()" in fc_net.read_text()
    learner = _sandboxed(folder) if sandboxed else load(folder)
    try:
        assert verdict.run(EXERCISES["TwoLayerNet.loss"], learner, RUN, only=frozenset({"model"}))["model"].status == "passed"
        assert not sandboxed or learner.exchanges.count("chains") == 1
    finally:
        if sandboxed:
            learner.close()


def test_a_check_with_an_exchange_after_its_first_makes_them_one_by_one():
    """A fully connected net with dropout reads the learner's masks, in exchanges of their own."""
    _recorded("model", "FullyConnectedNet.loss")
    learner = _sandboxed(None)
    try:
        outcome = verdict.run(EXERCISES["FullyConnectedNet.loss"], learner, RUN, only=frozenset({"model"}))["model"]
        assert outcome.status == "passed" and "chains" not in learner.exchanges
    finally:
        learner.close()


@pytest.mark.parametrize("made_ahead", [True, False])
def test_the_child_stops_at_the_first_example_that_fails_there(tmp_path, monkeypatch, made_ahead):
    """Call 3 raises, and every later one: the child makes no call of the examples after
    it; the example is run once more, as one by one."""
    _recorded("forward", "relu_forward")
    if not made_ahead:
        monkeypatch.setattr(SandboxedLearner, "ahead", _nothing_ahead)
    learner = _sandboxed(tmp_path, COUNTING.format(fails_at=3, sleep=0))
    try:
        outcome = verdict.run(EXERCISES["relu_forward"], learner, RUN, only=frozenset({"forward"}))["forward"]
        assert outcome.status == "failed" and "call 3 and every later one break" in outcome.message
        assert learner.call("calls_made", {}, ("count",))["count"] == 4
        assert learner.exchanges[0] == ("chains" if made_ahead else "call")
    finally:
        learner.close()


@pytest.mark.slow
def test_each_example_made_ahead_has_its_own_time(tmp_path):
    """Eight calls of 0.3 s each, a timeout of 0.5 s: together past one call's time and
    grace (1.5 s), each within its own; the child marks each example's start and is not killed."""
    _recorded("forward", "relu_forward")
    learner = _sandboxed(tmp_path, COUNTING.format(fails_at=10**6, sleep=0.3), timeout=0.5)
    child = learner._child
    try:
        assert verdict.run(EXERCISES["relu_forward"], learner, RUN, only=frozenset({"forward"}))["forward"].status == "passed"
        assert learner.exchanges[0] == "chains" and "call" not in learner.exchanges and learner._child is child
        assert learner.call("calls_made", {}, ("count",))["count"] == RUN.examples
    finally:
        learner.close()


@settings(max_examples=2, database=None, deadline=None)
@given(st.data())
def test_the_planner_finds_each_examples_first_calls_once_per_recording_and_makes_none(data):
    exercise, values = EXERCISES["affine_backward"], []
    planned = ahead._first_calls(backward, exercise, ahead._Planner(None), Recorder(data, values), RUN)
    assert [call["name"] for call in planned] == ["affine_forward", "affine_backward"]
    assert planned[1]["args"]["cache"] == Earlier(0, "cache")
    recording = [(values, False), ([], False), ([], True)]  # the second draws more than recorded, the third is aborted
    replayed, diverged, aborted = first_calls(backward, exercise, None, recording, RUN)
    assert same_calls(replayed, planned) and diverged is None and aborted is None
    assert first_calls(backward, exercise, None, recording, RUN)[0] is replayed  # found once for every learner
    assert first_calls(backward, exercise, None, list(recording), RUN)[0] is not replayed
    assert first_calls(randomness, EXERCISES["dropout_forward"], None, [([], True)], RUN) == [None]


@pytest.mark.parametrize("other, same", [
    (np.array([0.0, 1.0]), True),
    (np.array([-0.0, 1.0]), False),  # bit for bit
    (np.array([0.0, 1.0], dtype=np.float32), False),
    (np.array([[0.0, 1.0]]), False),
    ([0.0, 1.0], False),
])
def test_two_chains_are_the_same_calls_when_their_arrays_are_bit_for_bit(other, same):
    call = {"name": "relu_forward", "args": {"x": np.array([0.0, 1.0]), "p": {"mode": "train", "p": float("nan")}},
            "returns": ("out", "cache")}
    assert same_calls([call], [{**call, "args": {**call["args"], "x": other}}]) is same
    assert same_calls([call], [{**call, "mutable": ()}]) and not same_calls([call], [{**call, "by_keyword": True}])
    assert not same_calls([call], [{**call, "args": {"p": call["args"]["p"], "x": call["args"]["x"]}}])  # another order
    assert not same_calls([call], [call, call])


def test_arrays_are_the_same_bit_for_bit_without_being_copied():
    x = np.linspace(-1, 1, 12).reshape(3, 4)
    nudged = x.copy()
    nudged[1, 1] = np.nextafter(nudged[1, 1], 2)
    assert same_bits(x[:, ::2], x[:, ::2].copy()) and same_bits(np.array([np.nan]), np.array([np.nan]))
    assert not same_bits(x, nudged) and not same_bits(np.zeros(1), -np.zeros(1))
    assert same_bits(np.array([1 + 2j]), np.array([1 + 2j])) and same_bits(np.array(["ab"]), np.array(["ab"]))
    assert not same_bits(x, x.astype(np.float32)) and not same_bits(x, x.reshape(4, 3))
    large = np.linspace(-1, 1, 40**3).reshape(40, 40, 40)  # compared as integers, not by its bytes
    flipped = large.copy()
    flipped[-1, -1, -1] = np.nextafter(flipped[-1, -1, -1], 0)
    assert same_bits(large[:, ::2], large[:, ::2].copy()) and not same_bits(large, flipped)
    assert not same_bits(np.zeros(8000), -np.zeros(8000))
