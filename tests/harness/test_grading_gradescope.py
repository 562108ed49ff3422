"""`backprop-dojo gradescope` writes a bundle Gradescope can run: setup.sh and run_autograder
at the zip's root, the rubric and the project's wheel; run_autograder, in a folder laid out
like /autograder, grades a correct, a buggy and a hostile submission into results.json in
Gradescope's format (here with the current interpreter: nothing is installed)."""

import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from backprop_dojo.cli import main
from backprop_dojo.grading.rubric import VISIBILITIES
from tests import hostile

pytestmark = pytest.mark.slow
RUBRIC = "[grading]\nexamples = 3\nonly = ['relu_forward', 'relu_backward', 'affine_forward']\n" \
         "[exercises.affine_forward]\nvisibility = 'after_published'\n"
TOP = {"score": float, "execution_time": float, "output": str, "output_format": str, "visibility": str,
       "stdout_visibility": str, "tests": list, "extra_data": dict}
TEST = {"name": str, "score": float, "max_score": float, "status": str, "output": str, "visibility": str, "extra_data": dict}


def valid(result: dict) -> dict:
    """Gradescope's results.json: these keys only, of these types and values."""
    assert set(result) == set(TOP) and all(isinstance(result[key], kind) for key, kind in TOP.items())
    assert result["output_format"] in ("text", "html", "simple_format", "md", "ansi")
    assert result["visibility"] in VISIBILITIES and result["stdout_visibility"] in VISIBILITIES
    for test in result["tests"]:
        assert set(test) == set(TEST) and all(isinstance(test[key], kind) for key, kind in TEST.items())
        assert test["status"] in ("passed", "failed") and test["visibility"] in VISIBILITIES
        assert 0 <= test["score"] <= test["max_score"]
    assert result["score"] == sum(test["score"] for test in result["tests"])
    return {test["name"]: test["score"] for test in result["tests"]}


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    """/autograder after Gradescope built the image: source/ holds the unzipped bundle."""
    base = tmp_path_factory.mktemp("gradescope")
    (base / "rubric.toml").write_text(RUBRIC)
    assert main(["gradescope", "--rubric", str(base / "rubric.toml"), "--out", str(base / "autograder.zip")]) == 0
    root = base / "autograder"
    with zipfile.ZipFile(base / "autograder.zip") as bundle:
        bundle.extractall(root / "source")
        modes = {info.filename: info.external_attr >> 16 for info in bundle.infolist()}
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)
    return base, root, modes


def test_the_bundle_holds_what_setup_installs(autograder):
    _, root, modes = autograder
    assert {name for name in modes if not name.endswith(".whl")} == {"setup.sh", "run_autograder", "rubric.toml"}
    assert [name for name in modes if name.endswith(".whl")] == [next(root.glob("source/backprop_dojo-*.whl")).name]
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    setup = (root / "source" / "setup.sh").read_text()
    assert "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu" in setup
    assert "pip install ./backprop_dojo-*.whl" in setup
    assert subprocess.run(["bash", "-n", str(root / "source" / "setup.sh")]).returncode == 0
    with zipfile.ZipFile(next(root.glob("source/*.whl"))) as wheel:
        assert "backprop_dojo/grading/gradescope.py" in wheel.namelist()


@pytest.mark.parametrize("submission, scores", [
    ("correct", {"relu_forward": 1, "relu_backward": 1, "affine_forward": 1}),
    ("buggy", {"relu_forward": 1, "relu_backward": 0, "affine_forward": 1}),
    ("fake_results", {"relu_forward": 0, "relu_backward": 1, "affine_forward": 1}),
])
def test_run_autograder_writes_gradescopes_results(autograder, submission, scores):
    base, root, _ = autograder
    shutil.rmtree(root / "submission", ignore_errors=True)
    shutil.rmtree(root / "results", ignore_errors=True)
    (root / "results").mkdir()
    folders = {folder.name: folder for folder in hostile.write(base / f"corpus-{submission}", root / "results")}
    shutil.copytree(folders[submission], root / "submission")
    env = {**os.environ, "BACKPROP_DOJO_AUTOGRADER_ROOT": str(root), "BACKPROP_DOJO_AUTOGRADER_PYTHON": sys.executable}
    done = subprocess.run([str(root / "run_autograder")], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads((root / "results" / "results.json").read_text())
    assert valid(result) == scores
    assert "Hidden checks remain" in result["output"]
