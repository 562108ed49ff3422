"""The wire between the grader and a learner's process: every dtype it carries comes back
whole (0-d, empty, non-contiguous, big-endian), and every array it does not carry, or whose
header lies about its data, is refused, on sending or on receiving, as a ProtocolError."""

import json
import os
import struct
import time

import numpy as np
import pytest

from backprop_dojo.grading import wire


def _through_a_pipe(value):
    read, write = os.pipe()
    try:
        wire.send(write, value)
        return wire.receive(read, time.monotonic() + 1)
    finally:
        os.close(read), os.close(write)


def _crafted(*array_parts: bytes) -> bytes:
    """A message whose JSON header names one array per part, the parts given as bytes."""
    header = json.dumps({"list": [{"array": i} for i in range(len(array_parts))]}).encode()
    parts = [header, *array_parts]
    return struct.pack("<I", len(parts)) + b"".join(struct.pack("<Q", len(p)) + p for p in parts)


def _array_part(code: int, shape: tuple, data: bytes) -> bytes:
    return wire.ARRAY.pack(code, len(shape)) + struct.pack(f"<{len(shape)}q", *shape) + data


def _receive_crafted(data: bytes):
    read, write = os.pipe()
    try:
        os.write(write, data)
        return wire.receive(read, time.monotonic() + 1)
    finally:
        os.close(read), os.close(write)


@pytest.mark.parametrize("dtype", wire.DTYPES, ids=str)
def test_every_plain_dtype_comes_back_whole(dtype):
    """0-d, empty, a transposed and a strided view, and the big-endian form of the dtype."""
    grid = np.arange(24).reshape(4, 6).astype(dtype)
    sent = [np.array(grid[1, 2]), np.zeros((0, 3), dtype), grid.T, grid[::2, ::3], grid.astype(dtype.newbyteorder(">"))]
    got = _through_a_pipe(sent)
    for before, after in zip(sent, got, strict=True):
        assert after.shape == before.shape and after.dtype == dtype.newbyteorder("=")
        assert after.flags.c_contiguous and after.flags.aligned
        np.testing.assert_array_equal(after, before)


def test_scalars_keep_their_dtype():
    sent = (np.float16(0.5), np.uint64(2**64 - 1), np.bool_(True), np.float32("nan"))
    got = _through_a_pipe(sent)
    assert [type(v) for v in got] == [type(v) for v in sent]
    assert got[1] == 2**64 - 1 and np.isnan(got[3])


@pytest.mark.parametrize("value", [
    np.array([object()]),
    np.zeros(2, dtype=[("a", "f8"), ("b", "i4")]),
    np.array(["relu", "affine"]),
    np.zeros(2, np.complex128),
    np.zeros(2, np.longdouble),
    np.longdouble(1.0),
], ids=["object", "structured", "unicode", "complex", "longdouble", "longdouble scalar"])
def test_a_dtype_the_wire_does_not_carry_is_refused_on_sending(value):
    """And is not plain, so the child keeps such an output and sends a handle instead."""
    assert not wire.is_plain(value)
    with pytest.raises(wire.ProtocolError, match="not one the wire carries"):
        wire.encode({"result": value})


@pytest.mark.parametrize("part, says", [
    (_array_part(len(wire.DTYPES), (2,), bytes(16)), "dtype code 12, not one of the wire's"),
    (_array_part(255, (2,), bytes(16)), "dtype code 255"),
    (_array_part(11, (2, 3), bytes(40)), "data does not match its header"),
    (_array_part(11, (2, 3), bytes(56)), "data does not match its header"),
    (_array_part(11, (-2, -3), bytes(48)), r"shape \(-2, -3\)"),
    (_array_part(11, (0, 2**40), b""), "shape"),
    (_array_part(11, (1,) * 65, bytes(8)), "65 dimensions"),
    (wire.ARRAY.pack(11, 200) + bytes(64), "200 dimensions"),
    (b"\x0b\x01", "shorter than its header"),
], ids=["code past the table", "code 255", "too little data", "too much data", "negative dims", "huge dim",
        "65 dimensions", "ndim 200, no shape", "no header"])
def test_an_array_header_that_lies_is_refused_on_receiving(part, says):
    with pytest.raises(wire.ProtocolError, match=says):
        _receive_crafted(_crafted(part))


def test_a_crafted_header_that_tells_the_truth_is_read():
    """The refusals above are of the lie, not of crafted bytes as such."""
    (got,) = _receive_crafted(_crafted(_array_part(4, (2, 3), np.arange(6, dtype="<i8").tobytes())))
    np.testing.assert_array_equal(got, np.arange(6).reshape(2, 3))


@pytest.mark.parametrize("scalar", [{"scalar": 1.0, "dtype": -1}, {"scalar": 1.0, "dtype": True},
                                    {"scalar": [1.0, 2.0], "dtype": 11}, {"scalar": 1.0, "dtype": "<f8"}])
def test_a_scalar_outside_the_table_is_refused(scalar):
    header = json.dumps(scalar).encode()
    with pytest.raises(wire.ProtocolError):
        _receive_crafted(struct.pack("<IQ", 1, len(header)) + header)
