"""The grading trust boundary: every attack of tests/hostile/boundary.py graded beside a
correct and a buggy submission in one `backprop-dojo grade` run per isolation mode, each
contained, costing only the exercises it hit; the run completes, the correct and the buggy
grades stay what they are, no file lands outside the output folder and no process is left.
Then the mechanisms one by one: isolation choice, the wire's limits, the time budget, a
killed grader, and the output helpers the grader calls."""

import fcntl
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid

import numpy as np
import pytest

from backprop_dojo.cli import main
from backprop_dojo.exercises import EXERCISES
from backprop_dojo.grading import output_safety, replies, wire
from backprop_dojo.grading.copying import copy_submission
from backprop_dojo.grading.sandbox import SandboxedLearner, choose_isolation, namespaces_available
from backprop_dojo.learner import LearnerCrash, LearnerError, LearnerTimeout, load
from backprop_dojo.run_config import RunConfig
from backprop_dojo import verdict
from tests.harness import noting_requests
from tests.hostile import CORRECT, ROOT, boundary

MODES = ["namespaces", "process"]
RUBRIC = """
[grading]
examples = 4
only = ["relu_forward", "relu_backward", "affine_forward", "affine_backward", "batchnorm_forward"]
[exercises.relu_backward]
weight = 2
"""
FULL, RELU = 6.0, 3.0  # every point; relu_forward and relu_backward, which needs its cache
needs_namespaces = pytest.mark.skipif(not namespaces_available(), reason="this machine builds no namespaces")
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="process isolation changes uid only as root")


def _listing(folder):
    return sorted((str(path), path.lstat().st_size, path.lstat().st_mtime_ns) for path in boundary.walk(folder))


def _processes(marker):
    return subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout.split()


