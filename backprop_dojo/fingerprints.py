"""Likely causes: when a wrong answer has a known fingerprint, the failure names it.

Generic fingerprints read the wrong tensor against the right one (a constant factor, the
opposite sign, a transpose, all zeros). A spec's variants are torch oracles of known wrong
answers (batchnorm's gradient without the term through the mean); when the learner's
tensor equals a variant's on the same inputs, that variant names the cause.
"""

from __future__ import annotations

import numpy as np
import torch

from .compare import ATOL, RTOL

NAMED_FACTORS = {2.0: "exactly 2x too large", 0.5: "exactly half the right value", -1.0: "the right value with the opposite sign"}


def _same(expected: np.ndarray, got: np.ndarray) -> bool:
    return got.shape == expected.shape and bool(
        np.all(np.abs(got - expected) <= RTOL * np.abs(expected).max(initial=0.0) + ATOL)
    )


def generic(expected, got) -> str | None:
    """A cause read off the two tensors alone, if one fits: all zeros, a transpose, or a
    constant factor (claimed only with at least three nonzero values to go by)."""
    expected, got = np.asarray(expected, dtype=float), np.asarray(got)
    if got.dtype.kind not in "fiu" or got.shape != expected.shape or not np.isfinite(got).all():
        return None
    if not got.any() and expected.any():
        return "it is all zeros"
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] and _same(expected.T, got):
        return "it is the transpose of the right answer"
    norm = float(np.vdot(expected, expected))
    if np.count_nonzero(np.abs(expected) > ATOL) < 3:  # too few values to tell a factor from chance
        return None
    factor = float(np.vdot(expected, got)) / norm
    if not _same(factor * expected, got):
        return None
    for named, words in NAMED_FACTORS.items():
        if abs(factor - named) < 1e-6 * abs(named):
            return f"it is {words}"
    return f"it is exactly {factor:.6g} times the right value: a missing or extra factor (1/N, 2, a batch size?)"


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


def detached_mean_batchnorm(x, gamma, beta, bn_param):
    """batchnorm's train-mode output, but with the batch mean treated as a constant."""
    axes = [0] if x.dim() == 2 else [0, 2, 3]
    shape = [1, -1] + [1] * (x.dim() - 2)
    mean = x.mean(axes).detach()
    var = ((x - mean.reshape(shape)) ** 2).mean(axes)
    x_hat = (x - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + bn_param.get("eps", 1e-5))
    return gamma.reshape(shape) * x_hat + beta.reshape(shape)


def detached_var_batchnorm(x, gamma, beta, bn_param):
    """batchnorm's train-mode output, but with the batch variance treated as a constant."""
    axes = [0] if x.dim() == 2 else [0, 2, 3]
    shape = [1, -1] + [1] * (x.dim() - 2)
    mean = x.mean(axes)
    var = ((x - mean.reshape(shape)) ** 2).mean(axes).detach()
    x_hat = (x - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + bn_param.get("eps", 1e-5))
    return gamma.reshape(shape) * x_hat + beta.reshape(shape)


BATCHNORM = (
    ("your dx equals the batchnorm gradient without the term through the mean", detached_mean_batchnorm),
    ("your dx equals the batchnorm gradient without the term through the variance", detached_var_batchnorm),
)
