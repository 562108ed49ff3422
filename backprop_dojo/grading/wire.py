"""Messages between the grader and a sandboxed learner process, on a private pipe: a JSON
header, arrays as .npy bytes, each part length-prefixed. Nothing is ever unpickled, so a
hostile child can send the grader only numbers, strings, arrays of plain dtypes, handles to
objects it keeps, and containers of those; and never more bytes than the receiver's limit,
checked before anything is read.

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

MAX_MESSAGE = 256 * 2**20  # bytes in one message, all parts together
MAX_PARTS = 4096
MAX_HEADER = 16 * 2**20  # bytes of the JSON part
PLAIN_KINDS = "biuf"  # bool, integer and float arrays


class ProtocolError(ValueError):
    """A message that is not one: too large, malformed, or of a kind the wire never carries."""


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


def _array(part: bytearray) -> np.ndarray:
    """A .npy part as an array over its own bytes (no copy), of a plain dtype and exactly
    the size its header says."""
    stream = io.BytesIO(bytes(part[:65536 + 16]))  # magic, header length and header only
    version = np.lib.format.read_magic(stream)
    read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, fortran, dtype = read(stream, max_header_size=10000)
    if dtype.kind not in PLAIN_KINDS or dtype.hasobject:
        raise ProtocolError(f"an array of dtype {dtype}")
    count = int(np.prod(shape, dtype=np.int64)) if shape else 1
    if count * dtype.itemsize != len(part) - stream.tell():
        raise ProtocolError("an array whose data does not match its header")
    flat = np.frombuffer(part, dtype, count, offset=stream.tell())
    return flat.reshape(shape[::-1]).T if fortran else flat.reshape(shape)


def decode(parts: list) -> object:
    try:
        arrays = [_array(part) for part in parts[1:]]
        return _tree(json.loads(bytes(parts[0])), arrays)
    except ProtocolError:
        raise
    except (ValueError, KeyError, TypeError, IndexError, RecursionError, AttributeError, OverflowError) as error:
        raise ProtocolError(f"not a message ({type(error).__name__}: {str(error)[:200]})") from None


def _tree(node, arrays):
    (kind, item), *rest = node.items()
    if kind == "handle":
        return Handle(int(item), str(rest[0][1]))
    if kind == "scalar":
        dtype = np.dtype(rest[0][1])
        if dtype.kind not in PLAIN_KINDS:
            raise ProtocolError(f"a scalar of dtype {dtype}")
        return dtype.type(item)
    if kind == "numpy_type":
        return np.dtype(item).type
    if kind == "array":
        return arrays[item]
    if kind == "tuple":
        return tuple(_tree(v, arrays) for v in item)
    if kind == "list":
        return [_tree(v, arrays) for v in item]
    if kind == "dict":
        return {key: _tree(v, arrays) for key, v in item}
    if kind == "float":
        return float(item)
    if item is None or isinstance(item, (bool, int, float, str)):
        return item
    raise ProtocolError("not a message")


def send(fd: int, value) -> None:
    data = memoryview(encode(value))
    while data:
        data = data[os.write(fd, data):]


def receive(fd: int, deadline: float | None = None, limit: int = MAX_MESSAGE):
    """The next message; EOFError when the other side is gone, TimeoutError when it is not
    complete by `deadline` (a time.monotonic() value), ProtocolError when it is malformed or
    larger than `limit` bytes in all (refused before its parts are read)."""
    return receive_counted(fd, deadline, limit)[0]


def receive_counted(fd: int, deadline: float | None = None, limit: int = MAX_MESSAGE) -> tuple[object, int]:
    """receive(), and the message's size in bytes."""
    (count,) = struct.unpack("<I", _read(fd, 4, deadline))
    if not 1 <= count <= MAX_PARTS:
        raise ProtocolError(f"a message of {count} parts")
    parts, left = [], limit
    for index in range(count):
        (size,) = struct.unpack("<Q", _read(fd, 8, deadline))
        if size > left or (index == 0 and size > MAX_HEADER):
            raise ProtocolError(f"a message larger than {limit // 2**20} MB")
        left -= size
        parts.append(_read(fd, size, deadline))
    return decode(parts), limit - left


def _read(fd: int, size: int, deadline: float | None) -> bytearray:
    buffer = bytearray(size)
    view, done = memoryview(buffer), 0
    while done < size:
        if deadline is not None:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError("no complete message in time")
        got = os.readv(fd, [view[done:done + 2**22]])
        if not got:
            raise EOFError("the other process closed the pipe")
        done += got
    return buffer