def _within(seconds, condition) -> bool:
    """Whether condition() held once within `seconds`, asked every 0.05 s."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture(scope="session", params=MODES)
def run(request, tmp_path_factory):
    """One CLI run over the whole boundary corpus in one isolation mode, two at a time;
    shared by the xdist workers through a lock. Returns what the checks below need."""
    mode = request.param
    if mode == "namespaces" and not namespaces_available():
        pytest.skip("this machine builds no namespaces")
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    base = shared / f"boundary-{mode}"
    with (shared / f"boundary-{mode}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (base / "facts.json").exists():
            _grade(base, mode)
    facts = json.loads((base / "facts.json").read_text())
    results = {path.parent.name: json.loads(path.read_text()) for path in (base / "out").glob("*/results.json")}
    return mode, base, facts, results


def _grade(base, mode):
    marker = f"dojo-marker-{uuid.uuid4().hex[:12]}"
    submissions, out, temporary, cwd, sockets = (base / name for name in ("submissions", "out", "tmp", "cwd", "sockets"))
    for folder in (temporary, cwd, sockets):
        folder.mkdir(parents=True)
    secret = base / "secret.txt"
    secret.write_text(f"TOPSECRET-{marker}\n")
    secret.chmod(0o600)
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(sockets / "grader.sock"))
    listener.listen()
    folders = boundary.write(submissions, out, marker, secret, temporary)
    (base / "rubric.toml").write_text(RUBRIC)
    before = _listing(submissions)
    saved, previous = tempfile.tempdir, os.getcwd()
    tempfile.tempdir = str(temporary)  # the grader's TMPDIR, inherited by its workers
    os.chdir(cwd)
    started = time.monotonic()
    try:
        code = main(["grade", *map(str, folders), "--out", str(out), "--rubric", str(base / "rubric.toml"),
                     "--jobs", "2", "--timeout", "1", "--memory", "512", "--isolation", mode])
    finally:
        tempfile.tempdir = saved
        os.chdir(previous)
        listener.close()
    seconds = time.monotonic() - started
    time.sleep(1.5)  # the daemon would rewrite its results.json by now
    shared = [place for place in ("/tmp", "/dev/shm", "/var/tmp") if os.path.exists(f"{place}/canary-{marker}")]
    for place in shared:
        os.unlink(f"{place}/canary-{marker}")
    facts = {
        "code": code, "seconds": seconds, "marker": marker, "folders": [folder.name for folder in folders],
        "submissions_unchanged": _listing(submissions) == before,
        "temporary_left": sorted(os.listdir(temporary)), "cwd_left": sorted(os.listdir(cwd)),
        "processes_left": _processes(marker), "canaries_in_shared_places": shared,
        "pwned": [str(path) for path in boundary.walk(base.parent) if path.name == f"pwned-{marker}"],
    }
    (base / "facts.json").write_text(json.dumps(facts))


def outcome(results, submission, exercise):
    (found,) = [test for test in results[submission]["tests"] if test["name"] == exercise]
    return found




@pytest.mark.slow
def test_the_run_completes_with_every_submission_graded(run):
    _, base, facts, results = run
    assert facts["code"] == 0
    assert sorted(facts["folders"]) == sorted(name for name in results)
    assert {path.name for path in (base / "out").iterdir()} - {"summary.csv", "manifest.json"} == set(results)


@pytest.mark.slow
def test_the_correct_and_the_buggy_grades_are_intact(run):
    _, _, _, results = run
    assert results["correct"]["score"] == FULL
    assert results["buggy"]["score"] == FULL - 2
    assert outcome(results, "buggy", "relu_backward")["status"] == "failed"


@pytest.mark.slow
def test_nothing_is_written_outside_the_output_folder_and_no_process_is_left(run):
    mode, _, facts, _ = run
    assert facts["submissions_unchanged"]
    assert facts["temporary_left"] == [] and facts["cwd_left"] == []
    assert facts["processes_left"] == []
    assert facts["pwned"] == []
    # a private /tmp and /dev/shm in namespaces; process isolation shares the machine's, and says so
    assert facts["canaries_in_shared_places"] == ([] if mode == "namespaces" else ["/tmp", "/dev/shm", "/var/tmp"])


PROBES = {  # the attack, and what it may reach: its own private /tmp and /dev/shm at most
    "owns_the_grader": {"namespaces": [], "process": []},
    "kills_its_parent": {"namespaces": [], "process": []},
    "writes_everywhere": {"namespaces": ["/dev/shm", "/tmp"], "process": ["/dev/shm", "/tmp", "/var/tmp"]},
}


@pytest.mark.slow
def test_a_child_cannot_write_another_childs_copy_or_reach_a_socket(run):
    """5: in namespaces no other child's copy, socket or process is in view; in process
    mode, where it may read what the grader reads (as its warning says), it still writes
    none and connects to none."""
    mode, _, _, results = run
    got = boundary.reached(outcome(results, "peeks_at_others", "relu_forward")["output"])
    if mode == "namespaces":
        assert got == []
    else:
        assert "processes" in got and not [item for item in got if item.startswith(("a:", "socket:"))]


@pytest.mark.slow
@pytest.mark.parametrize("attack", sorted(PROBES))
def test_a_probe_reaches_nothing_of_the_grader_or_the_other_children(run, attack):
    """1 and 5: no memory, environment, pipe or signal of the grader, no other child's copy,
    no socket, no other process (but command lines in process mode, as its warning says)."""
    mode, _, _, results = run
    assert boundary.reached(outcome(results, attack, "relu_forward")["output"]) == PROBES[attack][mode]
    assert results[attack]["score"] == FULL - RELU
    assert outcome(results, attack, "affine_backward")["status"] == "passed"


@pytest.mark.slow
def test_the_import_block_is_not_one_line_deep(run):
    """6: with the finder removed, torch, the harness and the reference are not on the path;
    in namespaces not in the file system at all."""
    mode, _, _, results = run
    got = boundary.reached(outcome(results, "removes_the_finder", "relu_forward")["output"])
    if mode == "namespaces":
        assert got == []
    else:
        assert got and all(item.startswith("by absolute path: ") for item in got)
    assert outcome(results, "removes_the_finder", "affine_forward")["status"] == "passed"


ATTACKS = [  # (submission, the exercise it hit, what its output says, its score)
    ("hello_is_one", "affine_forward", "broke the protocol (the first message is not a table)", 0),
    ("hello_errors_as_list", "affine_forward", "broke the protocol (import_errors is not a table of names)", 0),
    ("reply_nested_too_deep", "relu_forward", "broke the protocol (not a message (RecursionError", FULL - RELU),
    ("memmap_answer", "relu_forward", "forward: passed", FULL),
    ("momentum_one", "batchnorm_forward", "bn_param['running_mean'] after train call 1", FULL - 1),
    ("huge_exception_name", "relu_forward", "raised EEEE", FULL - RELU),
    ("forges_a_huge_error", "relu_forward", "broke the protocol (a reply to another request)", FULL - RELU),
    ("parts_past_the_limit_together", "relu_forward", "broke the protocol (a message larger than 256 MB)", FULL - RELU),
    ("floods_progress_marks", "relu_forward", "broke the protocol (a message of 0 parts)", FULL - RELU),
    ("outlives_the_grader", "relu_forward", "forward: passed", FULL),
    ('quote"d', "relu_forward", "forward: passed", FULL),
    ("=2+5+cmd|calc!A0", "relu_forward", "forward: passed", FULL),
    ("links_to_reference", "relu_backward", "dx is wrong", FULL - 2),
    ("links_to_another_submission", "relu_backward", "dx is wrong", FULL - 2),
    ("links_to_a_secret", "relu_forward", "forward: passed", FULL),
    ("links_to_dev_zero", "relu_forward", "forward: passed", FULL),
    ("fifo", "relu_forward", "forward: passed", FULL),
    ("too_many_files", "affine_forward", "the submission cannot be graded: more than 64 MB or 2000 files of code", 0),
]


@pytest.mark.slow
@pytest.mark.parametrize("submission, exercise, says, score", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_an_attack_costs_exactly_the_exercises_it_hit(run, submission, exercise, says, score):
    _, _, _, results = run
    assert says in outcome(results, submission, exercise)["output"]
    assert results[submission]["score"] == score


@pytest.mark.slow
def test_folder_names_never_reach_a_shell(run):
    """2: a folder named inj$(touch ...) runs nothing, one with a quote is graded like any."""
    _, _, facts, results = run
    (injected,) = [name for name in results if name.startswith("inj$(")]
    assert results[injected]["score"] == FULL and facts["pwned"] == []


LEFT_OUT = [
    ("links_to_reference", "aaa.py", "a symbolic link to a file outside the submission"),
    ("links_to_another_submission", "aaa.py", "a symbolic link to a file outside the submission"),
    ("links_to_a_secret", "secret.py", "a symbolic link to a file outside the submission"),
    ("links_to_dev_zero", "zero.py", "a symbolic link to a file outside the submission"),
    ("fifo", "stuck.py", "not a regular file"),
]


@pytest.mark.slow
@pytest.mark.parametrize("submission, file, why", LEFT_OUT, ids=[a[0] for a in LEFT_OUT])
def test_a_file_the_copy_refuses_is_named_in_the_output(run, submission, file, why):
    """4 and 3: links out of the folder, FIFOs, huge files and deep trees are left out of the
    trusted copy, each named with why; nothing they point to reaches results.json."""
    _, base, facts, results = run
    lines = [line for line in results[submission]["output"].splitlines() if why in line]
    assert lines and file in lines[0]
    text = (base / "out" / submission / "results.json").read_text()
    assert f"TOPSECRET-{facts['marker']}" not in text


@pytest.mark.slow
def test_output_stays_small_whatever_the_child_says(run):
    """9: a 20 MB exception type name, a forged 10 MB error: results.json stays small."""
    _, base, _, _ = run
    for name in ("huge_exception_name", "forges_a_huge_error"):
        assert (base / "out" / name / "results.json").stat().st_size < 100_000


@pytest.mark.slow
def test_a_daemon_neither_outlives_the_grader_nor_rewrites_its_results(run):
    """8 and 1: it cleared its parent-death signal and started its own session."""
    _, _, facts, results = run
    assert facts["processes_left"] == []
    assert results["outlives_the_grader"]["score"] == FULL and results["outlives_the_grader"]["tests"]


@pytest.fixture(scope="module")
def deep_and_sparse(tmp_path_factory):
    submissions = tmp_path_factory.mktemp("deep-and-sparse")
    yield boundary.write_deep_and_sparse(submissions)
    boundary.remove_deep_tree(submissions)


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_a_deep_tree_and_a_sparse_file_cost_the_sandbox_nothing(deep_and_sparse, mode):
    """3 and 4: the trusted copy walks iteratively and reads no file over its limit: each is
    named and left out, and the submission's exercises pass."""
    if mode == "namespaces" and not namespaces_available():
        pytest.skip("this machine builds no namespaces")
    for folder, file, why in zip(deep_and_sparse, ("d/d/d", "huge.py"), ("nested deeper than 24", "larger than 16 MB")):
        started = time.monotonic()
        learner = SandboxedLearner(folder, 1, 512, isolation=mode)
        try:
            assert time.monotonic() - started < 5
            (left_out,) = [key for key, text in learner.import_errors.items() if why in text]
            assert left_out.startswith(file)
            assert learner.call("relu_forward", {"x": __import__("numpy").ones(3)}, ("out", "cache"))["out"].sum() == 3
        finally:
            learner.close()


