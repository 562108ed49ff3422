"""check() runs the same checks on functions defined outside any module, as in a notebook."""

import io

import nbformat
import pytest
from nbclient import NotebookClient
from rich.console import Console

from backprop_dojo import check
from reference import layers
from tests.bugs import BUGS


def report(*args, **kwargs) -> tuple[bool, str]:
    out = io.StringIO()
    passed = check(*args, console=Console(file=out, width=200), examples=5, **kwargs)
    return passed, out.getvalue()


def test_one_exercise_with_its_forward_found_in_the_callers_namespace():
    namespace = {"batchnorm_forward": layers.batchnorm_forward}
    passed, text = report("batchnorm_backward", layers.batchnorm_backward, namespace=namespace)
    assert passed and "batchnorm_backward" in text and "passed" in text


def test_a_bug_fails_with_the_same_message_as_pytest():
    (bug,) = [bug for bug in BUGS if bug.mistake == "forgets the term through the mean" and bug.exercise == "batchnorm_backward"]
    learner = bug.learner()
    namespace = {name: learner.functions[name] for name in ("batchnorm_forward", "batchnorm_backward")}
    passed, text = report(namespace)
    assert not passed
    assert "batchnorm_backward: dx is wrong" in text and "without the term through the mean" in text


def test_every_exercise_a_module_defines():
    passed, text = report(layers)  # the namespace defaults to the caller's globals
    assert passed
    assert "conv_backward_naive" in text and "spatial_groupnorm_forward" in text


NOTEBOOK = '''
import numpy as np

def relu_forward(x):
    return np.maximum(0, x), x

def relu_backward(dout, cache):
    return (cache > 0) * 1.0  # forgets dout

from backprop_dojo import check
print("all passed:", bool(check("relu_forward", relu_forward)), bool(check("relu_backward", relu_backward)))
'''
LAST_EXPRESSION = 'check("relu_forward", relu_forward)'  # as a learner ends a cell: no stray True below it


@pytest.mark.slow
def test_check_in_a_real_jupyter_kernel():
    """The one-liner as a learner types it, in a notebook run by a Jupyter kernel."""
    cells = [nbformat.v4.new_code_cell(NOTEBOOK), nbformat.v4.new_code_cell(LAST_EXPRESSION)]
    notebook = nbformat.v4.new_notebook(cells=cells)
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    assert [output["output_type"] for output in notebook.cells[1].outputs] == ["display_data"]  # the table only
    outputs = notebook.cells[0].outputs  # rich's table is display data, print() a stream
    text = "".join(output.get("text", "") + output.get("data", {}).get("text/plain", "") for output in outputs)
    assert "relu_backward: dx is wrong" in text
    assert "all passed: True False" in text
