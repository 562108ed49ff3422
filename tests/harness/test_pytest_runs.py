"""The suite as a learner runs it: `pytest --impl PATH`, in a nested pytest session."""

import importlib
import re
from pathlib import Path

import pytest

from tests.bugs import Bug

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def torch_optim_ready():
    """torch.optim imports torch._dynamo on first use. That must happen before pytester
    snapshots sys.modules: it unloads what a nested run imported, and torch cannot load it twice."""
    importlib.import_module("torch._dynamo")


def pytest_run(pytester, *args: str, paths=("tests/test_exercises.py",)) -> tuple[int, str]:
    """Run the suite from the repository root, as a learner does."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        # in process, the harness's modules are already imported: too late to rewrite their asserts
        quiet = ("-W", "ignore::pytest.PytestAssertRewriteWarning")
        result = pytester.runpytest_inprocess(*paths, "-p", "no:cacheprovider", "-n", "0", *quiet, *args)
    return result.ret, result.stdout.str() + result.stderr.str()


def test_the_starter_stubs_are_skipped_as_not_implemented_under_their_cs231n_names(pytester):
    code, out = pytest_run(pytester, "--impl", str(ROOT / "implementations"), "-rs", "-v")
    assert code == 0, out
    for node in ("test_backward[batchnorm_backward_alt]", "test_state[batchnorm_forward]", "test_forward[conv_forward_naive]"):
        assert f"tests/test_exercises.py::{node} SKIPPED" in out
    skips = [line for line in out.splitlines() if line.startswith("SKIPPED")]
    assert skips and all("not implemented" in line for line in skips)
    assert re.fullmatch(r"=* \d+ skipped in [\d.]+s =*", out.splitlines()[-1])


def test_an_assignment_folder_with_a_bug_and_a_broken_module(pytester, tmp_path):
    package = tmp_path / "assignment2" / "cs231n"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    bug = Bug("batchnorm_backward_alt", "forgets the term through the mean", "N * dout - dout.sum(axis=0)", "N * dout")
    source = (ROOT / "reference" / "layers.py").read_text().replace(bug.old, bug.new)
    crash = ("out = np.maximum(0, x)", "out = np.maximum(0, x)[:, 99]")  # an IndexError in learner code
    (package / "layers.py").write_text(source.replace(*crash))
    (package / "fast_layers.py").write_text("from cs231n.im2col_cython import col2im_cython\n")
    (package / "layer_utils.py").write_text("from cs231n.layers import *\nfrom cs231n.fast_layers import *\n")

    code, out = pytest_run(pytester, "--impl", str(tmp_path / "assignment2"), "-k", "batchnorm or relu_forward")
    assert code == 1, out
    assert "2 failed, 6 passed" in out
    assert "FAILED tests/test_exercises.py::test_backward[batchnorm_backward_alt]" in out
    assert "batchnorm_backward_alt: dx is wrong" in out
    assert "greatest absolute difference" in out and "tolerance 1e-07 * max|expected|" in out
    assert "the failing example, to paste into Python" in out  # the minimal example, as calls
    assert "dx, dgamma, dbeta = batchnorm_backward_alt(dout, cache)" in out and "\ndout = np.array([[" in out
    assert "Draw 1" not in out and "reproduce_failure" not in out  # Hypothesis's own notes stay out
    assert "cs231n/layers.py:" in out and "IndexError: too many indices" in out  # the learner's frame
    assert not re.search(r"(backprop_dojo/\w+|test_exercises)\.py:\d+", out)  # and none of the harness's
    assert "failed to import" not in out and "not imported" not in out  # the naive layers stand in for the fast ones


def _as_assignment_module(path: Path, *replacements: tuple[str, str]) -> str:
    """A reference module as it sits in a real assignment: absolute `cs231n.` imports."""
    source = path.read_text().replace("from ..", "from cs231n.").replace("from .", "from cs231n.")
    for old, new in replacements:
        source = source.replace(old, new)
    return source


def test_a_whole_assignment_folder_is_graded_by_name(pytester, tmp_path):
    """assignment2/cs231n/ as CS231n ships it: classifiers importing `from cs231n.layers
    import *`, layer_utils on fast layers whose compiled im2col_cython is missing, and an
    old module that fails to import. The nets are still graded, on the naive layers."""
    package = tmp_path / "assignment2" / "cs231n"
    (package / "classifiers").mkdir(parents=True)
    for init in (package, package / "classifiers"):
        (init / "__init__.py").write_text("")
    reference = ROOT / "reference"
    (package / "layers.py").write_text((reference / "layers.py").read_text())
    (package / "optim.py").write_text((reference / "optim.py").read_text())
    fast = [(f"{kind}_naive", f"{kind}_fast") for kind in ("conv_forward", "conv_backward", "max_pool_forward", "max_pool_backward")]
    (package / "layer_utils.py").write_text(
        "from cs231n.fast_layers import *\n" + _as_assignment_module(reference / "layer_utils.py", *fast)
    )
    (package / "fast_layers.py").write_text(
        "try:\n    from cs231n.im2col_cython import im2col_cython\nexcept ImportError:\n"
        "    print('run python setup.py build_ext --inplace')\n\n\n"
        + "".join(f"\n\ndef {name}(*args):\n    return im2col_cython(*args)\n" for _, name in fast)
    )
    for net in ("fc_net", "cnn"):
        (package / "classifiers" / f"{net}.py").write_text(_as_assignment_module(reference / "classifiers" / f"{net}.py"))
    (package / "classifiers" / "old_net.py").write_text("from past.builtins import xrange\nimport imageio_not_installed\n")

    code, out = pytest_run(pytester, "--impl", str(tmp_path / "assignment2"), "-v", "-k", "Net or adam or dropout")
    assert code == 0, out
    for node in ("test_model[ThreeLayerConvNet.loss]", "test_model[FullyConnectedNet.loss]", "test_model[TwoLayerNet.loss]",
                 "test_steps[adam]", "test_randomness[dropout_forward]"):
        assert f"tests/test_exercises.py::{node} PASSED" in out
    helpers = "not imported, and not needed by any exercise: cs231n.classifiers.old_net (ModuleNotFoundError: No module named 'imageio_not_installed')"
    assert out.count(helpers) == 1


@pytest.mark.parametrize("option", ["--impl={}", "--impl {}"])
def test_a_folder_outside_the_repository_is_checked_as_the_readme_says(pytester, tmp_path, option):
    """The options come from an entry-point plugin, so `--impl PATH` is known before pytest
    looks for its rootdir; written as one word, PATH does not become the rootdir either."""
    (tmp_path / "layers.py").write_text((ROOT / "reference" / "layers.py").read_text())
    code, out = pytest_run(pytester, *option.format(tmp_path).split(), "-k", "relu", paths=())
    assert code == 0, out
    assert "2 passed, 2 skipped" in out  # relu; leaky_relu is not in layers.py
    if "=" in option:
        assert f"rootdir: {ROOT}" in out


def test_a_folder_where_nothing_is_found_is_an_error_with_a_hint(pytester, tmp_path):
    """Pointing --impl at the folder above the assignments: no exercise is found there, so
    the run is an error that names the folders meant, not a green run of skips."""
    (tmp_path / "assignment2" / "cs231n").mkdir(parents=True)
    (tmp_path / "assignment2" / "cs231n" / "layers.py").write_text((ROOT / "reference" / "layers.py").read_text())
    (tmp_path / "notes.ipynb").write_text("{}")
    code, out = pytest_run(pytester, f"--impl={tmp_path}")
    assert code == pytest.ExitCode.USAGE_ERROR, out
    assert "no CS231n functions found; did you mean assignment2/ ?" in out


def test_a_python_2_module_fails_its_exercises_with_the_line_and_the_run_exits_1(pytester, tmp_path):
    package = tmp_path / "assignment2" / "cs231n"
    package.mkdir(parents=True)
    source = (ROOT / "reference" / "layers.py").read_text()
    (package / "layers.py").write_text(source.replace('    """out = max(0, x)', '    print "relu"\n    """out = max(0, x)', 1))
    (package / "data_utils.py").write_text("from imageio import imread\n")  # a course helper: not the learner's problem
    code, out = pytest_run(pytester, f"--impl={tmp_path / 'assignment2'}", "-k", "relu_forward or affine_forward")
    assert code == 1, out
    line = source.splitlines().index('    """out = max(0, x) elementwise; x of any shape. cache = x."""') + 1
    says = f"relu_forward cannot be checked: cs231n.layers failed to import: cs231n/layers.py cannot be imported: " \
           f"Python 2 syntax: print statement at line {line}"
    assert says in out and "2 failed" in out
    assert "cs231n.data_utils (ModuleNotFoundError: No module named 'imageio')" in out  # a note, not a failure