@pytest.mark.slow
def test_a_deep_tree_and_a_sparse_file_do_not_discard_the_run(deep_and_sparse, tmp_path):
    out = tmp_path / "out"
    assert main(["grade", *map(str, deep_and_sparse), "--out", str(out), "--timeout", "1", "--memory", "512"]) == 0
    assert all((out / folder.name / "results.json").exists() for folder in deep_and_sparse)


def test_auto_never_falls_back_silently_without_unshare(monkeypatch):
    """1: without unshare, auto is an error naming --isolation process; process is allowed
    only by name, with a warning of what it does not protect."""
    monkeypatch.setenv("PATH", "/nonexistent")
    namespaces_available.cache_clear()
    try:
        with pytest.raises(ValueError, match="pass --isolation process"):
            choose_isolation("auto")
    finally:
        monkeypatch.undo()
        namespaces_available.cache_clear()
    mode, warning = choose_isolation("process")
    assert mode == "process" and "could read every file the grader can read" in warning


@needs_namespaces
def test_auto_means_namespaces_here():
    assert choose_isolation("auto") == ("namespaces", None)


def test_the_wire_refuses_a_message_over_its_limit_before_reading_it():
    """9: the size is checked from the part's length prefix; the 300 MB are never read."""
    read, write = os.pipe()
    os.write(write, b"\x02\x00\x00\x00" + (5).to_bytes(8, "little") + b'{"a":' + (300 * 2**20).to_bytes(8, "little"))
    with pytest.raises(wire.ProtocolError, match="larger than 256 MB"):
        wire.receive(read, time.monotonic() + 1)
    os.close(read), os.close(write)


