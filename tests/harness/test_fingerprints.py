"""A wrong answer with a known fingerprint names its likely cause: the catalogued bugs that
have one are named, in the failure's own words."""

import dataclasses
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import strategies as st

from backprop_dojo import fingerprints
from backprop_dojo.compare import Mismatch
from backprop_dojo.exercises import EXERCISES
from backprop_dojo.verdict import run
from tests.bugs import BUGS, Bug

KNN = "reference.classifiers.k_nearest_neighbor"

NAMED = {
    ("batchnorm_backward", "forgets the term through the mean"): "without the term through the mean",
    ("batchnorm_backward_alt", "forgets the term through the mean"): "without the term through the mean",
    ("batchnorm_backward", "forgets the term through the variance"): "without the term through the variance",
    ("rnn_step_backward", "dWh transposed"): "the transpose of the right answer",
    ("attention_backward", "forgets the scale in dq"): "times the right value: did you forget to divide by sqrt(d), the scale of the scores?",
    ("softmax_loss", "does not average dx"): "times the right value: did you forget to divide by N, the batch size?",
    ("affine_backward", "averages db over the batch"): "of the right value: did you divide by N, the batch size, where",
    ("svm_loss_naive", "regularisation gradient off by 2"): "the regularisation term of your dW is off by a factor of 2",
}


@pytest.mark.parametrize("exercise, mistake", NAMED, ids=lambda part: part if isinstance(part, str) else None)
def test_a_known_mistake_is_named(exercise, mistake):
    (bug,) = [bug for bug in BUGS if (bug.exercise, bug.mistake) == (exercise, mistake)]
    messages = [o.message for o in run(EXERCISES[exercise], bug.learner()).values() if o.status == "failed"]
    (cause,) = [line for line in messages[0].splitlines() if line.strip().startswith("likely cause:")]
    assert NAMED[exercise, mistake] in cause


def test_every_gradient_of_a_backward_gets_a_line():
    (bug,) = [bug for bug in BUGS if bug.mistake == "averages db over the batch"]
    (message,) = [o.message for o in run(EXERCISES["affine_backward"], bug.learner()).values()]
    lines = message.split("every gradient:\n")[1].splitlines()
    assert [line.split()[0] for line in lines[:3]] == ["dx", "dw", "db"]
    statuses = [re.search(r" (match|close|wrong)\b", line)[1] for line in lines[:3]]
    assert statuses[2] == "wrong" and set(statuses[:2]) <= {"match", "close"}  # exact or within rounding


def _on(name: str, case: dict):
    """The exercise `name` checked on this one case only."""
    exercise = EXERCISES[name]
    return dataclasses.replace(exercise, spec=dataclasses.replace(exercise.spec, cases=st.just(case), backward_cases=None))


def _failure(exercise, learner, check: str) -> str:
    outcome = run(exercise, learner)[check]
    assert outcome.status == "failed", outcome
    return outcome.message


def _causes(message: str) -> list[str]:
    return [line.strip() for line in message.splitlines() if line.strip().startswith("likely cause:")]


def _bug(mistake: str) -> Bug:
    (bug,) = [bug for bug in BUGS if bug.mistake == mistake]
    return bug


@pytest.mark.parametrize("edit", [
    "x_hat = (x - running_mean) / (np.sqrt(running_var) + eps)",
    "x_hat = (x - running_mean) / np.sqrt(running_var) + eps",
])
def test_a_factor_that_means_nothing_is_not_named(edit):
    """eps misplaced in test mode: on a batch far from its running mean the output is
    0.999996 (or 1.000003) times the right one, within rounding. No size of the case, no p,
    no 2 explains that factor, so no factor is named."""
    bug = Bug("batchnorm_forward", "eps outside the sqrt in test mode",
              "x_hat = (x - running_mean) / np.sqrt(running_var + eps)", edit)
    rng = np.random.default_rng(0)
    param = {"mode": "test", "eps": 1e-5, "running_mean": np.array([0.5]), "running_var": np.array([1.5])}
    case = {"x": rng.standard_normal((5, 1)) - 1e3, "gamma": np.array([1.2]), "beta": np.array([0.3]), "bn_param": param}
    learner = bug.learner()
    got = learner.call("batchnorm_forward", {**case, "bn_param": dict(param)}, ("out", "cache"))["out"]
    t = {key: torch.tensor(case[key]) for key in ("x", "gamma", "beta")}
    running = [torch.tensor(param[key]) for key in ("running_mean", "running_var")]
    expected = F.batch_norm(t["x"], *running, t["gamma"], t["beta"], eps=1e-5).numpy()
    factor = got.sum() / expected.sum()
    assert abs(factor - 1) > 1e-6 and np.abs(got - factor * expected).max() < 1e-7 * np.abs(expected).max()  # a factor
    message = _failure(_on("batchnorm_forward", case), learner, "forward")
    assert "out is wrong" in message and _causes(message) == []


