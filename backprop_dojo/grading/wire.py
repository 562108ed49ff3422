"""Messages between the grader and a sandboxed learner process, on a private pipe: a JSON
header, then each array as a fixed binary header and its raw bytes, each part
length-prefixed; between messages, a message count of 0 is a progress mark (a long request's
next step begun). Nothing is ever unpickled or parsed as text but the JSON, so a hostile child
can send the grader only numbers, strings, arrays of plain dtypes, handles to objects it
keeps, and containers of those; and never more bytes than the receiver's limit, checked
before anything is read.

An array part: struct ARRAY (its dtype's code in DTYPES, its number of dimensions, 6 bytes
of padding), the shape as that many little-endian int64s, then the C-contiguous data, always
little-endian (a big-endian array is byte-swapped when sent). The header is a multiple of 8
bytes, so the data of an array read into its own buffer is aligned.

NumPy and the standard library only, and no import of this package: the child runs this
file by path.
"""

from __future__ import annotations

import json
import math
import os
import select
import struct
import time
from collections.abc import Callable

import numpy as np

MAX_MESSAGE = 256 * 2**20  # bytes in one message, all parts together
MAX_PARTS = 4096
MAX_HEADER = 16 * 2**20  # bytes of the JSON part
MAX_NDIM = 64  # NumPy's own limit
# The only dtypes the wire carries, as they travel; an array's code is its index here
DTYPES = tuple(np.dtype(name).newbyteorder("<") for name in (
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32", "float64"))
CODES = {dtype.str: code for code, dtype in enumerate(DTYPES)}
ARRAY = struct.Struct("<BB6x")  # dtype code, ndim, padding
PROGRESS = struct.pack("<I", 0)  # a count of no parts: not a message, a mark
# The header's nodes: these types as themselves (a float only when finite), anything else a
# list whose first item tags it: ["a", index of an array part], ["t", *items], ["l", *items],
# ["d", key, value, ...], ["h", number, kind] a handle, ["s", value, dtype code] a NumPy
# scalar, ["n", dtype] a NumPy type, ["f", repr] an infinite or NaN float.
JSON_TYPES = frozenset({str, int, bool, type(None)})
SCALARS = JSON_TYPES | {float}
TAGS = {tuple: "t", list: "l"}


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
        return not isinstance(value, np.generic) or _code(value.dtype) is not None
    if isinstance(value, np.ndarray):
        return _code(value.dtype) is not None
    if isinstance(value, (tuple, list)):
        return all(is_plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, (str, int)) and is_plain(item) for key, item in value.items())
    return isinstance(value, Handle)


def _code(dtype: np.dtype) -> int | None:
    """The dtype's code in DTYPES, whatever its byte order; None for any other dtype."""
    return CODES.get(dtype.str.replace(">", "<", 1))


def _sent_code(dtype: np.dtype) -> int:
    code = _code(dtype)
    if code is None:
        raise ProtocolError(f"a value of dtype {dtype}, not one the wire carries")
    return code


def _dtype(code) -> np.dtype:
    if type(code) is not int or not 0 <= code < len(DTYPES):
        raise ProtocolError(f"dtype code {str(code)[:20]}, not one of the wire's")
    return DTYPES[code]


def _check_shape(shape: tuple) -> None:
    if len(shape) > MAX_NDIM or (shape and not 0 <= min(shape) <= max(shape) <= MAX_MESSAGE):
        raise ProtocolError(f"an array of shape {str(shape)[:200]}")


def encode(value) -> bytes:
    """`value` as one message; a ProtocolError for an array or a NumPy scalar of a dtype the
    wire does not carry. An array found more than once is sent once: each place it was
    comes back as the same array."""
    arrays: list[np.ndarray] = []
    sent: dict[int, int] = {}  # id of an array -> its part

    def array(v: np.ndarray) -> list:
        if id(v) not in sent:
            sent[id(v)] = len(arrays)
            arrays.append(v)
        return ["a", sent[id(v)]]

    def tree(v):
        kind = type(v)  # the plain types by identity first: they are nearly every node
        if kind in JSON_TYPES:
            return v
        if kind is float:
            return v if math.isfinite(v) else ["f", repr(v)]
        if kind is np.ndarray:
            return array(v)
        if kind is tuple or kind is list:
            return [TAGS[kind], *map(tree, v)]
        if kind is dict:
            node = ["d"]
            for key, item in v.items():
                node += (key, tree(item))
            return node
        if isinstance(v, Handle):
            return ["h", v.number, v.kind]
        if isinstance(v, np.generic):
            return ["s", v.item(), _sent_code(v.dtype)]
        if isinstance(v, type) and issubclass(v, np.generic):  # dtype=np.float64
            return ["n", np.dtype(v).str]
        if isinstance(v, np.ndarray):
            return array(v)
        if isinstance(v, (tuple, list, dict)):
            return tree((tuple if isinstance(v, tuple) else list if isinstance(v, list) else dict)(v))
        if isinstance(v, float) and not math.isfinite(v):
            return ["f", repr(v)]
        return v

    header = json.dumps(tree(value)).encode()
    chunks = [struct.pack("<I", 1 + len(arrays)), struct.pack("<Q", len(header)), header]
    for array in arrays:
        head, data = _array_part(array)
        chunks += [struct.pack("<Q", len(head) + data.nbytes), head, data]
    return b"".join(chunks)


def _array_part(array: np.ndarray) -> tuple[bytes, np.ndarray]:
    """An array's header, and its data as it travels (C-contiguous, little-endian)."""
    code = _sent_code(array.dtype)
    _check_shape(array.shape)
    data = np.asarray(array, DTYPES[code], order="C")
    return ARRAY.pack(code, data.ndim) + struct.pack(f"<{data.ndim}q", *data.shape), data


def _array(part: bytearray) -> np.ndarray:
    """An array part as an array over its own bytes (no copy), of a dtype of the table and
    exactly the size its header says."""
    if len(part) < ARRAY.size:
        raise ProtocolError("an array part shorter than its header")
    code, ndim = ARRAY.unpack_from(part)
    dtype = _dtype(code)
    offset = ARRAY.size + 8 * ndim
    if ndim > MAX_NDIM or len(part) < offset:
        raise ProtocolError(f"an array of {ndim} dimensions in {len(part)} bytes")
    shape = struct.unpack_from(f"<{ndim}q", part, ARRAY.size)
    _check_shape(shape)
    count = math.prod(shape)
    if count * dtype.itemsize != len(part) - offset:
        raise ProtocolError("an array whose data does not match its header")
    return np.frombuffer(part, dtype, count, offset).reshape(shape)


def decode(parts: list, separate: bool = False) -> object:
    """The message's value; with `separate`, an array it names in several places is itself
    in the first and a copy in each other (else the same array in each)."""
    try:
        arrays = [_array(part) for part in parts[1:]]
        arrays = _Separate(arrays) if separate else arrays
        return _tree(json.loads(bytes(parts[0])), arrays)
    except ProtocolError:
        raise
    except (ValueError, KeyError, TypeError, IndexError, RecursionError, AttributeError, OverflowError) as error:
        raise ProtocolError(f"not a message ({type(error).__name__}: {str(error)[:200]})") from None


class _Separate(list):
    """The arrays of a message, each given as itself the first time, then as copies."""

    def __init__(self, arrays: list):
        super().__init__(arrays)
        self.given: set[int] = set()

    def __getitem__(self, index):
        array = super().__getitem__(index)
        if index in self.given:
            return array.copy()
        self.given.add(index)
        return array


def _tree(node, arrays):
    kind = type(node)
    if kind in SCALARS:  # the plain values first: they are nearly every node
        return node
    if kind is not list or not node:
        raise ProtocolError("an empty node" if kind is list else "not a node")
    tag = node[0]
    if tag == "a":
        return arrays[node[1]]
    if tag == "t":
        return tuple([_tree(v, arrays) for v in node[1:]])
    if tag == "l":
        return [_tree(v, arrays) for v in node[1:]]
    if tag == "d":
        if len(node) % 2 == 0:
            raise ProtocolError("a dict with a key and no value")
        return {node[i]: _tree(node[i + 1], arrays) for i in range(1, len(node), 2)}
    if tag == "h":
        return Handle(int(node[1]), str(node[2]))
    if tag == "s":
        if not isinstance(node[1], (bool, int, float)):
            raise ProtocolError("a scalar that is not a number")
        return _dtype(node[2]).type(node[1])
    if tag == "n":
        return np.dtype(node[1]).type
    if tag == "f":
        return float(node[1])
    raise ProtocolError("not a message")


def send(fd: int, value) -> None:
    data = memoryview(encode(value))
    while data:
        data = data[os.write(fd, data):]


def send_progress(fd: int) -> None:
    """Say that the next step of a long request has begun (receive_counted's `progress`)."""
    os.write(fd, PROGRESS)


def receive(fd: int, deadline: float | None = None, limit: int = MAX_MESSAGE, separate: bool = False):
    """The next message; EOFError when the other side is gone, TimeoutError when it is not
    complete by `deadline` (a time.monotonic() value), ProtocolError when it is malformed or
    larger than `limit` bytes in all (refused before its parts are read). `separate`: as decode()."""
    return receive_counted(fd, deadline, limit, separate=separate)[0]


def receive_counted(fd: int, deadline: float | None = None, limit: int = MAX_MESSAGE,
                    progress: Callable[[], float] | None = None, separate: bool = False) -> tuple[object, int]:
    """receive(), and the message's size in bytes. Each progress mark before the message
    calls `progress()`, which gives the new deadline (or raises ProtocolError: a mark too
    many); without `progress` a mark is a ProtocolError."""
    reader = _Reader(fd, deadline)
    (count,) = struct.unpack("<I", reader.take(4))
    while count == 0 and progress is not None:
        reader.deadline = progress()
        (count,) = struct.unpack("<I", reader.take(4))
    if not 1 <= count <= MAX_PARTS:
        raise ProtocolError(f"a message of {count} parts")
    parts, left = [], limit
    for index in range(count):
        (size,) = struct.unpack("<Q", reader.take(8))
        if size > left or (index == 0 and size > MAX_HEADER):
            raise ProtocolError(f"a message larger than {limit // 2**20} MB")
        left -= size
        parts.append(reader.take(size))
    if reader.pending:  # the other side sends one message, then waits for the answer
        raise ProtocolError("bytes beyond the end of the message")
    return decode(parts, separate), limit - left


class _Reader:
    """One message's bytes, in as few reads as the pipe allows: each read fills the part
    asked for (into a buffer of its own) and, in the same system call, takes up to SPARE
    bytes of what follows; a size is always checked before its part is waited for."""

    SPARE = 16384

    def __init__(self, fd: int, deadline: float | None):
        self.fd, self.deadline = fd, deadline
        self.pending, self.spare = bytearray(), bytearray(self.SPARE)

    def take(self, size: int) -> bytearray:
        part = bytearray(size)
        view, done = memoryview(part), 0
        while done < size:
            if self.pending:
                count = min(size - done, len(self.pending))
                view[done:done + count] = self.pending[:count]
                del self.pending[:count]
                done += count
                continue
            if self.deadline is not None:
                ready, _, _ = select.select([self.fd], [], [], max(0.0, self.deadline - time.monotonic()))
                if not ready:
                    raise TimeoutError("no complete message in time")
            first = view[done:done + min(size - done, 2**22)]
            got = os.readv(self.fd, [first, self.spare])
            if not got:
                raise EOFError("the other process closed the pipe")
            done += min(got, len(first))
            self.pending += self.spare[:max(0, got - len(first))]
        return part
