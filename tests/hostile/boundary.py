"""Attacks on the grading trust boundary, one or more for each way it was broken: owning the
grader, folder names reaching a shell, one submission discarding the run, a copy that follows
links, children seeing each other, a removable import block, learner-controlled oracle input,
a learner outliving the grader, unbounded cost, fragile output.

Each is a correct layers.py with one addition (or a folder built at test time: FIFOs, links,
sparse files, deep trees). An attack that probes reports what it reached by raising
REACHED[...] from relu_forward: the grade's output then says what it got, and `reached()`
reads it back. @OUT@, @SUBMISSIONS@, @REPOSITORY@ and @MARKER@ are filled in per run.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from . import CORRECT, ROOT

DEEP = 1000  # folders: deeper than Python's default recursion limit
BUGGY = CORRECT.replace("dx = dout * (x > 0)", "dx = 1.0 * (x > 0)")
REPORT = """
import os, sys

def _report(reached):
    raise RuntimeError("REACHED[" + ";".join(reached) + "]")
"""
FORGE = """
import os, struct, sys, time

def _forge(header):  # one message with this JSON header, then a wait: nothing this
    # process would send itself (the real hello, a reply) arrives in the same read
    part = header.encode()
    os.write(int(sys.argv[3]), struct.pack("<I", 1) + struct.pack("<Q", len(part)) + part)
    time.sleep(3600)
"""
DAEMON = """
import ctypes, os, sys, time
ctypes.CDLL(None).prctl(1, 0, 0, 0, 0)  # no parent-death signal
if os.fork():
    os._exit(0)
os.setsid()
end = time.time() + 30
while time.time() < end:
    try:
        with open("@OUT@/outlives_the_grader/results.json", "w") as file:
            file.write('{"score": 100.0, "tests": []}')
    except OSError:
        pass
    time.sleep(0.1)
"""

ATTACKS = {
    # 1. the child owns the grader: its memory, environment, pipes, signals
    "owns_the_grader": REPORT + """
def relu_forward(x):
    reached, me = [], os.getpid()
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        pid = int(name)
        for what in ("environ", "mem"):
            try:
                with open(f"/proc/{pid}/{what}", "rb") as file:
                    file.read(1)
                reached.append(f"{what}:{pid}")
            except OSError as error:
                if error.errno == 5:  # opened: mem at offset 0 is not mapped
                    reached.append(f"{what}:{pid}")
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            fds = []
        for fd in fds:
            try:
                os.close(os.open(f"/proc/{pid}/fd/{fd}", os.O_WRONLY | os.O_NONBLOCK))
                reached.append(f"fd:{pid}/{fd}")
            except OSError:
                pass
        try:
            os.kill(pid, 0)
            reached.append(f"signal:{pid}")
        except OSError:
            pass
    _report(reached)
""",
    "kills_its_parent": REPORT + """
import signal

def relu_forward(x):
    reached = []
    for target in {os.getppid(), 1}:
        try:
            os.kill(target, signal.SIGKILL)
            reached.append(f"killed:{target}")
        except OSError:
            pass
    _report(reached)
""",
    # 3. a malformed hello, a reply nested too deep for the grader's JSON parser
    "hello_is_one": FORGE + """
_forge('1')
""",
    "hello_errors_as_list": FORGE + """
_forge('["d", "functions", ["d"], "import_errors", ["l"], "unimportable", ["d"], "notes", ["l"]]')
""",
    "reply_nested_too_deep": FORGE + """
def relu_forward(x):
    _forge('["l", ' * 100000 + '0' + ']' * 100000)
""",
    # 5. and 10. writing anywhere but its own work folder; a relative path there is legal
    "writes_everywhere": REPORT + """
def relu_forward(x):
    reached = []
    places = ["@OUT@", "@OUT@/writes_everywhere", "@SUBMISSIONS@", "@SUBMISSIONS@/correct", "@REPOSITORY@", "..",
              "/", "/dev", "/dev/shm", "/tmp", "/var/tmp", os.path.dirname(os.path.abspath(__file__))]
    for place in places:
        canary = os.path.join(place, "canary-@MARKER@")
        try:
            with open(canary, "w") as file:
                file.write("written")
            reached.append(place)
        except OSError:
            pass
    _report(reached)
""",
    "memmap_answer": """
