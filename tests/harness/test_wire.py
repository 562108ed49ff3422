"""The wire between the grader and a learner's process: every dtype it carries comes back
whole (0-d, empty, non-contiguous, big-endian), and every array it does not carry, or whose
header lies about its data, is refused, on sending or on receiving, as a ProtocolError.
Then the CPU each message says its process used: counted by the grader, a lie clipped."""

import json
import os
import struct
import time

import numpy as np
import pytest

from backprop_dojo.grading import replies, wire
from backprop_dojo.grading.sandbox import CPU_LIMIT, SandboxedLearner, namespaces_available, reported_cpu
from tests.hostile import CORRECT

MODES = ["namespaces", "process"]


def _received(writing, **named):
    """What the grader's side reads off a pipe after `writing(fd)` has written into it."""
    read, write = os.pipe()
    try:
        writing(write)
        return wire.receive(read, time.monotonic() + 1, **named)
    finally:
        os.close(read), os.close(write)


def _through_a_pipe(value):
    return _received(lambda fd: wire.send(fd, value))


def _crafted(*array_parts: bytes) -> bytes:
    """A message whose JSON header names one array per part, the parts given as bytes."""
    header = json.dumps(["l", *(["a", i] for i in range(len(array_parts)))]).encode()
    parts = [header, *array_parts]
    return struct.pack("<I", len(parts)) + b"".join(struct.pack("<Q", len(p)) + p for p in parts)


def _array_part(code: int, shape: tuple, data: bytes) -> bytes:
    return wire.ARRAY.pack(code, len(shape)) + struct.pack(f"<{len(shape)}q", *shape) + data


def _receive_crafted(data: bytes):
    return _received(lambda fd: os.write(fd, data))


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


def test_every_kind_of_plain_value_comes_back_as_it_was_sent():
    """Tuples stay tuples and lists lists, data that looks like the header's own tags stays
    data, and floats that JSON has no word for come back whole."""
    sent = {"list": ["a", 0, ["d", "x"]], "tuple": ("l",), "empty": [(), [], {}], 3: None, "flags": [True, False, 1, 0],
            "big": 2**80, "floats": [0.5, -0.0, float("inf"), float("-inf")], "dtype": np.float32,
            "handle": wire.Handle(7, "tuple"), "nested": {"a": {"b": [np.arange(3)]}}}
    got = _through_a_pipe(sent)
    assert list(got) == list(sent) and got["list"] == sent["list"] and got["tuple"] == ("l",)
    assert got["empty"] == [(), [], {}] and got[3] is None and [type(v) for v in got["flags"]] == [bool, bool, int, int]
    assert got["big"] == 2**80 and got["floats"] == sent["floats"] and str(got["floats"][1]) == "-0.0"
    assert got["dtype"] is np.float32 and (got["handle"].number, got["handle"].kind) == (7, "tuple")
    np.testing.assert_array_equal(got["nested"]["a"]["b"][0], np.arange(3))
    assert np.isnan(_through_a_pipe(float("nan")))


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


@pytest.mark.parametrize("header", [b'["l", []]', b'["t", {}]', b'{}', b'[]', b'["x", 1]', b'["d", "key"]', b'["d", [1], 2]',
                                    b'["a", 0]', b'["h"]', b'["f", [1]]'])
def test_a_header_that_is_no_value_is_refused(header):
    with pytest.raises(wire.ProtocolError):
        _receive_crafted(struct.pack("<IQ", 1, len(header)) + header)


def test_bytes_after_the_message_are_refused():
    """Each side sends one message and waits: more than one in the pipe is a violation."""
    message = _crafted(_array_part(4, (2,), np.arange(2, dtype="<i8").tobytes()))
    with pytest.raises(wire.ProtocolError, match="beyond the end of the message"):
        _receive_crafted(message + message)


def test_an_array_in_several_places_is_sent_once():
    x = np.arange(1000.0)
    assert len(wire.encode([x, x, {"x": x}])) < len(wire.encode([x, x.copy()]))
    got = _through_a_pipe([x, x, {"x": x}])
    assert all(np.array_equal(array, x) for array in (got[0], got[1], got[2]["x"]))
    assert got[0] is got[1]  # as the grader reads it; the learner's process reads each place apart:
    separate = _received(lambda fd: wire.send(fd, [x, x, {"x": x}]), separate=True)
    assert len({id(separate[0]), id(separate[1]), id(separate[2]["x"])}) == 3 and np.array_equal(separate[2]["x"], x)