def test_a_correctly_numbered_huge_error_is_clipped_by_the_grader():
    error = {"type": "T" * 5_000_000, "message": "M" * 5_000_000, "traceback": ""}
    checked = replies.reply({"sequence": 3, "error": error}, 3)["error"]
    assert len(checked["type"]) < 300 and len(checked["message"]) < 5000
    assert "more characters cut by the grader" in checked["message"]


SLEEPY = CORRECT + """
import time
_relu_forward = relu_forward

def relu_forward(x):
    time.sleep(0.4)
    return _relu_forward(x)
"""


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_a_time_budget_fails_every_call_once_used_up(tmp_path, mode):
    """9: a correct submission that sleeps 0.4 of its 1 s timeout in every call holds the
    grader only for its budget; then every call fails at once."""
    if mode == "namespaces" and not namespaces_available():
        pytest.skip("this machine builds no namespaces")
    (tmp_path / "layers.py").write_text(SLEEPY)
    learner = SandboxedLearner(tmp_path, 1, 512, isolation=mode, budget=2.0)
    x = __import__("numpy").ones(3)
    try:
        with pytest.raises(LearnerCrash, match="time budget of 2 s used up"):
            for _ in range(20):
                learner.call("relu_forward", {"x": x}, ("out", "cache"))
        started = time.monotonic()
        with pytest.raises(LearnerCrash, match="time budget of 2 s used up"):
            learner.call("affine_forward", {"x": x.reshape(1, 3), "w": x.reshape(3, 1), "b": x[:1]}, ("out", "cache"))
        assert time.monotonic() - started < 0.1
    finally:
        learner.close()


