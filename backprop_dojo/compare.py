"""Comparing a learner's tensor with torch's, and the failure message when they differ.

Tolerance policy: an element passes when
    |got - expected| <= RTOL * max|expected| + ATOL
i.e. the allowed error scales with the size of the whole expected tensor, not with each
element. The gradients one call returns share one scale, the largest of them: rounding in
one gradient comes from terms the size of the others (a bias before batchnorm has a
gradient of exactly 0 that torch computes as 1e-12; layernorm's dx over two features is
a residue of cancelling terms). Float64 rounding in algebraically equal formulas stays near
1e-13 of that scale; real bugs (eps outside the sqrt, unbiased variance, a missing term)
are 1e-6 or larger.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import torch

RTOL = 1e-7
ATOL = 1e-12


class LooseForm(UserWarning):
    """A right answer in a form the course does not ask for: an input changed in place, or
    a (1, D) array where the docstring says (D,). It passes with this warning; under
    --strict-forms (pytest) or `strict = true` (a rubric) it fails."""


class Mismatch(AssertionError):
    """The learner's answer is wrong: a value, which str() renders the one way every edge
    shows it (terminal, notebook, HTML report, results.json). The check that finds it
    fills in what it knows:
    - `message`: what is wrong, where and by how much (its first line names the exercise
      and the output);
    - `cause`: the likely cause, when one is known;
    - `rows`: a line per output of the call (every gradient), when there are several;
    - `notes`: what the answer was compared with (an update rule's valid forms);
    - `conventions`: the conventions the exercise relies on;
    - `tensors`: (output, expected, got) of each wrong tensor of the right shape, for pictures.
    """

    def __init__(self, message: str, tensors: tuple = ()) -> None:
        super().__init__(message)
        self.message, self.tensors = message, list(tensors)
        self.cause: str | None = None
        self.rows: list[str] = []
        self.notes: list[str] = []
        self.conventions: list[str] = []

    def __str__(self) -> str:
        lines = [self.message]
        if self.cause:
            lines.append(f"  likely cause: {self.cause}")
        if self.rows:
            lines += ["  every gradient:", *self.rows]
        lines += [f"  {note}" for note in self.notes]
        if self.conventions:
            lines.append("  conventions: " + "; ".join(self.conventions))
        return "\n".join(lines)


def _as_array(value) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


def assert_close(expected, got, *, exercise: str, output: str, atol: float = ATOL, scale: float | None = None) -> None:
    """Fail with a precise message unless `got` matches `expected` within the tolerance;
    `atol` is raised only where a formula is known to lose accuracy (kNN's expanded square).
    `scale` replaces max|expected| for the gradients of one call, which share it."""
    __tracebackhide__ = True
    expected = _as_array(expected)
    head = f"{exercise}: {output}"
    if got is None:
        raise Mismatch(f"{head} is None; expected {_describe(expected)}")
    if expected.ndim == 0:
        if not (np.isscalar(got) or isinstance(got, np.ndarray)) or np.size(got) != 1:
            raise Mismatch(f"{head} should be a number; got {_describe(got)}")
        got = np.asarray(got, dtype=np.result_type(got, np.float64)).reshape(())
    elif not isinstance(got, np.ndarray):
        raise Mismatch(f"{head} should be a numpy array of shape {expected.shape}; got {_describe(got)}")
    shape_given = got.shape
    loose = got.shape != expected.shape and _broadcasts_alike(got.shape, expected.shape)
    if loose:
        got = got.reshape(expected.shape)
    if got.shape != expected.shape:
        hint = ""
        if got.shape == expected.shape[::-1] and got.ndim == 2:
            hint = " (transposed?)"
        elif got.size == expected.size:
            hint = " (the same number of elements: a reshape is missing?)"
        raise Mismatch(f"{head} has shape {got.shape}, expected {expected.shape}{hint}")
    if got.dtype != expected.dtype and expected.ndim:
        raise Mismatch(
            f"{head} has dtype {got.dtype}, expected {expected.dtype}: compute in the inputs' dtype"
        )
    if not np.isfinite(expected).all():
        raise ValueError(f"{head}: the oracle's expected value is not finite (a harness bug)")
    bad = ~np.isfinite(got)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise Mismatch(
            f"{head} {got.shape} contains {np.count_nonzero(bad)} non-finite value(s), "
            f"first {got[where]} at {list(where)} (expected {expected[where]:.6g}): "
            "look for overflow, a division by zero, log(0) or the sqrt of a negative number"
        )
    scale = float(np.abs(expected).max(initial=0.0)) if scale is None else scale
    tolerance = RTOL * scale + atol
    diff = np.abs(got - expected)
    outside = diff > tolerance
    if not outside.any():
        if loose:
            warnings.warn(LooseForm(
                f"{head} has shape {shape_given}, where the course asks for {expected.shape}; its values are "
                "right (an extra axis of length 1: drop keepdims=True, or reshape)"
            ), stacklevel=2)
        return
    worst = np.unravel_index(np.argmax(diff), diff.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(diff > 0, diff / np.abs(expected), 0.0)  # inf where expected is 0
    worst_rel = np.unravel_index(np.argmax(np.where(outside, relative, 0)), diff.shape)
    raise Mismatch(
        f"{head} is wrong: {np.count_nonzero(outside)} of {got.size} elements outside tolerance\n"
        f"  shape {expected.shape} {expected.dtype}; tolerance {RTOL:g} * max|expected| "
        f"({scale:.3g}) + {atol:.3g} = {tolerance:.3g}\n"
        f"  greatest absolute difference {diff[worst]:.3g} at {_index(worst)}: "
        f"expected {expected[worst]:.10g}, got {got[worst]:.10g}\n"
        f"  greatest relative difference {relative[worst_rel]:.3g} at {_index(worst_rel)}: "
        f"expected {expected[worst_rel]:.10g}, got {got[worst_rel]:.10g}",
        tensors=[(output, expected, got)],
    )


def _broadcasts_alike(given: tuple, asked: tuple) -> bool:
    """Whether an array of shape `given` meets one of shape `asked` element for element
    when broadcast, as the course notebooks' rel_error compares them: (1, D) for (D,) does,
    (D,) for (1, D, 1, 1) or (N, 1) for (N,) do not."""
    try:
        return math.prod(np.broadcast_shapes(given, asked)) == math.prod(asked) == math.prod(given)
    except ValueError:
        return False


def _index(index: tuple) -> str:
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def report_line(output: str, expected, got, status: str | None = None) -> str:
    """One aligned line for a tensor, in the spirit of makemore's cmp: its name, shape and
    dtype, match / close / wrong, and the greatest difference."""
    expected = _as_array(expected)
    if not isinstance(got, np.ndarray) or got.shape != expected.shape:
        return f"    {output:<10} {_describe(got)}  wrong"
    diff = np.abs(got.astype(float) - expected)
    status = status or ("match" if np.array_equal(got, expected) else "close")
    worst = np.unravel_index(np.argmax(diff), diff.shape) if diff.size else ()
    detail = f"greatest |difference| {diff[worst]:.3g} at {_index(worst)}" if diff.size and diff[worst] else ""
    return f"    {output:<10} {str(got.shape):<14} {str(got.dtype):<8} {status:<6} {detail}".rstrip()
