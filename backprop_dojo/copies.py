"""Copies of the values a check draws and hands to the learner (cases, their arrays and
parameter dicts): a check copies them for every example, the learner's arguments once more."""

from __future__ import annotations

import copy

import numpy as np

IMMUTABLE = frozenset({int, float, complex, bool, str, bytes, type(None)})


def copied(value, memo: dict | None = None):
    """copy.deepcopy(value), about twice as fast on nested dicts and lists of arrays: each
    NumPy array (of that exact type) copied, each dict, list and tuple rebuilt, each
    immutable value itself, anything else deep-copied; an object found twice is copied
    once, as deepcopy does (`memo`: the copies made so far, by the original's id)."""
    kind = type(value)
    if kind in IMMUTABLE or isinstance(value, np.generic):
        return value
    memo = {} if memo is None else memo
    if id(value) in memo:
        return memo[id(value)]
    if kind is np.ndarray:
        made = value.copy()
    elif kind is dict:
        made = {key: copied(item, memo) for key, item in value.items()}
    elif kind is list:
        made = [copied(item, memo) for item in value]
    elif kind is tuple:
        made = tuple([copied(item, memo) for item in value])
    else:
        made = copy.deepcopy(value, memo)
    memo[id(value)] = made
    return made