KILLED_GRADER = """
import sys, time
from backprop_dojo.grading.sandbox import SandboxedLearner
learner = SandboxedLearner(sys.argv[1], 1, 512, isolation="namespaces")
print("started", flush=True)
time.sleep(600)
"""


@pytest.mark.slow
@needs_namespaces
def test_a_killed_grader_takes_the_whole_namespace_with_it(tmp_path):
    """8: the grader is SIGKILLed while its learner's daemon (no parent-death signal, its own
    session) runs: unshare dies of its parent-death signal, PID 1 with it, then the namespace."""
    marker = f"dojo-marker-{uuid.uuid4().hex[:12]}"
    source = boundary.ATTACKS["outlives_the_grader"].replace("@DAEMON@", boundary.DAEMON)
    for folder in ("submission", "tmp"):  # tmp: where the learner's folders stay, a killed grader cleans nothing
        (tmp_path / folder).mkdir()
    (tmp_path / "submission" / "layers.py").write_text(CORRECT + source.replace("@OUT@", str(tmp_path)).replace("@MARKER@", marker))
    grader = subprocess.Popen([sys.executable, "-c", KILLED_GRADER, str(tmp_path / "submission")], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True, env=os.environ | {"TMPDIR": str(tmp_path / "tmp")})
    grader.stdout.readline()
    # the daemon is running (polled: pgrep misses it when it reads /proc while the daemon
    # detaches, forking and ending its first process)
    assert _within(5, lambda: _processes(marker))
    grader.kill()
    grader.wait()
    _within(5, lambda: _processes(marker) == [])  # a wait: the assertion is a fresh look after it
    assert _processes(marker) == []


@pytest.mark.parametrize("mode", MODES)
def test_a_dict_argument_mirrors_back_only_the_keys_a_spec_writes(tmp_path, mode):
    """7: the oracle's inputs stay the grader's: a learner's momentum never comes back."""
    if mode == "namespaces" and not namespaces_available():
        pytest.skip("this machine builds no namespaces")
    (tmp_path / "layers.py").write_text(CORRECT + boundary.ATTACKS["momentum_one"])
    learner = SandboxedLearner(tmp_path, 2, 512, isolation=mode)
    numpy = __import__("numpy")
    bn_param = {"mode": "train", "momentum": 0.9}
    try:
        learner.call("batchnorm_forward", {"x": numpy.ones((4, 2)), "gamma": numpy.ones(2), "beta": numpy.zeros(2),
                                           "bn_param": bn_param}, ("out", "cache"))
    finally:
        learner.close()
    assert bn_param["momentum"] == 0.9 and set(bn_param) == {"mode", "momentum", "running_mean", "running_var"}


