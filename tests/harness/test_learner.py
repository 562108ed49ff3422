"""Loading learner code by name from real-looking folders, and calling it safely."""

import os
import sys
import textwrap

import numpy as np
import pytest

from backprop_dojo.compare import LooseForm, Mismatch
from backprop_dojo.learner import LearnerTimeout, NotImplementedExercise, load


def write(folder, files: dict) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


ASSIGNMENT = {
    "cs231n/__init__.py": "",
    "cs231n/layers.py": """
        from builtins import range
        import numpy as np

        def relu_forward(x):
            return np.maximum(x, 0), x
        """,
    "cs231n/layer_utils.py": """
        from cs231n.layers import *
        from cs231n.fast_layers import *

        def affine_relu_forward(x, w, b):
            pass
        """,
    "cs231n/fast_layers.py": "from cs231n.im2col_cython import col2im_cython\n",
    "cs231n/rnn_layers.py": """
        from cs231n.layers import relu_forward

        def rnn_step_forward(x, prev_h, Wx, Wh, b):
            raise NotImplementedError
        """,
    "cs231n/classifiers/__init__.py": "from cs231n.classifiers.k_nearest_neighbor import *\n",
    "cs231n/classifiers/k_nearest_neighbor.py": """
        class KNearestNeighbor(object):
            def compute_distances_no_loops(self, X):
                return X
        """,
}


def test_an_assignment_folder_is_searched_by_name_and_a_broken_module_hides_nothing(tmp_path):
    write(tmp_path / "assignment2", ASSIGNMENT)
    learner = load(tmp_path / "assignment2")
    assert learner.functions["relu_forward"].__module__ == "cs231n.layers"
    assert "rnn_step_forward" in learner.functions
    assert "KNearestNeighbor.compute_distances_no_loops" in learner.functions
    assert list(learner.import_errors) == ["cs231n.fast_layers", "cs231n.layer_utils"]
    assert "im2col_cython" in learner.import_errors["cs231n.fast_layers"]
    assert "affine_relu_forward" not in learner.functions


def test_the_package_itself_and_a_plain_folder_load_too(tmp_path):
    write(tmp_path / "a", ASSIGNMENT)
    assert "relu_forward" in load(tmp_path / "a" / "cs231n").functions
    write(tmp_path / "plain", {"layers.py": "def relu_forward(x):\n    return x, None\n"})
    assert "relu_forward" in load(tmp_path / "plain").functions


def test_two_submissions_with_the_same_module_names_do_not_collide(tmp_path):
    for name, value in (("one", 1), ("two", 2)):
        write(tmp_path / name, {"cs231n/__init__.py": "", "cs231n/layers.py": f"def f():\n    return {value}\n"})
    assert [load(tmp_path / name).functions["f"]() for name in ("one", "two")] == [1, 2]


def test_modules_that_exit_or_hang_at_import_are_recorded(tmp_path):
    write(
        tmp_path,
        {
            "layers.py": "import sys\nsys.exit(3)\n",
            "rnn_layers.py": "while True:\n    pass\n",
            "optim.py": "def sgd(w, dw, config=None):\n    return w, config\n",
        },
    )
    learner = load(tmp_path, timeout=0.2)
    assert learner.import_errors == {
        "layers": "SystemExit: 3",
        "rnn_layers": "LearnerTimeout: importing rnn_layers did not return within 0.2 s (an endless loop?)",
    }
    assert "sgd" in learner.functions


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such folder"):
        load(tmp_path / "nowhere")


def learner_with(tmp_path, source: str, timeout=10.0):
    write(tmp_path, {"layers.py": "import numpy as np\n" + textwrap.dedent(source)})
    return load(tmp_path, timeout=timeout)


def test_missing_stub_and_none_returning_functions_are_not_implemented(tmp_path):
    learner = learner_with(
        tmp_path,
        """
        def relu_forward(x):
            raise NotImplementedError("TODO")

        def affine_forward(x, w, b):
            out = None
            cache = None
            return out, cache
        """,
    )
    x = {"x": np.ones(2)}
    with pytest.raises(NotImplementedExercise, match="relu_forward: not implemented"):
        learner.call("relu_forward", x, ("out", "cache"))
    with pytest.raises(NotImplementedExercise, match="returned None"):
        learner.call("affine_forward", {"x": 1, "w": 2, "b": 3}, ("out", "cache"))
    with pytest.raises(NotImplementedExercise, match="no function of that name"):
        learner.call("dropout_forward", x, ("out", "cache"))


def test_mutation_warns_and_wrong_arity_wrong_signature_and_endless_loops_fail_clearly(tmp_path):
    learner = learner_with(
        tmp_path,
        """
        def relu_forward(x):
            x[x < 0] = 0
            return x, x

        def relu_backward(dout, cache):
            return dout, cache

        def affine_forward(x, w, b):
            while True:
                pass

        def dropout_forward(x, p, mode):
            return x, None
        """,
        timeout=0.2,
    )
    x = np.array([-1.0, 1.0])
    with pytest.warns(LooseForm, match="relu_forward changed its input x in place at layers.py:4; the values are right"):
        learner.call("relu_forward", {"x": x}, ("out", "cache"))
    assert x.tolist() == [-1.0, 1.0]  # the learner changed a copy
    with pytest.raises(Mismatch, match=r"should return a tuple \(dx, dw, db\); got a tuple of 2"):
        learner.call("relu_backward", {"dout": np.ones(2), "cache": None}, ("dx", "dw", "db"))
    with pytest.raises(LearnerTimeout, match="affine_forward did not return within 0.2 s"):
        learner.call("affine_forward", {"x": 1, "w": 2, "b": 3}, ("out", "cache"))
    message = r"dropout_forward cannot be called as dropout_forward\(x, dropout_param\): missing a required argument: 'mode'"
    with pytest.raises(Mismatch, match=message):
        learner.call("dropout_forward", {"x": np.ones(2), "dropout_param": {}}, ("out", "cache"))


def test_a_folder_is_compiled_afresh_its_warnings_noted_and_nothing_written_into_it(tmp_path):
    """The compiler's warnings reach the learner (they are lost when a cached .pyc is read),
    a stale __pycache__ is not read, and none is written."""
    import py_compile

    source = "def relu_forward(x):\n    cell = 'rnn'\n    return x if cell is 'rnn' else None, None\n"
    stale = "def relu_forward(x):\n    return 'stale', None\n"
    layers = tmp_path / "layers.py"
    layers.write_text(stale + "#" * (len(source) - len(stale) - 1) + "\n")  # the same size and time: a cache Python would read
    py_compile.compile(str(layers), cfile=str(tmp_path / "__pycache__" / f"layers.{sys.implementation.cache_tag}.pyc"))
    written = layers.stat()
    layers.write_text(source)
    os.utime(layers, ns=(written.st_atime_ns, written.st_mtime_ns))
    before = sorted(path.name for path in tmp_path.rglob("*"))
    learner = load(tmp_path)
    assert learner.functions["relu_forward"](1)[0] == 1  # from the source, not the stale cache
    assert any(note.startswith("layers.py:3: ") and "literal" in note for note in learner.notes), learner.notes
    assert sorted(path.name for path in tmp_path.rglob("*")) == before
