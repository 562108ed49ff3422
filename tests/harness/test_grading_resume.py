"""Nothing is lost: results are written as each submission is graded; SIGINT stops the run
within seconds with no learner process or folder left, keeping what is done; a rerun grades
only the rest (or a changed submission, or all with --force); summary.csv holds the folders
given; merge refuses a missing, doubled, overlapping or incomplete shard."""

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from backprop_dojo.cli import main
from tests.hostile import CORRECT, ROOT

RUBRIC = "[grading]\nexamples = 2\nonly = ['relu_forward', 'affine_forward']\n"
SLOW = CORRECT + "\nimport time\n_relu = relu_forward\n\ndef relu_forward(x):\n    time.sleep(0.1)\n    return _relu(x)\n"
MARK = "9.87654"  # the --timeout: every learner process of the run has it in its command line


def write(folder: Path, names, source: str = CORRECT) -> list[str]:
    for name in names:
        (folder / name).mkdir(parents=True, exist_ok=True)
        (folder / name / "layers.py").write_text(source)
    (folder / "rubric.toml").write_text(RUBRIC)
    return [str(folder / name) for name in names]


def grade(tmp_path, folders, out="out", *extra) -> int:
    return main(["grade", *folders, "--out", str(tmp_path / out), "--rubric", str(tmp_path / "rubric.toml"), *extra])


def results(out: Path) -> dict:
    return {path.parent.name: json.loads(path.read_text()) for path in out.glob("*/results.json")}


def test_a_rerun_keeps_what_is_valid_and_regrades_what_changed(tmp_path):
    folders = write(tmp_path, ["alice", "bob"])
    alice = tmp_path / "out" / "alice" / "results.json"
    assert grade(tmp_path, folders) == 0
    first, written = results(tmp_path / "out"), alice.stat().st_mtime_ns
    (tmp_path / "bob" / "layers.py").write_text(CORRECT.replace("dx = dout * (x > 0)", "dx = 1.0 * (x > 0)") + "\n")
    assert grade(tmp_path, folders) == 0
    second = results(tmp_path / "out")
    assert alice.stat().st_mtime_ns == written and second["alice"] == first["alice"]
    assert second["bob"]["extra_data"]["graded_from"] != first["bob"]["extra_data"]["graded_from"]
    assert grade(tmp_path, folders, "out", "--force") == 0
    assert alice.stat().st_mtime_ns != written
    assert not list((tmp_path / "out").glob("**/*.partial"))
    assert grade(tmp_path, folders[:1]) == 0  # the summary holds exactly the folders given
    assert [row.split(",")[0] for row in (tmp_path / "out" / "summary.csv").read_text().splitlines()] == ["submission", "alice"]


@pytest.fixture(scope="module")
def shards(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("shards")
    folders = write(tmp_path, ["alice", "bob", "carol"])
    for index in (1, 2):
        assert grade(tmp_path, folders, f"shard{index}", "--shard", f"{index}/2") == 0
    return tmp_path


def merge(*shards: Path, out: Path) -> tuple[int, str]:
    """`backprop-dojo merge`'s exit status and what it said on stderr."""
    with pytest.MonkeyPatch.context() as patch:
        said = io.StringIO()
        patch.setattr(sys, "stderr", said)
        try:
            code = main(["merge", *map(str, shards), "--out", str(out)])
        except SystemExit as stopped:
            code = stopped.code
    return code, said.getvalue()


def test_merge_joins_every_shard_of_a_run(shards):
    assert merge(shards / "shard1", shards / "shard2", out=shards / "merged")[0] == 0
    assert sorted(results(shards / "merged")) == ["alice", "bob", "carol"]


@pytest.mark.parametrize("given, says", [
    (["shard1"], "shard 2/2 is missing"),
    (["shard1", "shard1", "shard2"], "shard 1/2 is given twice"),
    (["shard1", "nowhere"], "nowhere: no readable manifest.json"),
])
def test_merge_refuses_a_missing_or_doubled_shard(shards, given, says, tmp_path):
    code, error = merge(*(shards / name for name in given), out=tmp_path / "merged")
    assert code == 2 and says in error and "Traceback" not in error
    assert not (tmp_path / "merged").exists()


def test_merge_refuses_overlapping_or_incomplete_shards(shards, tmp_path):
    for name in ("shard1", "shard2"):
        shutil.copytree(shards / name, tmp_path / name)
    manifest = json.loads((tmp_path / "shard2" / "manifest.json").read_text())
    (tmp_path / "shard2" / "manifest.json").write_text(json.dumps({**manifest, "submissions": ["alice", "bob"]}))
    shutil.copytree(tmp_path / "shard1" / "alice", tmp_path / "shard2" / "alice")
    assert "alice was graded in two shards" in merge(tmp_path / "shard1", tmp_path / "shard2", out=tmp_path / "m")[1]
    (tmp_path / "shard2" / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "shard2" / "bob" / "results.json").unlink()
    code, error = merge(tmp_path / "shard1", tmp_path / "shard2", out=tmp_path / "m")
    assert code == 2 and "shard 2/2 is incomplete: no results for bob" in error


def left(group: int) -> list[str]:
    """The processes of the run's group, and every learner process of the run."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if (int(fields[2]) == group and fields[0] != "Z") or ("child.py" in command and MARK in command):
            found.append(f"{stat.parent.name} {command}")
    return found


@pytest.mark.slow
def test_sigint_keeps_what_is_done_ends_every_process_and_folder_and_a_rerun_finishes(tmp_path):
    folders = write(tmp_path, [f"s{i}" for i in range(8)], SLOW)
    command = [sys.executable, "-m", "backprop_dojo.cli", "grade", *folders, "--out", str(tmp_path / "out"), "--rubric",
               str(tmp_path / "rubric.toml"), "--jobs", "2", "--timeout", MARK]
    scratch = tmp_path / "tmp"  # where the learners' folders go
    scratch.mkdir()
    run = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env=os.environ | {"TMPDIR": str(scratch)})
    deadline = time.monotonic() + 120
    while not list((tmp_path / "out").glob("*/results.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(run.pid, signal.SIGINT)
    stopped = time.monotonic()
    _, error = run.communicate(timeout=30)
    assert run.returncode == 130, error
    assert time.monotonic() - stopped < 5
    assert "Traceback" not in error and "remain: run the same command again" in " ".join(error.split())
    time.sleep(0.2)
    assert left(run.pid) == [] and list(scratch.iterdir()) == []
    kept = results(tmp_path / "out")
    assert 1 <= len(kept) < 8 and all(result["score"] == 2 for result in kept.values())
    assert not (tmp_path / "out" / "summary.csv").exists()
    assert subprocess.run(command, cwd=ROOT, capture_output=True).returncode == 0
    resumed = results(tmp_path / "out")
    assert all(resumed[name] == result for name, result in kept.items())  # not graded again
    assert subprocess.run([*command[:-8], "--out", str(tmp_path / "whole"), *command[-6:]], cwd=ROOT,
                          capture_output=True).returncode == 0
    assert (tmp_path / "out" / "summary.csv").read_text() == (tmp_path / "whole" / "summary.csv").read_text()
