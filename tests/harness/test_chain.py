"""A chain of calls (a forward, then the backward fed its cache) reaches a sandboxed learner
in one exchange and comes back as the calls one by one would: the same results, the same
failure at the same step, and no call made after the one that fails."""

import json
import textwrap
from contextlib import contextmanager

import numpy as np
import pytest

from backprop_dojo.compare import Mismatch
from backprop_dojo.grading import rubric
from backprop_dojo.grading.grade import grade
from backprop_dojo.grading.sandbox import SandboxedLearner
from backprop_dojo.learner import Earlier, Given, Learner, LearnerError, NotImplementedExercise, load
from tests import hostile
from tests.harness import noting_requests
from tests.courses.layouts import YEARS, build

LAYERS = """
    import numpy as np

    BACKWARDS = []

    def sigmoid_forward(x):
        out = 1 / (1 + np.exp(-x))
        return out, out

    def sigmoid_backward(dout, cache):
        BACKWARDS.append("sigmoid")
        cache *= 1 - cache  # in place: the forward's out, already returned, stays as it was
        return dout * cache

    def relu_forward(x):
        raise ValueError("the forward broke")

    def relu_backward(dout, cache):
        BACKWARDS.append("relu")
        return dout

    def tanh_forward(x):
        return np.tanh(x)  # no cache

    def tanh_backward(dout, cache):
        BACKWARDS.append("tanh")
        return dout

    def backwards_run():
        return list(BACKWARDS)

    def doubled_sum(x):
        x *= 2  # in place: a later call given the same x still gets it as it was
        return float(x.sum())

    def counted(param):
        param["count"] = param.get("count", 0) + 1
        return param["count"]
"""


def _pair(layer: str, x: np.ndarray) -> list[dict]:
    return [{"name": f"{layer}_forward", "args": {"x": x}, "returns": ("out", "cache")},
            {"name": f"{layer}_backward", "args": {"dout": np.ones_like(x), "cache": Earlier(0, "cache")}, "returns": ("dx",)}]


@pytest.fixture(params=["in this process", "sandboxed"])
def learner(request, tmp_path):
    (tmp_path / "layers.py").write_text(textwrap.dedent(LAYERS))
    if request.param == "in this process":
        yield load(tmp_path)
        return
    sandboxed = SandboxedLearner(tmp_path, 5, 512, isolation="process")
    sandboxed.exchanges = noting_requests(sandboxed)
    yield sandboxed
    sandboxed.close()


def _backwards_run(learner: Learner) -> list:
    return learner.call("backwards_run", {}, ("run",))["run"]


@pytest.mark.filterwarnings("ignore:sigmoid_backward changed its input cache in place")  # in this process, on its copy
def test_a_forward_and_its_backward_come_back_as_one_by_one_in_one_exchange(learner):
    x = np.linspace(-2, 2, 6).reshape(2, 3)
    forward, backward = learner.chain(_pair("sigmoid", x))
    expected = 1 / (1 + np.exp(-x))
    np.testing.assert_array_equal(forward["out"], expected)  # not changed by the backward's write into the cache
    np.testing.assert_allclose(backward["dx"], expected * (1 - expected))
    assert [call.name for call in learner.calls] == ["sigmoid_forward", "sigmoid_backward"]
    if isinstance(learner, SandboxedLearner):
        assert learner.exchanges == ["chain"]


@pytest.mark.filterwarnings("ignore:doubled_sum changed its input x in place")
def test_calls_given_one_array_each_get_it_as_it_was(learner):
    x = np.ones((2, 3))
    call = {"name": "doubled_sum", "args": {"x": x}, "returns": ("sum",)}
    assert [step["sum"] for step in learner.chain([call, call, call])] == [12.0, 12.0, 12.0]
    np.testing.assert_array_equal(x, np.ones((2, 3)))


def test_a_call_given_an_earlier_calls_dict_gets_it_as_that_call_left_it_or_a_changed_copy(learner):
    calls = [{"name": "counted", "args": {"param": {"mode": "train"}}, "returns": ("count",)},
             {"name": "counted", "args": {"param": Given(0, "param")}, "returns": ("count",)},
             {"name": "counted", "args": {"param": Given(1, "param", {"count": 10})}, "returns": ("count",)},
             {"name": "counted", "args": {"param": Given(1, "param")}, "returns": ("count",)}]
    assert [step["count"] for step in learner.chain(calls)] == [1, 2, 11, 3]


def test_a_forward_that_raises_ends_the_chain_before_its_backward(learner):
    steps = learner.chain(_pair("relu", np.ones((2, 3))))
    with pytest.raises(LearnerError if isinstance(learner, SandboxedLearner) else ValueError, match="the forward broke"):
        next(steps)
    assert _backwards_run(learner) == []


def test_a_forward_without_the_cache_its_backward_needs_fails_as_one_by_one(learner):
    steps = learner.chain(_pair("tanh", np.ones((2, 3))))
    with pytest.raises(Mismatch, match=r"tanh_forward should return a tuple \(out, cache\)"):
        next(steps)
    assert _backwards_run(learner) == []


def test_a_function_missing_from_a_chain_fails_at_its_step(learner):
    missing = {"name": "affine_backward", "args": {"dout": np.ones(3), "cache": Earlier(0, "cache")}, "returns": ("dx", "dw", "db")}
    steps = learner.chain([_pair("sigmoid", np.ones(3))[0], missing])
    assert next(steps)["out"].shape == (3,)
    with pytest.raises(NotImplementedExercise, match="affine_backward: not implemented"):
        next(steps)


@contextmanager
def _nothing_ahead(learner, planned):
    yield lambda index: None


@pytest.mark.slow
def test_chains_in_one_exchange_change_no_grade(tmp_path, monkeypatch):
    """Every submission of the hostile corpus and a reconstruction of each course year gets
    the same results.json whether its chains, and its examples' first exchanges (ahead.py),
    travel in one exchange or call by call."""
    folders = hostile.write(tmp_path / "submissions", tmp_path / "out")
    folders += [build(year_key, tmp_path / "courses")[0].folder for year_key in YEARS]
    for folder in folders:
        chosen = rubric.load(None, "assignment2") if folder.is_relative_to(tmp_path / "submissions") else rubric.load()
        in_one = grade(folder, chosen, timeout=1, memory_mb=512)
        with monkeypatch.context() as patch:
            patch.setattr(SandboxedLearner, "chain", Learner.chain)  # the calls one by one
            patch.setattr(SandboxedLearner, "ahead", _nothing_ahead)
            one_by_one = grade(folder, chosen, timeout=1, memory_mb=512)
        for result in (in_one, one_by_one):
            result.pop("execution_time")
        assert json.dumps(in_one, sort_keys=True) == json.dumps(one_by_one, sort_keys=True), folder
