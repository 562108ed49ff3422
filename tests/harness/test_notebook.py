"""check() runs the same checks on functions defined outside any module, as in a notebook."""

import io

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
