"""The networks are checked as the course builds them: with hidden layers, with the layers
the learner's constructor and assignment have, whatever a bias starts as."""

import dataclasses
import inspect
import shutil
from pathlib import Path

import numpy as np
import pytest

from backprop_dojo.checks import CHECKS
from backprop_dojo.exercises import EXERCISES
from backprop_dojo.learner import Learner, index, load
from backprop_dojo.verdict import examples, run
from tests.alternatives import networks, plain_fc_net
from tests.bugs import BUGS, Bug

ROOT = Path(__file__).resolve().parents[2]


def _learner(module) -> Learner:
    learner = Learner(origin=module.__name__)
    index([module], learner.functions)
    return learner


def _statuses(name: str, learner: Learner) -> dict:
    return {check: outcome.status for check, outcome in run(EXERCISES[name], learner).items()}


@pytest.mark.parametrize("cls", ["TwoLayerNet", "FullyConnectedNet"])
def test_a_net_whose_biases_start_as_the_scalar_0_passes(cls):
    learner = _learner(networks)
    sizes = {"hidden_dims": [3]} if cls == "FullyConnectedNet" else {"hidden_dim": 3}
    net = learner.functions[cls](input_dim=4, **sizes)
    assert np.ndim(net.params["b1"]) == 0  # the harness gives it drawn biases of shape (H,)
    assert _statuses(f"{cls}.loss", learner) == {"model": "passed"}


def test_a_constructor_without_normalization_or_dropout_gets_neither():
    assert {"normalization", "use_batchnorm", "dropout", "dropout_keep_ratio"}.isdisjoint(
        inspect.signature(plain_fc_net.FullyConnectedNet).parameters)
    assert _statuses("FullyConnectedNet.loss", _learner(plain_fc_net)) == {"model": "passed"}


def _bug(mistake: str) -> Bug:
    (bug,) = [bug for bug in BUGS if bug.mistake == mistake]
    return bug


def test_a_constructor_that_transposes_w_fails_on_its_shape():
    message = run(EXERCISES["TwoLayerNet.loss"], _bug("W1 transposed in the constructor").learner())["model"].message
    assert "TwoLayerNet.__init__: self.params['W1'] has shape (" in message and "(transposed?)" in message


def test_a_fully_connected_net_bug_shrinks_to_a_net_with_a_hidden_layer():
    """Hypothesis shrinks toward the smallest net, which without hidden layers would be
    affine - softmax: the smallest is still one the course builds."""
    bug = _bug("forgets the regularisation loss")
    exercise = EXERCISES["FullyConnectedNet.loss"]
    drawn = []
    recorded = dataclasses.replace(exercise.spec, cases=exercise.spec.cases.map(lambda case: drawn.append(case) or case))
    with pytest.raises(AssertionError, match=r"FullyConnectedNet.loss: loss is wrong"):
        examples(CHECKS["model"], dataclasses.replace(exercise, spec=recorded), bug.learner(), shrink=True)()
    minimal = drawn[-1]["init"]  # the minimal example runs last
    assert minimal["hidden_dims"] and minimal["reg"] > 0


def _folder(root: Path, edits: list[tuple[str, str]]) -> Path:
    """root/cs231n with the reference layers and an fc_net.py edited."""
    package = root / "cs231n"
    (package / "classifiers").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for name in ("layers.py", "layer_utils.py"):
        shutil.copy(ROOT / "reference" / name, package / name)
    source = (ROOT / "reference" / "classifiers" / "fc_net.py").read_text()
    for old, new in edits:
        assert source.count(old) == 1
        source = source.replace(old, new)
    (package / "classifiers" / "fc_net.py").write_text(source)
    return root


IGNORES_NORMALIZATION_AND_DROPOUT = [(
    "self.normalization = normalization\n        self.use_dropout = dropout_keep_ratio != 1",
    "self.normalization = None\n        self.use_dropout = False",
)]


def test_an_assignment_1_folder_gets_no_normalization_or_dropout(tmp_path):
    """2025's assignment 1 assigns a FullyConnectedNet without them, though its constructor
    may still take them; in an assignment-2 folder the same net is wrong."""
    assignment_1 = load(_folder(tmp_path / "assignment1", IGNORES_NORMALIZATION_AND_DROPOUT))
    assert _statuses("FullyConnectedNet.loss", assignment_1) == {"model": "passed"}
    assignment_2 = load(_folder(tmp_path / "assignment2", IGNORES_NORMALIZATION_AND_DROPOUT))
    assert _statuses("FullyConnectedNet.loss", assignment_2) == {"model": "failed"}
