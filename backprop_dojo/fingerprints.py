"""Likely causes: when a wrong answer has a known fingerprint, the failure names it.

Generic fingerprints read the wrong tensor against the right one and the drawn case (a
transpose, all zeros, a constant factor the case explains: N, 1/N, the dropout p, 2, the
opposite sign; any other factor names nothing). A spec's variants, declared with the spec,
are torch oracles of known wrong answers (batchnorm's gradient without the term through the
mean); when the learner's tensor equals a variant's on the same inputs, that variant names
the cause. A non-finite
output is explained by numpy's warning, each with its own remedy.
"""

from __future__ import annotations

import re

import numpy as np

from .compare import ATOL, RTOL

# Factors that are mistakes in any exercise; those a case explains (N, C...) come first.
NAMED_FACTORS = {2.0: "exactly 2x too large", 0.5: "exactly half the right value", -1.0: "the right value with the opposite sign"}


def _same(expected: np.ndarray, got: np.ndarray) -> bool:
    return got.shape == expected.shape and bool(
        np.all(np.abs(got - expected) <= RTOL * np.abs(expected).max(initial=0.0) + ATOL)
    )


def generic(expected, got, case: dict) -> str | None:
    """A cause read off the two tensors and the drawn case, if one fits: all zeros, a
    transpose, or a constant factor that means something (a size of the case such as N, the
    dropout probability, 2, -1), claimed only with at least three nonzero values to go by."""
    expected, got = np.asarray(expected, dtype=float), np.asarray(got)
    if got.dtype.kind not in "fiu" or got.shape != expected.shape or not np.isfinite(got).all():
        return None
    if not got.any() and expected.any():
        return "it is all zeros"
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] and _same(expected.T, got):
        return "it is the transpose of the right answer"
    if np.count_nonzero(np.abs(expected) > ATOL) < 3:  # too few values to tell a factor from chance
        return None
    factor = float(np.vdot(expected, got)) / float(np.vdot(expected, expected))
    if not _same(factor * expected, got):
        return None
    for value, words in _meaningful_factors(case):
        if abs(factor - value) < 1e-6 * abs(value):
            return f"it is {words}"
    return None  # a factor such as 0.999996 is a symptom of something else (eps misplaced), not a cause


def _meaningful_factors(case: dict) -> list[tuple[float, str]]:
    """(factor, what it says) for every factor the case explains, then the named ones."""
    found = []
    for symbol, size, meaning in _sizes(case):
        found.append((size, f"exactly {symbol} = {size:.6g} times the right value: "
                            f"did you forget to divide by {symbol}, {meaning}?"))
        found.append((1 / size, f"exactly 1/{symbol} = 1/{size:.6g} of the right value: "
                                f"did you divide by {symbol}, {meaning}, where no division belongs (a mean instead of a sum?)"))
    p = case.get("dropout_param", {}).get("p")
    if p:
        found.append((p, f"exactly p = {p:.4g} times the right value: did you forget to divide by p?"))
        found.append((1 / p, f"exactly 1/p = {1 / p:.4g} times the right value: did you divide by p twice?"))
    return found + list(NAMED_FACTORS.items())


def _sizes(case: dict) -> list[tuple[str, float, str]]:
    """The sizes of a case in CS231n's names, with what they count: of x (or X) of shape
    (N, D), (N, T, D) or scores (N, C) with labels y, and attention's sqrt(d) for queries q of
    shape (N, S, d). A size of 1 is no factor."""
    sizes = []
    x = next((case[k] for k in ("x", "X") if isinstance(case.get(k), np.ndarray) and case[k].ndim >= 2), None)
    if x is not None:
        sizes.append(("N", x.shape[0], "the batch size"))
        if x.ndim == 3:
            sizes.append(("T", x.shape[1], "the number of time steps"))
        if "y" in case and x.ndim == 2:  # scores of C classes, or data X for weights W of shape (D, C)
            sizes.append(("C", case["W"].shape[1] if "W" in case else x.shape[1], "the number of classes"))
        if x.ndim == 2 and ("W" in case or "y" not in case):
            sizes.append(("D", x.shape[1], "the number of features"))
    if isinstance(case.get("q"), np.ndarray):
        sizes.append(("sqrt(d)", np.sqrt(case["q"].shape[-1]), "the scale of the scores"))
    return [(symbol, float(size), meaning) for symbol, size, meaning in sizes if size > 1]


# numpy's RuntimeWarning (what went wrong, in which operation) -> what it means and the remedy
NON_FINITE_REMEDIES = {
    ("overflow", "exp"): "exp overflows to inf above about 709: shift its inputs first, e.g. subtract each row's "
                         "maximum (the softmax does not change)",
    ("divide by zero", "log"): "log(0) is -inf: a probability underflowed to 0 (exp below about -745); compute the "
                               "log-softmax as the shifted scores minus their log-sum-exp, or clip before the log",
    ("invalid value", "log"): "the log of a negative number is NaN: its argument should be a probability; compute the "
                              "log-softmax as the shifted scores minus their log-sum-exp, or clip before the log",
    ("invalid value", "sqrt"): "the sqrt of a negative number is NaN: a square that rounds below 0, such as the "
                               "squared distance |a|^2 + |b|^2 - 2ab of duplicate or near-identical points; clip "
                               "it at 0 before the sqrt, np.maximum(d2, 0)",
    ("divide by zero", "divide"): "a division by zero: the divisor at that line is exactly 0 for some element "
                                  "(a standard deviation without eps, a count or a sum that is 0?)",
    ("invalid value", "divide"): "0/0 or inf/inf at that line: e.g. exps that all overflowed or underflowed "
                                 "(shift by the row maximum), or a deviation of 0 over a standard deviation without eps",
}
_WARNING = re.compile(r"(overflow|divide by zero|invalid value) encountered in (?:scalar )?(?:true_)?(\w+)")


def non_finite_remedies(warned) -> list[str]:
    """The remedy of each numpy warning (its text, e.g. '"overflow encountered in exp" at
    layers.py:12') that has one, once each, in the order warned."""
    found = (_WARNING.search(said) for said in warned)
    keys = dict.fromkeys(match.groups() for match in found if match)
    return [NON_FINITE_REMEDIES[key] for key in keys if key in NON_FINITE_REMEDIES]


def from_variants(variants, got, gradient) -> str | None:
    """The cause of the first variant whose answer the learner's tensor equals.
    `gradient(oracle)` is the tensor a variant oracle gives on the same inputs."""
    if not isinstance(got, np.ndarray):
        return None
    for cause, oracle in variants:
        try:
            wrong = gradient(oracle)
        except (RuntimeError, ValueError):  # a variant that does not apply to this case
            continue
        if _same(wrong, got):
            return cause
    return None
