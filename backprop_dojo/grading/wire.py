"""Messages between the grader and a sandboxed learner process, on a private pipe: a JSON
header, arrays as .npy bytes, each part length-prefixed. Nothing is ever unpickled, so a
hostile child can send the grader only numbers, strings, arrays of plain dtypes, handles to
objects it keeps, and containers of those.

NumPy and the standard library only, and no import of this package: the child runs this
file by path.
"""

from __future__ import annotations

import io
import json
import os
import select
import struct
import time

import numpy as np

MAX_PART = 256 * 2**20  # bytes; a larger part is a protocol violation
PLAIN_KINDS = "biuf"  # bool, integer and float arrays


class Handle:
    """An object that stays in the child (a cache, a network); `kind` is its type's name."""

    def __init__(self, number: int, kind: str):
        self.number, self.kind = number, kind

    def __repr__(self) -> str:
        return f"<{self.kind} kept by the learner's process>"


def is_plain(value) -> bool:
    if isinstance(value, type):
        return issubclass(value, np.generic)
    if value is None or isinstance(value, (bool, int, float, str, np.generic)):
        return not isinstance(value, np.generic) or value.dtype.kind in PLAIN_KINDS
    if isinstance(value, np.ndarray):
        return value.dtype.kind in PLAIN_KINDS
    if isinstance(value, (tuple, list)):
        return all(is_plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, (str, int)) and is_plain(item) for key, item in value.items())
    return isinstance(value, Handle)


def encode(value) -> bytes:
    arrays: list[np.ndarray] = []

    def tree(v):
        if isinstance(v, Handle):
            return {"handle": v.number, "kind": v.kind}
        if isinstance(v, np.generic):
            return {"scalar": v.item(), "dtype": v.dtype.str}
        if isinstance(v, type) and issubclass(v, np.generic):  # dtype=np.float64
            return {"numpy_type": np.dtype(v).str}
        if isinstance(v, np.ndarray):
            arrays.append(np.ascontiguousarray(v))
            return {"array": len(arrays) - 1}
        if isinstance(v, tuple):
            return {"tuple": [tree(item) for item in v]}
        if isinstance(v, list):
            return {"list": [tree(item) for item in v]}
        if isinstance(v, dict):
            return {"dict": [[key, tree(item)] for key, item in v.items()]}
        if isinstance(v, float) and not np.isfinite(v):
            return {"float": repr(v)}
        return {"value": v}

    parts = [json.dumps(tree(value)).encode()]
    for array in arrays:
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        parts.append(buffer.getvalue())
    return struct.pack("<I", len(parts)) + b"".join(struct.pack("<Q", len(part)) + part for part in parts)


def decode(parts: list[bytes]):
    arrays = [np.load(io.BytesIO(part), allow_pickle=False) for part in parts[1:]]

    def value(node: dict):
        (kind, item), *rest = node.items()
        if kind == "handle":
            return Handle(int(item), str(rest[0][1]))
        if kind == "scalar":
            return np.dtype(rest[0][1]).type(item)
        if kind == "numpy_type":
            return np.dtype(item).type
        if kind == "array":
            return arrays[item]
        if kind == "tuple":
            return tuple(value(v) for v in item)
        if kind == "list":
            return [value(v) for v in item]
        if kind == "dict":
            return {key: value(v) for key, v in item}
        if kind == "float":
            return float(item)
        if item is None or isinstance(item, (bool, int, float, str)):
            return item
        raise ValueError("not a message")

    return value(json.loads(parts[0]))


def send(fd: int, value) -> None:
    data = memoryview(encode(value))
    while data:
        data = data[os.write(fd, data):]


def receive(fd: int, deadline: float | None = None):
    """The next message; EOFError when the other side is gone, TimeoutError when it is not
    complete by `deadline` (a time.monotonic() value)."""
    (count,) = struct.unpack("<I", _read(fd, 4, deadline))
    parts = []
    for _ in range(count):
        (size,) = struct.unpack("<Q", _read(fd, 8, deadline))
        if size > MAX_PART:
            raise ValueError(f"a message part of {size} bytes")
        parts.append(_read(fd, size, deadline))
    return decode(parts)


def _read(fd: int, size: int, deadline: float | None) -> bytes:
    chunks, left = [], size
    while left:
        if deadline is not None:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError("no complete message in time")
        chunk = os.read(fd, min(left, 2**20))
        if not chunk:
            raise EOFError("the other process closed the pipe")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
