"""A new learner's install: a wheel built from this repository, installed in a fresh venv
(not editable), then `backprop-dojo check` and `pytest --impl=.` in an assignment folder
outside the repository: both find a bug and show the scoreboard."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BUG = ("N * dout - dout.sum(axis=0)", "N * dout")  # batchnorm_backward_alt forgets the term through the mean


def run(*command, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The venv's bin folder, with torch's CPU build and the wheel installed."""
    base = tmp_path_factory.mktemp("wheel")
    built = run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--quiet", "-w", base / "dist", cwd=base)
    assert built.returncode == 0, built.stderr
    (wheel,) = (base / "dist").glob("backprop_dojo-*.whl")
    assert run(sys.executable, "-m", "venv", base / "venv", cwd=base).returncode == 0
    pip = base / "venv" / "bin" / "pip"
    for package in ("torch==2.13.0", wheel):
        done = run(pip, "install", "--quiet", package, cwd=base)
        assert done.returncode == 0, done.stderr
    return base / "venv" / "bin"


@pytest.fixture
def assignment(tmp_path) -> Path:
    package = tmp_path / "assignment2" / "cs231n"
    package.mkdir(parents=True)
    (package / "layers.py").write_text((ROOT / "reference" / "layers.py").read_text().replace(*BUG))
    return tmp_path / "assignment2"


@pytest.mark.parametrize("command", [["backprop-dojo", "check"], ["python", "-m", "pytest", "--impl=."]])
def test_the_installed_wheel_checks_a_folder_outside_the_repository(installed, assignment, command):
    done = run(installed / command[0], *command[1:], "-m", "batchnorm", cwd=assignment)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "backprop-dojo scoreboard" in done.stdout
    assert "batchnorm_backward_alt │ failed" in done.stdout and "batchnorm_backward     │ passed" in done.stdout
    assert "fix first: batchnorm_backward_alt" in done.stdout
    assert str(ROOT) not in done.stdout  # nothing of this checkout is used
