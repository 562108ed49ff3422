"""The strategies reach the edge cases where a verdict is hardest: Hypothesis finds each one
among the cases an exercise draws (and shrinks a failure to it when it matters). At the
kinks among them, other valid subgradients than torch's pass, by the specs' kink rules."""

import dataclasses
import importlib

import numpy as np
import pytest
from hypothesis import HealthCheck, find, settings

from backprop_dojo.exercises import EXERCISES
from backprop_dojo.learner import Learner, index
from backprop_dojo.verdict import run
from tests.bugs import BUGS


def _margins(case):
    x, y = case["x"], case["y"]
    margins = x - x[np.arange(len(x)), y][:, None] + 1
    margins[np.arange(len(x)), y] = -1
    return margins


def _tied_window(case):
    x, p = case["x"], case["pool_param"]
    ph, pw, s = p["pool_height"], p["pool_width"], p["stride"]
    windows = [x[:, :, i:i + ph, j:j + pw] for i in range(0, x.shape[2] - ph + 1, s) for j in range(0, x.shape[3] - pw + 1, s)]
    return any(((w == w.max(axis=(2, 3), keepdims=True)).sum(axis=(2, 3)) > 1).any() for w in windows)


def _label_tie(case):
    nearest = np.argsort(case["dists"], axis=1, kind="stable")[:, :case["k"]]
    counts = [np.bincount(case["y_train"][row]) for row in nearest]
    return any((c == c.max()).sum() > 1 for c in counts)


EDGES = {
    "relu_forward": {"inputs exactly 0": lambda c: (c["x"] == 0).any()},
    "svm_loss": {
        "a margin of exactly 0": lambda c: (_margins(c) == 0).any(),
        "tied scores of two classes": lambda c: any(len(set(row)) < len(row) for row in c["x"]),
        "every margin inactive": lambda c: (_margins(c) < 0).all(),
    },
    "softmax_loss": {"logits of magnitude 1e3 and more": lambda c: np.abs(c["x"]).min() >= 900},
    "max_pool_forward_naive": {
        "tied maxima in a window": _tied_window,
        "overlapping windows": lambda c: c["pool_param"]["stride"] < c["pool_param"]["pool_height"],
    },
    "conv_forward_naive": {
        "a 1x1 kernel": lambda c: c["w"].shape[2:] == (1, 1),
        "a kernel the size of the padded input": lambda c: c["w"].shape[2] == c["x"].shape[2] + 2 * c["conv_param"]["pad"],
        "a stride larger than the kernel": lambda c: c["conv_param"]["stride"] > c["w"].shape[2],
        "N = 1 and C = 1": lambda c: c["x"].shape[:2] == (1, 1),
    },
    "batchnorm_forward": {
        "a constant column": lambda c: (np.ptp(c["x"], axis=0) == 0).any(),
        "a variance below eps": lambda c: (0 < c["x"].var(axis=0)).any() and (c["x"].var(axis=0) < c["bn_param"]["eps"]).any(),
        "N = 2": lambda c: len(c["x"]) == 2,
        "a huge offset": lambda c: np.abs(c["x"].mean()) > 100,
    },
    "layernorm_forward": {"a constant row": lambda c: (np.ptp(c["x"], axis=1) == 0).any()},
    "dropout_forward": {
        "p near 0 on a few units (every unit dropped)": lambda c: c["dropout_param"]["p"] <= 0.01 and c["x"].size <= 4,
        "p near 1 on a few units (every unit kept)": lambda c: c["dropout_param"]["p"] >= 0.99 and c["x"].size <= 4,
    },
    "word_embedding_forward": {"repeated indices": lambda c: len(np.unique(c["x"])) < c["x"].size},
    "KNearestNeighbor.compute_distances_no_loops": {
        "a test point equal to a training point": lambda c: (c["X"][:, None] == c["X_train"][None]).all(axis=2).any()
    },
    "KNearestNeighbor.predict_labels": {"a tie between labels among the k nearest": _label_tie},
}


@pytest.mark.parametrize(
    "exercise, edge",
    [pytest.param(exercise, edge, id=f"{exercise}: {edge}") for exercise, edges in EDGES.items() for edge in edges],
)
def test_the_cases_reach(exercise, edge):
    find(
        EXERCISES[exercise].spec.cases,
        EDGES[exercise][edge],
        settings=settings(max_examples=2000, database=None, derandomize=True, suppress_health_check=list(HealthCheck)),
    )


@pytest.mark.parametrize(
    "module, exercise",
    [("kinks", "relu_backward"), ("kinks", "leaky_relu_backward"), ("kinks", "max_pool_backward_naive"),
     ("kinks", "svm_loss"), ("loops", "relu_backward"), ("loops", "max_pool_backward_naive")],
)
def test_the_kink_rules_are_what_lets_other_valid_choices_pass(module, exercise):
    """Without its kink rule the exercise fails a correct answer that chooses another
    subgradient than torch: the draws do reach the kinks, and the rule is what accepts them."""
    learner = Learner(origin=module)
    index([importlib.import_module(f"tests.alternatives.{module}")], learner.functions)
    spec = EXERCISES[exercise]
    without_rule = dataclasses.replace(spec, spec=dataclasses.replace(spec.spec, kinks=None))
    assert {outcome.status for outcome in run(spec, learner).values()} == {"passed"}
    assert "failed" in {outcome.status for outcome in run(without_rule, learner).values()}


@pytest.mark.parametrize(
    "mistake, says",
    [
        ("an unstable softmax: no shift by the row's maximum", "exp overflows"),
        ("one mask shared by every sample of the batch", "the same mask for every sample in the batch"),
        ("sends dout to every tied maximum", "any split of its dout among the tied elements"),
        ("does not clip: a zero distance can round negative, and its sqrt is NaN", "invalid value encountered in sqrt"),
    ],
)
def test_the_failure_at_an_edge_says_what_happened(mistake, says):
    (bug,) = [bug for bug in BUGS if bug.mistake == mistake]
    messages = [outcome.message for outcome in run(EXERCISES[bug.exercise], bug.learner()).values()]
    assert any(says in message for message in messages), messages