def test_progress_marks_before_a_message_each_set_its_deadline_and_are_refused_unasked():
    def receiving(written: bytes, seconds: float = 1, **named):
        read, write = os.pipe()
        try:
            os.write(write, written)
            return wire.receive_counted(read, time.monotonic() + seconds, **named)[0]
        finally:
            os.close(read), os.close(write)

    marks, message = [], wire.encode({"done": 1})
    assert receiving(wire.PROGRESS * 2 + message, progress=lambda: marks.append(1) or time.monotonic() + 1) == {"done": 1}
    assert len(marks) == 2
    with pytest.raises(wire.ProtocolError, match="a message of 0 parts"):  # no progress asked for
        receiving(wire.PROGRESS + message)
    started = time.monotonic()
    with pytest.raises(TimeoutError):  # the deadline a mark sets is kept
        receiving(wire.PROGRESS, 60, progress=lambda: time.monotonic() + 0.05)
    assert time.monotonic() - started < 30


def test_a_message_in_many_writes_and_large_parts_is_read_whole():
    """Parts larger than a read and than the pipe: read as the writer gets them in."""
    big = np.arange(3 * 2**20, dtype=np.float64).reshape(3, 2**20)
    read, write = os.pipe()
    try:
        pid = os.fork()
        if pid == 0:  # the writer, a byte at a time for the first parts
            os.close(read)
            data = wire.encode({"result": (big, np.ones(3))})
            for i in range(64):
                os.write(write, data[i:i + 1])
            rest = memoryview(data)[64:]
            while rest:
                rest = rest[os.write(write, rest):]
            os._exit(0)
        got = wire.receive(read, time.monotonic() + 30)
        os.waitpid(pid, 0)
    finally:
        os.close(read), os.close(write)
    np.testing.assert_array_equal(got["result"][0], big)
    np.testing.assert_array_equal(got["result"][1], np.ones(3))


def test_a_crafted_header_that_tells_the_truth_is_read():
    """The refusals above are of the lie, not of crafted bytes as such."""
    (got,) = _receive_crafted(_crafted(_array_part(4, (2, 3), np.arange(6, dtype="<i8").tobytes())))
    np.testing.assert_array_equal(got, np.arange(6).reshape(2, 3))


@pytest.mark.parametrize("scalar", [["s", 1.0, -1], ["s", 1.0, True], ["s", [1.0, 2.0], 11], ["s", 1.0, "<f8"]])
def test_a_scalar_outside_the_table_is_refused(scalar):
    header = json.dumps(scalar).encode()
    with pytest.raises(wire.ProtocolError):
        _receive_crafted(struct.pack("<IQ", 1, len(header)) + header)


@pytest.mark.parametrize("said, counted", [
    ([2.5, 1.5], (2.5, 1.5)),
    ([1.0, 2.0], (1.0, 1.0)),
    ([float("nan"), float("inf")], (0.0, 0.0)),
    ([-5, 3], (0.0, 0.0)),
    ([2**2000, 1e300], (600.0, 600.0)),
    ([True, 1], (0.0, 0.0)),
    ([1.0, 2.0, 3.0], (0.0, 0.0)),
    ("600", (0.0, 0.0)),
], ids=["honest", "more in learner code than in all", "not finite", "negative", "huge", "a bool", "three", "a text"])
def test_a_cpu_report_counts_only_what_one_process_could_have_used(said, counted):
    assert replies.cpu({"sequence": 1, "cpu": said}, 600) == counted


LYING = CORRECT + """
import resource, types
resource.getrusage = lambda who: types.SimpleNamespace(ru_utime=1e300, ru_stime=1e300)
"""


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("source", [CORRECT, LYING], ids=["honest", "lying"])
def test_the_grader_adds_up_what_its_learner_processes_say_they_used(tmp_path, mode, source):
    """An honest child's CPU, and the part of it in the learner's functions, reach the
    submission's and the run's counts; a child that says 1e300 s counts its CPU limit once
    and its results stay what they are."""
    if mode == "namespaces" and not namespaces_available():
        pytest.skip("this machine builds no namespaces")
    (tmp_path / "layers.py").write_text(source)
    run_before = reported_cpu()
    learner = SandboxedLearner(tmp_path, 2, 512, isolation=mode)
    try:
        for _ in range(3):
            out = learner.call("relu_forward", {"x": np.array([-1.0, 2.0])}, ("out", "cache"))["out"]
            np.testing.assert_array_equal(out, [0.0, 2.0])
    finally:
        learner.close()
    assert 0 < learner.learner_cpu <= learner.children_cpu
    assert learner.children_cpu == CPU_LIMIT if source is LYING else learner.children_cpu < 10
    run_after = reported_cpu()
    assert (run_after[0] - run_before[0], run_after[1] - run_before[1]) == pytest.approx(
        (learner.children_cpu, learner.learner_cpu))
