"""Acceptance at non-differentiable points: a learner's gradient is right there when it is a
valid subgradient, whatever torch's own convention at the kink.

The rules that serve several exercises live here, named for what they accept; an
exercise's own rule lives with its spec. Each rule takes torch's gradient and the learner's
and returns the valid subgradient nearest to the learner's: the learner's own value where
it is valid, torch's away from the kinks.
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


def between_slopes(low: str) -> Kinks:
    """An elementwise kink at x == 0 between slopes `low` (the case's alpha, 0 without one)
    and 1: any dx between alpha * dout and dout is valid there. `low` says it in the rule."""
    return Kinks(f"at x == 0 any dx between {low} and dout is a valid subgradient", _between_slopes)


def _between_slopes(case, name, expected, got):
    dout, alpha = case["dout"], case.get("alpha", 0.0)
    bounds = np.minimum(alpha * dout, dout), np.maximum(alpha * dout, dout)
    return np.where(case["x"] == 0, np.clip(got, *bounds), expected)


def onto_simplex(v: np.ndarray) -> np.ndarray:
    """The point of {w >= 0, sum(w) = 1} nearest to v (Euclidean projection, by sorting)."""
    u = np.sort(v)[::-1]
    cumulative = np.cumsum(u) - 1
    k = np.nonzero(u - cumulative / np.arange(1, len(u) + 1) > 0)[0][-1]
    return np.maximum(v - cumulative[k] / (k + 1), 0)