def test_a_missing_division_by_a_batch_of_two_names_n_not_2():
    """Shrinking takes a forgotten 1/N to N = 2, where the factor is 2 as well: N is named."""
    rng = np.random.default_rng(0)
    case = {"x": rng.standard_normal((2, 4)), "y": np.array([1, 3])}
    message = _failure(_on("softmax_loss", case), _bug("does not average dx").learner(), "backward")
    assert _causes(message) == [
        "likely cause: it is exactly N = 2 times the right value: did you forget to divide by N, the batch size?"
    ]


def test_a_factor_of_2_is_named_as_n_only_when_n_is_2():
    expected = np.random.default_rng(0).standard_normal((3, 4))
    assert fingerprints.generic(expected, 2 * expected, {"x": expected}) == "it is exactly 2x too large"
    assert fingerprints.generic(expected[:2], 2 * expected[:2], {"x": expected[:2]}).startswith("it is exactly N = 2 ")
    assert fingerprints.generic(expected, 3 * expected, {"x": expected}) == (
        "it is exactly N = 3 times the right value: did you forget to divide by N, the batch size?"
    )
    assert fingerprints.generic(expected, 3 * expected, {"x": expected[:2]}) is None  # 3 is nothing of this case
    assert fingerprints.generic(expected, 1.000003 * expected, {"x": expected}) is None


def test_the_log_of_an_underflowed_probability_gets_the_log_remedy():
    """log(softmax) instead of the log-sum-exp form: a probability that underflows to 0 makes
    the loss inf. The remedy is the log's, not the exp's (no exp overflowed)."""
    bug = Bug("softmax_loss", "takes the log of the probabilities",
              "log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))",
              "log_probs = np.log(np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True))")
    with pytest.raises(Mismatch) as failure:
        bug.learner().call("softmax_loss", {"x": np.array([[0.0, -800.0, 1.0]]), "y": np.array([1])}, ("loss", "dx"))
    message = str(failure.value)
    assert '"divide by zero encountered in log"' in message
    assert _causes(message) == ["likely cause: " + fingerprints.NON_FINITE_REMEDIES["divide by zero", "log"]]


UNCLIPPED = [
    Bug("KNearestNeighbor.compute_distances_two_loops", "expands the square, unclipped",
        "dists[i, j] = np.sqrt(np.sum(diff**2))",
        "dists[i, j] = np.sqrt(np.sum(X[i] ** 2) + np.sum(self.X_train[j] ** 2) - 2 * X[i] @ self.X_train[j])", KNN),
    Bug("KNearestNeighbor.compute_distances_one_loop", "expands the square, unclipped",
        "dists[i, :] = np.sqrt(np.sum(diff**2, axis=1))",
        "dists[i, :] = np.sqrt(np.sum(X[i] ** 2) + np.sum(self.X_train**2, axis=1) - 2 * self.X_train @ X[i])", KNN),
    _bug("does not clip: a zero distance can round negative, and its sqrt is NaN"),
]


@pytest.mark.parametrize("bug", UNCLIPPED, ids=lambda bug: bug.exercise)
def test_an_unclipped_sqrt_of_a_duplicate_point_gets_the_sqrt_remedy(bug):
    """Each of 60 test points is a training point moved by 1e-9: |a|^2 + |b|^2 - 2ab rounds
    below 0 for some pairs (an exact copy may round to exactly 0, depending on numpy's
    summation), so some distance is the NaN of a negative's sqrt."""
    rng = np.random.default_rng(0)
    X_train = rng.standard_normal((60, 6)) + 5.0
    X = X_train + 1e-9 * rng.standard_normal(X_train.shape)
    expanded = [np.sum(X[i] ** 2) + np.sum(X_train[i] ** 2) - 2 * X[i] @ X_train[i] for i in range(60)]
    assert min(expanded) < 0, "the case no longer makes a squared distance round negative"
    case = {"X": X, "X_train": X_train, "y_train": np.zeros(60, dtype=int)}
    message = _failure(_on(bug.exercise, case), bug.learner(), "forward")
    assert '"invalid value encountered in sqrt"' in message
    assert _causes(message) == ["likely cause: " + fingerprints.NON_FINITE_REMEDIES["invalid value", "sqrt"]]


def test_a_mask_shared_by_the_batch_is_named_before_the_keep_rate():
    """A mask of shape x.shape[1:] on x of shape (60, 1): one unit, kept or dropped for all
    60 samples, so the kept fraction (0 or 1) is also far from p. The shared mask is the cause."""
    case = {"x": np.random.default_rng(0).standard_normal((60, 1)), "dropout_param": {"p": 0.5, "mode": "train"}}
    learner = _bug("one mask shared by every sample of the batch").learner()
    out = learner.call("dropout_forward", {**case, "dropout_param": dict(case["dropout_param"])}, ("out", "cache"))["out"]
    assert np.count_nonzero(out) in (0, 60)  # 30 ± 23 would pass the keep rate
    exercise = EXERCISES["dropout_forward"]
    random = dataclasses.replace(exercise.spec.random, cases=st.just(case))
    message = _failure(dataclasses.replace(exercise, spec=dataclasses.replace(exercise.spec, random=random)), learner,
                       "randomness")
    assert message.splitlines()[0] == (
        "Mismatch: dropout_forward: the same mask for every sample in the batch; draw one per unit, of x's shape"
    )