def relu_forward(x):
    out = np.memmap("answer.dat", dtype=x.dtype, mode="w+", shape=x.shape)
    out[...] = np.maximum(x, 0)
    return np.array(out), x
""",
    # 5. other children's copies, the grader's unix sockets, other processes
    "peeks_at_others": REPORT + """
import glob, socket

def relu_forward(x):
    reached, reads, mine = [], 0, os.path.dirname(os.path.abspath(__file__))
    for pattern in ("/tmp/dojo-*/**/layers.py", "@TMP@/dojo-*/**/layers.py"):
        for path in glob.glob(pattern, recursive=True):
            if path.startswith(mine):
                continue
            try:
                open(path, "r").close()
                reads += 1  # counted: the copies of other runs on the machine are too many to list
            except OSError:
                pass
            try:
                open(path, "a").close()
                reached.append(f"a:{path}")
            except OSError:
                pass
    if reads:
        reached.append(f"reads:{reads}")
    for path in glob.glob("@SUBMISSIONS@/../sockets/*") + glob.glob("/run/**/*.sock", recursive=True):
        try:
            socket.socket(socket.AF_UNIX).connect(path)
            reached.append(f"socket:{path}")
        except OSError:
            pass
    others = [pid for pid in os.listdir("/proc") if pid.isdigit() and int(pid) not in (1, os.getpid())]
    if others:
        reached.append("processes")
    _report(reached)
""",
    # 6. the import block removed
    "removes_the_finder": REPORT + """
import importlib.util

def relu_forward(x):
    sys.meta_path[:] = [finder for finder in sys.meta_path if getattr(finder, "__name__", "") != "Blocked"]
    reached = []
    for name in ("torch", "reference", "backprop_dojo", "hypothesis"):
        try:
            if importlib.util.find_spec(name) is not None:
                reached.append(name)
        except Exception:
            pass
    saved = list(sys.path)
    sys.path += [os.path.dirname(os.path.realpath(np.__path__[0])), "@REPOSITORY@"]
    for name in ("torch", "reference", "backprop_dojo"):
        try:
            if name not in reached and importlib.util.find_spec(name) is not None:
                reached.append("by absolute path: " + name)
        except Exception:
            pass
    sys.path[:] = saved  # the next call probes afresh
    _report(reached)
""",
    # 7. the oracle's momentum taken from the learner's bn_param
    "momentum_one": """
_batchnorm_forward = batchnorm_forward

def batchnorm_forward(x, gamma, beta, bn_param):
    before = {key: np.array(bn_param.get(key, np.zeros(x.shape[1]))) for key in ("running_mean", "running_var")}
    out, cache = _batchnorm_forward(x, gamma, beta, bn_param)
    bn_param.update(before)  # never updated...
    bn_param["momentum"] = 1.0  # ...which a momentum of 1 would explain
    return out, cache
""",
    # 8. and 1. a daemon that clears its parent-death signal, starts its own session and
    # rewrites its results.json after the grader is done
    "outlives_the_grader": """
