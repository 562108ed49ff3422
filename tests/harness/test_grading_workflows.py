"""The example workflows run: every `run:` and grader `command:` of examples/*.yml, but the
installs, as a script in a small folder; GitHub's matrix and artifacts played by hand."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile import CORRECT, ROOT

pytestmark = pytest.mark.slow
EXAMPLES = ROOT / "examples"
INSTALL = re.compile(r"python -m pip install (torch==2\.13\.0 --index-url https://download\.pytorch\.org/whl/cpu|git\+https://github\.com/OWNER/backprop-dojo)$")


def steps(workflow: str, key: str) -> list[str]:
    """The one-line `run:` (or `command:`) values of a workflow, installs left out."""
    lines = (EXAMPLES / workflow).read_text().splitlines()
    found = [line.split(f"{key}:", 1)[1].strip() for line in lines if re.match(rf"\s*(- )?{key}:", line)]
    assert found and all(value and value != "|" for value in found), f"{workflow}: a {key}: of more than one line"
    return [value for value in found if not INSTALL.match(value)]


def shell(command: str, folder: Path, **values) -> subprocess.CompletedProcess:
    for name, value in values.items():
        command = command.replace("${{ " + name + " }}", str(value))
    assert "${{" not in command, command
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["bash", "-euc", command], cwd=folder, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("workflow", ["grade-in-shards.yml", "github-classroom.yml"])
def test_every_install_is_torch_cpu_or_the_project(workflow):
    installs = [line.split("run:", 1)[1].strip() for line in (EXAMPLES / workflow).read_text().splitlines()
                if "pip install" in line]
    assert installs and all(INSTALL.match(install) for install in installs), installs


def test_the_classroom_workflow_gives_the_points_of_the_groups_that_pass(tmp_path):
    commands = steps("github-classroom.yml", "command")
    assert steps("github-classroom.yml", "run") == []
    (tmp_path / "layers.py").write_text(CORRECT)
    assert [shell(command, tmp_path).returncode for command in commands] == [0, 0]
    (tmp_path / "layers.py").write_text(CORRECT.replace("dx = dout * (x > 0)", "dx = 1.0 * (x > 0)"))
    assert [shell(command, tmp_path).returncode for command in commands] == [1, 0]
    unwritten = CORRECT.replace("def dropout_forward(", "def not_yet_forward(").replace("def dropout_backward(", "def not_yet_backward(")
    (tmp_path / "layers.py").write_text(unwritten)  # dropout not written: its group earns nothing
    assert [shell(command, tmp_path).returncode for command in commands] == [0, 1]


def test_the_sharded_workflow_grades_four_shards_and_merges_them(tmp_path):
    grade, merge = steps("grade-in-shards.yml", "run")
    relu = "import numpy as np\n\ndef relu_forward(x):\n    return np.maximum(x, 0), x\n"
    for name in ("alice", "bob", "carol"):
        (tmp_path / "submissions" / name).mkdir(parents=True)
        (tmp_path / "submissions" / name / "layers.py").write_text(relu)
    for index in (1, 2, 3, 4):  # the matrix, then upload-artifact (out) and download-artifact (shard-*)
        done = shell(grade, tmp_path, **{"matrix.shard": index})
        assert done.returncode == 0, done.stderr[-2000:]
        shutil.move(tmp_path / "out", tmp_path / f"shard-{index}")
    done = shell(merge, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = (tmp_path / "results" / "summary.csv").read_text().splitlines()
    assert [row.split(",")[0] for row in rows[1:]] == ["alice", "bob", "carol"]
    shutil.rmtree(tmp_path / "shard-2")
    assert shell(merge, tmp_path).returncode != 0  # a shard lost on the way is an error
