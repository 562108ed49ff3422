"""`pytest --impl=FOLDER` as a learner types it in their own folder, outside this repository:
what is selected, what the header and the scoreboard say, and the exit codes."""

import importlib
from pathlib import Path

import pytest

from backprop_dojo.folder import exercises_of
from reference import layers

ROOT = Path(__file__).resolve().parents[2]
LAYERS = {name for name in vars(layers) if not name.startswith("_")}


@pytest.fixture(autouse=True)
def torch_optim_ready():
    """torch.optim imports torch._dynamo on first use, which must happen before pytester
    snapshots sys.modules (torch cannot load it twice)."""
    importlib.import_module("torch._dynamo")


def assignment(pytester, *edits: tuple[str, str]) -> None:
    """pytester's folder as a learner's assignment2/ with the reference layers.py (edited)."""
    layers = (ROOT / "reference" / "layers.py").read_text()
    for old, new in edits:
        assert layers.count(old) == 1, old
        layers = layers.replace(old, new)
    package = pytester.path / "assignment2" / "cs231n"
    package.mkdir(parents=True)
    (package / "layers.py").write_text(layers)


def run(pytester, *args: str) -> tuple[int, str]:
    quiet = ("-W", "ignore::pytest.PytestAssertRewriteWarning")  # in process, the harness is imported already
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-n", "0", *quiet, *args)
    return result.ret, result.stdout.str() + result.stderr.str()


def test_k_selects_exactly_the_exercise_named(pytester):
    assignment(pytester)
    code, out = run(pytester, "--impl=assignment2", "-k", "batchnorm_backward", "-v")
    assert code == 0, out
    passed = [line.split()[0] for line in out.splitlines() if " PASSED" in line]
    assert passed == ["backprop_dojo/exercise_tests.py::test_backward[batchnorm_backward]"], out


def test_k_that_selects_nothing_is_an_error_with_a_suggestion(pytester):
    assignment(pytester)
    code, out = run(pytester, "--impl=assignment2", "-k", "batchnorm_backwards")
    assert code == pytest.ExitCode.USAGE_ERROR, out
    assert "no exercise matches 'batchnorm_backwards'; did you mean batchnorm_backward" in out


def test_the_header_and_the_scoreboard_speak_of_the_learners_assignment(pytester):
    assignment(pytester, ("N * dout - dout.sum(axis=0)", "N * dout"))
    code, out = run(pytester, "--impl=assignment2", "-m", "batchnorm or affine")
    assert code == 1, out
    theirs = exercises_of("assignment2", None)
    assert f"backprop-dojo: assignment2: {sum(name in LAYERS for name in theirs)} of {len(theirs)} exercises written" in out
    assert "KNearestNeighbor" not in out  # assignment 1's exercises are not this folder's
    assert "fix first: batchnorm_backward_alt: dx is wrong" in out and "without the term through the mean" in out
    assert "rerun it alone: pytest --impl=assignment2 -k batchnorm_backward_alt" in out


def test_what_the_learners_code_prints_is_cut(pytester):
    assignment(pytester, ("N * dout - dout.sum(axis=0)", "N * dout + 0 * [print('debug', i) for i in range(1000)][0]"))
    code, out = run(pytester, "--impl=assignment2", "-k", "batchnorm_backward_alt")
    assert code == 1, out
    assert "more lines cut)" in out and out.count("debug ") < 50


def test_without_impl_the_installed_plugin_adds_nothing(pytester):
    pytester.makepyfile(test_own="def test_own():\n    assert sorted([3, 1, 2]) == [1, 2, 3]\n\n"
                                 "def test_own_bug():\n    assert sorted([3, 1, 2]) == [3, 2, 1]\n")
    code, out = run(pytester)
    assert code == pytest.ExitCode.TESTS_FAILED, out
    assert "1 failed, 1 passed" in out and "collected 2 items" in out and "scoreboard" not in out, out