def test_a_link_inside_the_submission_is_copied_as_the_file_it_names(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "layers.py").write_text("x = 1\n")
    (tmp_path / "src" / "alias.py").symlink_to("layers.py")
    (tmp_path / "src" / "data.fifo").touch()
    assert copy_submission(tmp_path / "src", tmp_path / "copy") == {}
    assert not (tmp_path / "copy" / "alias.py").is_symlink() and (tmp_path / "copy" / "alias.py").read_text() == "x = 1\n"
    assert sorted(path.name for path in (tmp_path / "copy").iterdir()) == ["alias.py", "layers.py"]


def test_cells_that_a_spreadsheet_would_evaluate_are_quoted():
    """10: a folder named =2+5+cmd|... is text in summary.csv."""
    assert [output_safety.safe_cell(text) for text in ("=2+5+cmd|calc!A0", "+1", "-1", "@SUM(A1)", "alice", 3.0)] == [
        "'=2+5+cmd|calc!A0", "'+1", "'-1", "'@SUM(A1)", "alice", 3.0]
    assert output_safety.safe_folder_name("summary.csv") == "submission-summary.csv"
    assert output_safety.safe_folder_name(".lock") == "submission-.lock"
    assert output_safety.safe_folder_name("alice") == "alice"


FULL_DISK = """
import subprocess, sys
from pathlib import Path
from backprop_dojo.grading.output_safety import write_atomically
folder = Path(sys.argv[1])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "none", str(folder)], check=True)
(folder / "results.json").write_text("old")
try:
    write_atomically(folder / "results.json", "x" * 2**20)
except OSError as error:
    print(error.strerror)
print((folder / "results.json").read_text(), sorted(path.name for path in folder.iterdir()))
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="mounts a small tmpfs in a mount namespace of its own")
def test_a_full_disk_leaves_the_old_results_whole(tmp_path):
    """10: ENOSPC while writing results.json leaves the previous file, not 0 bytes."""
    done = subprocess.run(["unshare", "--mount", sys.executable, "-c", FULL_DISK, str(tmp_path)], capture_output=True,
                          text=True, cwd=ROOT)
    assert done.stdout.splitlines() == ["No space left on device", "old ['results.json']"], done.stderr


LOCKER = """
import sys, time
from backprop_dojo.grading.output_safety import lock_output
with lock_output(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(600)
"""


def test_a_second_run_into_the_same_out_fails_at_once(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", LOCKER, str(tmp_path / "out")], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        with pytest.raises(RuntimeError, match="another grading run is writing there"):
            with output_safety.lock_output(tmp_path / "out"):
                pass
    finally:
        holder.kill()
        holder.wait()
    with output_safety.lock_output(tmp_path / "out"):  # free again once that run is gone
        assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.slow
def test_summary_csv_carries_no_formula(run):
    _, base, _, _ = run
    assert "'=2+5+cmd|calc!A0" in (base / "out" / "summary.csv").read_text()


@pytest.mark.slow
def test_process_isolation_says_what_it_does_not_protect_in_every_results_json(run):
    mode, _, _, results = run
    if mode == "namespaces":
        pytest.xfail("nothing to say in namespaces")
    assert all("isolation: process only" in result["output"] for result in results.values())


@pytest.mark.slow
def test_a_submission_named_summary_csv_loses_no_run(tmp_path):
    folder = tmp_path / "submissions" / "summary.csv"
    folder.mkdir(parents=True)
    (folder / "layers.py").write_text(CORRECT)
    assert main(["grade", str(folder), "--out", str(tmp_path / "out"), "--timeout", "1"]) == 0
    assert (tmp_path / "out" / "summary.csv").is_file()


@pytest.mark.parametrize("mode", MODES)
def test_a_source_is_asked_for_when_a_check_reads_it_and_is_the_one_read_in_process(tmp_path, mode):
    """The learner's process says a function's source only when asked (the loop count, a
    TODO block left empty): the same text and line as in-process, and a loop it holds fails."""
    if mode == "namespaces" and not namespaces_available():
        pytest.skip("this machine builds no namespaces")
    name = "KNearestNeighbor.compute_distances_no_loops"
    knn = (ROOT / "reference" / "classifiers" / "k_nearest_neighbor.py").read_text()
    (tmp_path / "k_nearest_neighbor.py").write_text(knn.replace("cross = X @ self.X_train.T", "cross = np.array([x @ self.X_train.T for x in X])"))
    learner = SandboxedLearner(tmp_path, 2, 512, isolation=mode)
    try:
        asked = noting_requests(learner, lambda request: (request["operation"], request.get("name")))
        outcomes = verdict.run(EXERCISES[name], learner, RunConfig(examples=2))
        assert learner.source(name) == load(tmp_path).source(name)
        # the loop count and the TODO blocks of the explanation: each function's once
        assert sorted(n for operation, n in asked if operation == "source") == [name, "KNearestNeighbor.train"]
    finally:
        learner.close()
    assert outcomes["forward"].status == "failed" and "1 Python loop(s) (ListComp)" in outcomes["forward"].message


def test_a_source_reply_is_text_and_a_line_or_nothing():
    assert replies.source(["def f(): pass\n", 3], "f") == ("def f(): pass\n", 3)
    assert replies.source(None, "f") is None and replies.source(["x" * (replies.MAX_SOURCE + 1), 1], "f") is None
    for forged in (["def f(): pass\n", "3"], ["def f(): pass\n", True], ["def f(): pass\n"], {"text": ""}):
        with pytest.raises(wire.ProtocolError, match="a malformed source"):
            replies.source(forged, "f")


def test_an_import_error_and_a_traceback_name_the_learners_files_by_their_path_in_the_folder(tmp_path):
    """The grader imports a copy of the folder, named afresh each run: what it says of the
    learner's files is the same in every run and the same as in the learner's own."""
    (tmp_path / "cs231n").mkdir()
    (tmp_path / "cs231n" / "__init__.py").write_text("")
    (tmp_path / "cs231n" / "solver.py").write_text("from cs231n import optim\n")
    (tmp_path / "cs231n" / "layers.py").write_text("def relu_forward(x):\n    raise ValueError('not yet')\n")
    said = "ImportError: cannot import name 'optim' from 'cs231n' (cs231n/__init__.py)"
    assert load(tmp_path).import_errors["cs231n.solver"] == said
    learner = SandboxedLearner(tmp_path, 2, 512, isolation="process")
    try:
        assert learner.import_errors["cs231n.solver"] == said
        with pytest.raises(LearnerError) as raised:
            learner.call("relu_forward", {"x": np.ones(2)}, ("out", "cache"))
    finally:
        learner.close()
    assert 'File "cs231n/layers.py", line 2, in relu_forward' in str(raised.value), str(raised.value)


def test_a_learner_that_takes_over_the_alarm_is_still_timed_out(tmp_path):
    """The learner's process sets its alarm's handler once: code that replaces it, at import
    or in a call, has it set again before its next call, which times out as any other."""
    (tmp_path / "layers.py").write_text(
        "import signal\n"
        "signal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
        "def relu_forward(x):\n"
        "    while True:\n"
        "        pass\n"
        "def relu_backward(dout, cache):\n"
        "    signal.signal(signal.SIGALRM, lambda *args: None)\n"
        "    return dout\n"
    )
    learner = SandboxedLearner(tmp_path, 0.2, 512, isolation="process")
    try:
        for _ in range(2):
            with pytest.raises(LearnerTimeout, match=r"relu_forward did not return within 0.2 s \(an endless loop\?\)"):
                learner.call("relu_forward", {"x": np.ones(2)}, ("out", "cache"))
            learner.call("relu_backward", {"dout": np.ones(2), "cache": None}, ("dx",))
    finally:
        learner.close()