import subprocess, sys
subprocess.Popen([sys.executable, "-c", '''@DAEMON@''', "@MARKER@"], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
""",
    # 9. unbounded cost: a 20 MB exception type name, a reply of many 130 MiB parts
    "huge_exception_name": """
def relu_forward(x):
    raise type("E" * 20_000_000, (Exception,), {})("M" * 20_000_000)
""",
    "forges_a_huge_error": FORGE + """
def relu_forward(x):
    _forge('["d", "error", ["d", "type", "' + "T" * 5_000_000 + '", "message", "' + "M" * 5_000_000
           + '", "traceback", ""]]')
""",
    # each part within the limit, the parts together past it: refused when the second is announced,
    # before it is read (a first part of 130 MB took the grader over its 2 s to read on a busy machine)
    "parts_past_the_limit_together": """
import os, struct, sys, time

def relu_forward(x):
    replies, first = int(sys.argv[3]), b"\\0" * 2**20
    header = b'null'
    os.write(replies, struct.pack("<I", 3) + struct.pack("<Q", len(header)) + header + struct.pack("<Q", len(first)))
    view = memoryview(first)
    while view:
        view = view[os.write(replies, view):]
    os.write(replies, struct.pack("<Q", 256 * 2**20))  # with the first, past 256 MB
    time.sleep(30)
""",
    # progress marks (a count of 0 parts) that would keep the grader waiting: more than a request has steps
    "floods_progress_marks": """
import os, sys

def relu_forward(x):
    os.write(int(sys.argv[3]), b"\\0" * 4 * 1000)
    return np.maximum(x, 0), x
""",
}


def write(submissions: Path, out: Path, marker: str, secret: Path, temporary: Path) -> list[Path]:
    """Every attack above and every folder attack below, with a correct and a buggy
    submission, under `submissions`. `secret` is a root-only file outside them, `temporary`
    the grader's TMPDIR."""
    paths = {"@OUT@": str(out), "@SUBMISSIONS@": str(submissions), "@REPOSITORY@": str(ROOT), "@MARKER@": marker,
             "@TMP@": str(temporary)}
    sources = {"correct": CORRECT, "buggy": BUGGY,
               # 2. folder names that once reached a shell; 10. one a spreadsheet would evaluate
               "inj$(touch pwned-" + marker + ")": CORRECT, 'quote"d': CORRECT, "=2+5+cmd|calc!A0": CORRECT}
    for name, attack in ATTACKS.items():
        attack = attack.replace("@DAEMON@", DAEMON)
        for placeholder, value in paths.items():
            attack = attack.replace(placeholder, value)
        sources[name] = CORRECT + attack
    sources |= {name: BUGGY for name in ("links_to_reference", "links_to_another_submission")}
    sources |= {name: CORRECT for name in ("links_to_a_secret", "links_to_dev_zero", "fifo", "too_many_files")}
    for name, source in sources.items():
        (submissions / name).mkdir(parents=True)
        (submissions / name / "layers.py").write_text(source)
    _folder_attacks(submissions, secret)
    return [submissions / name for name in sources]


def _folder_attacks(submissions: Path, secret: Path) -> None:
    # 4. the copy followed links: to the answer key, to another submission, to a secret
    (submissions / "links_to_reference" / "aaa.py").symlink_to(ROOT / "reference" / "layers.py")
    (submissions / "links_to_another_submission" / "aaa.py").symlink_to(submissions / "correct" / "layers.py")
    (submissions / "links_to_a_secret" / "secret.py").symlink_to(secret)
    # 3. a link to an endless file, a FIFO, a tree deeper than the recursion limit
    (submissions / "links_to_dev_zero" / "zero.py").symlink_to("/dev/zero")
    os.mkfifo(submissions / "fifo" / "stuck.py")
    # 4. no limit on count
    for number in range(2001):
        (submissions / "too_many_files" / f"m{number}.py").write_text("")


def write_deep_and_sparse(submissions: Path) -> list[Path]:
    """3 and 4: a correct submission beside a tree 1000 folders deep, and one beside a
    sparse 3 GiB huge.py."""
    deep = submissions / "nested_1000_deep"
    sparse = submissions / "sparse_3_gib"
    for folder in (deep, sparse):
        folder.mkdir(parents=True)
        (folder / "layers.py").write_text(CORRECT)
    for _ in range(DEEP):  # one level at a time: os.makedirs itself recurses
        deep = deep / "d"
        deep.mkdir()
    (deep / "bottom.py").write_text("x = 1\n")
    with (sparse / "huge.py").open("wb") as file:
        file.truncate(3 * 2**30)
    return [submissions / "nested_1000_deep", sparse]


def walk(folder: Path):
    """Every path below `folder`, without recursion (rglob and os.walk recurse)."""
    pending = [folder]
    while pending:
        for entry in os.scandir(pending.pop()):
            yield Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))


def remove_deep_tree(submissions: Path) -> None:
    """Remove the 1000-level tree bottom up (shutil.rmtree recurses too)."""
    levels = [submissions / "nested_1000_deep"]
    for _ in range(DEEP):
        levels.append(levels[-1] / "d")
    (levels[-1] / "bottom.py").unlink()
    for level in reversed(levels[1:]):
        level.rmdir()


def reached(output: str) -> list[str]:
    """What a probing attack reported it reached, from its exercise's output."""
    found = re.search(r'REACHED\[([^\]"]*)\]', output)  # not the raise's source line in the traceback
    assert found, f"the attack did not report: {output[:500]}"
    return [item for item in found.group(1).split(";") if item]
