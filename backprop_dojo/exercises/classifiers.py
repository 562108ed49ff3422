"""Specs of the assignment-1 classifiers: k-nearest-neighbour distances and votes, and the
linear SVM and softmax losses, each with a torch oracle of its own."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import strategies as st

from ..compare import assert_close
from ..specs import Owner, Spec
from ..strategies import generators, labels, normal, scales

KNN = Owner("KNearestNeighbor", setup="train", args=("X_train", "y_train"))
KNN_METHODS = ("two_loops", "one_loop", "no_loops")  # compute_distances_<method>, in the course's order


@st.composite
def distance_cases(draw):
    """Test points, some of them copies of training points: a distance of exactly zero. In
    half the cases every test point is a copy or a near copy (1e-9 away), so that an
    expanded square rounding below zero (a NaN from an unclipped sqrt) shows in every run."""
    rng, scale = draw(generators), draw(scales)
    dims, n_train, n_test = draw(st.integers(1, 6)), draw(st.integers(1, 8)), draw(st.integers(1, 6))
    offset = draw(st.sampled_from([0.0, 5.0]))
    X_train = normal(rng, n_train, dims, scale=scale) + offset
    X = normal(rng, n_test, dims, scale=scale) + offset
    if draw(st.booleans()):
        near = draw(st.sampled_from([0.0, 1e-9])) * scale
        X = X_train[rng.integers(0, n_train, 2 * n_test)] + near * normal(rng, 2 * n_test, dims)
    else:
        copies = draw(st.integers(0, min(n_test, n_train)))
        X[:copies] = X_train[rng.choice(n_train, copies, replace=False)]
    return {"X": X, "X_train": X_train, "y_train": labels(rng, n_train, 3)}


def distances_close(expected, got, case, *, exercise, output):
    """The expanded square |x|^2 + |y|^2 - 2 x.y loses about sqrt(rounding * |x|^2) near a
    distance of zero, so the absolute tolerance grows with the points' norms."""
    __tracebackhide__ = True
    norms = max(np.sum(case["X"] ** 2, axis=1).max(), np.sum(case["X_train"] ** 2, axis=1).max())
    assert_close(expected, got, exercise=exercise, output=output, atol=math.sqrt(1e-11 * 2 * norms))


@st.composite
def vote_cases(draw):
    """Distances to training points of few classes, so that votes often tie."""
    rng = draw(generators)
    n_train, n_test = draw(st.integers(1, 8)), draw(st.integers(1, 5))
    return {
        "dists": rng.uniform(0, 10, (n_test, n_train)),
        "k": draw(st.integers(1, n_train)),
        "X_train": normal(rng, n_train, 2),
        "y_train": labels(rng, n_train, draw(st.integers(1, 4))),
    }


def vote_oracle(dists, k, X_train, y_train):
    """The most common label among the k nearest; a tie goes to the smaller label
    (argmax returns the first maximum)."""
    nearest = torch.argsort(dists, dim=1, stable=True)[:, :k]
    counts = F.one_hot(y_train[nearest], int(y_train.max()) + 1).sum(dim=1)
    return counts.argmax(dim=1).double()


def labels_equal(expected, got, case, *, exercise, output):
    """Labels may come in any integer or float dtype (the starter code makes floats)."""
    __tracebackhide__ = True
    if isinstance(got, np.ndarray) and got.dtype.kind in "iuf":
        got = got.astype(np.float64)
    assert_close(expected, got, exercise=exercise, output=output)


@st.composite
def linear_cases(draw):
    rng = draw(generators)
    n, dims, classes = draw(st.integers(1, 6)), draw(st.integers(1, 6)), draw(st.integers(2, 5))
    return {
        "W": normal(rng, dims, classes, scale=0.5),
        "X": normal(rng, n, dims, scale=draw(scales)),
        "y": labels(rng, n, classes),
        "reg": draw(st.sampled_from([0.1, 2.5, 0.0])),
    }


def regularisation(W, reg, convention):
    factor = 1.0 if convention == "full" else 0.5
    return factor * reg * (W * W).sum()


def with_the_other_regularisation(oracle):
    """A linear loss's oracle with the other convention's factor in front of the regulariser:
    its dW has reg * W where 2 * reg * W belongs, or the reverse."""

    def wrong(W, X, y, reg, convention):
        return oracle(W, X, y, reg, "half" if convention == "full" else "full")

    return ((REG_GRADIENT_OFF, wrong),)


REG_GRADIENT_OFF = (
    "the regularisation term of your dW is off by a factor of 2: "
    "the gradient of reg * sum(W * W) is 2 * reg * W, that of 0.5 * reg * sum(W * W) is reg * W"
)


def svm_oracle(W, X, y, reg, convention):
    scores = X @ W
    # multi_margin_loss divides by the number of classes; CS231n's hinge does not.
    return F.multi_margin_loss(scores, y) * scores.shape[1] + regularisation(W, reg, convention)


def softmax_oracle(W, X, y, reg, convention):
    return F.cross_entropy(X @ W, y) + regularisation(W, reg, convention)


SPECS = [
    *(
        Spec(
            forward=f"KNearestNeighbor.compute_distances_{loops}",
            signature=("X",),
            cases=distance_cases(),
            oracle=lambda X, X_train, y_train: torch.cdist(
                X, X_train, compute_mode="donot_use_mm_for_euclid_dist"
            ),
            outputs=("dists",),
            cache=False,
            owner=KNN,
            loops=0 if loops == "no_loops" else None,
            compare=distances_close,
            conventions=("L2 distances with the square root, of shape (num_test, num_train)",),
        )
        for loops in KNN_METHODS
    ),
    Spec(
        forward="KNearestNeighbor.predict_labels",
        signature=("dists", "k"),
        cases=vote_cases(),
        oracle=vote_oracle,
        outputs=("y_pred",),
        cache=False,
        owner=KNN,
        compare=labels_equal,
        conventions=("a tie between labels goes to the smaller label",),
    ),
    *(
        Spec(
            forward=name,
            signature=("W", "X", "y", "reg"),
            cases=linear_cases(),
            oracle=oracle,
            grads=("W",),
            loss=True,
            course_convention="linear-reg",
            conventions=(margin, "the data loss is averaged over the N samples"),
            variants=with_the_other_regularisation(oracle),
        )
        for names, oracle, margin in (
            (("svm_loss_naive", "svm_loss_vectorized"), svm_oracle, "margin 1, the correct class excluded"),
            (("softmax_loss_naive", "softmax_loss_vectorized"), softmax_oracle, "softmax cross-entropy"),
        )
        for name in names
    ),
]
