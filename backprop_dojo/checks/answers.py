"""torch's answers, computed once per distinct question and kept for the process.

A check draws its examples from a fixed seed, so every learner checked in one process (each
submission a grader's worker grades, each bug of the harness's catalogue, each exercise a
course folder shares with the reference) gets the same cases, and torch gives the same
numbers for them. The question is the oracle, the convention and every input, by value:
arrays by dtype, shape and bytes, a NumPy type (a network's dtype) by its dtype, and what
depends on the learner's output (a mask read off it, an upstream gradient shaped like it)
is part of the question. An input that differs by one bit is another question; an input
of a kind not listed here is never remembered. Each answer is handed out as a copy.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from contextlib import contextmanager
from typing import Callable

import numpy as np
import torch

MOST = 2048  # answers kept, the least recently used dropped first
_kept: OrderedDict = OrderedDict()
_remembering = [True]


class Unremembered(TypeError):
    """An input this module does not know how to put into a question."""


def answer(oracle: Callable, what: str, convention, inputs, compute: Callable):
    """compute(), or its answer to the same question asked before: `what` the oracle is
    asked (its outputs, its gradients), under `convention`, about `inputs`."""
    if not _remembering[-1]:
        return compute()
    try:
        digest = hashlib.blake2b(digest_size=16)
        _feed(digest, (what, convention, inputs))
        question = (oracle, digest.digest())
    except Unremembered:
        return compute()
    if question in _kept:
        _kept.move_to_end(question)
    else:
        _kept[question] = _copied(compute())
        if len(_kept) > MOST:
            _kept.popitem(last=False)
    return _copied(_kept[question])


@contextmanager
def afresh():
    """Compute every answer meanwhile, remembering none (to show that remembering changes
    no verdict)."""
    _remembering.append(False)
    try:
        yield
    finally:
        _remembering.pop()


def _feed(digest, value) -> None:
    if type(value) in _PLAIN or isinstance(value, (bool, int, float, str, np.generic)):  # most nodes: the first test
        digest.update(f"{type(value).__name__} {value!r}|".encode())
    elif isinstance(value, (torch.Tensor, np.ndarray)):
        array = value.detach().numpy() if isinstance(value, torch.Tensor) else value
        if array.dtype.hasobject:
            raise Unremembered("an object array")
        digest.update(f"array {array.dtype.str} {array.shape}|".encode())
        digest.update(np.ascontiguousarray(array).tobytes())
    elif isinstance(value, dict):
        digest.update(f"dict {len(value)}|".encode())
        for key in sorted(value, key=repr):
            _feed(digest, key)
            _feed(digest, value[key])
    elif isinstance(value, (list, tuple)):
        digest.update(f"{type(value).__name__} {len(value)}|".encode())
        for item in value:
            _feed(digest, item)
    elif isinstance(value, type) and issubclass(value, np.generic):  # a network's dtype=np.float64
        digest.update(f"type {np.dtype(value).str}|".encode())
    else:
        raise Unremembered(type(value).__name__)


_PLAIN = frozenset({type(None), bool, int, float, str})


def _copied(value):
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(_copied(item) for item in value)
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    return value
