"""Acceptance at non-differentiable points: a learner's gradient is right there when it is a
valid subgradient, whatever torch's own convention at the kink.

Each rule takes torch's gradient and the learner's and returns the valid subgradient nearest
to the learner's: the learner's own value where it is valid, torch's away from the kinks.
The comparison then runs against that, so a valid choice passes and an invalid one (dout
sent to every tied maximum, say) is reported against the nearest valid answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Kinks:
    rule: str  # what a valid subgradient is here, repeated on failure
    # (case with the upstream gradients, gradient name, torch's gradient, learner's) -> nearest valid
    nearest: Callable[[dict, str, np.ndarray, np.ndarray], np.ndarray]


def _between_slopes(case, name, expected, got):
    """An elementwise kink at x == 0 with slopes alpha (0 for relu) and 1: any dx between
    alpha * dout and dout is valid there."""
    dout, alpha = case["dout"], case.get("alpha", 0.0)
    bounds = np.minimum(alpha * dout, dout), np.maximum(alpha * dout, dout)
    return np.where(case["x"] == 0, np.clip(got, *bounds), expected)


RELU = Kinks("at x == 0 any dx between 0 and dout is a valid subgradient", _between_slopes)
LEAKY_RELU = Kinks("at x == 0 any dx between alpha * dout and dout is a valid subgradient", _between_slopes)


def _onto_simplex(v: np.ndarray) -> np.ndarray:
    """The point of {w >= 0, sum(w) = 1} nearest to v (Euclidean projection, by sorting)."""
    u = np.sort(v)[::-1]
    cumulative = np.cumsum(u) - 1
    k = np.nonzero(u - cumulative / np.arange(1, len(u) + 1) > 0)[0][-1]
    return np.maximum(v - cumulative[k] / (k + 1), 0)


def _max_pool_nearest(case, name, expected, got):
    """A window whose maximum is tied may send its dout to the tied elements in any split
    that sums to dout. Windows that overlap share elements, so ties are only drawn for
    windows that do not; there torch's gradient stands."""
    x, dout, param = case["x"], case["dout"], case["pool_param"]
    ph, pw, stride = param["pool_height"], param["pool_width"], param["stride"]
    if stride < ph or stride < pw:
        return expected
    nearest = expected.copy()
    for n, c, i, j in np.ndindex(dout.shape):
        rows, cols = slice(i * stride, i * stride + ph), slice(j * stride, j * stride + pw)
        window = x[n, c, rows, cols]
        tied = window == window.max()
        if tied.sum() < 2:
            continue
        share = got[n, c, rows, cols][tied] / dout[n, c, i, j] if dout[n, c, i, j] else np.zeros(tied.sum())
        valid = nearest[n, c, rows, cols]
        valid[tied] = dout[n, c, i, j] * _onto_simplex(share)
        nearest[n, c, rows, cols] = valid
    return nearest


MAX_POOL = Kinks(
    "where a window's maximum is tied, any split of its dout among the tied elements is valid "
    "(all to one of them, or shared), but not dout to each of them",
    _max_pool_nearest,
)


def _svm_nearest(case, name, expected, got):
    """A margin of exactly 0 may count as active or not, or anything between: its score's
    gradient lies in [0, 1/N], and the correct class's is minus the row's sum."""
    x, y = case["x"], case["y"]
    rows = np.arange(len(x))
    margins = x - x[rows, y][:, None] + 1
    margins[rows, y] = -1  # the correct class has no margin
    nearest = np.where(margins == 0, np.clip(got, 0, 1 / len(x)), expected)
    nearest[rows, y] = 0
    nearest[rows, y] = -nearest.sum(axis=1)
    return nearest


SVM = Kinks(
    "a margin of exactly 0 may count as active or inactive: its score's gradient lies between 0 and 1/N",
    _svm_nearest,
)
