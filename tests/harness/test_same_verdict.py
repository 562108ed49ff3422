"""Same code, same verdict: the examples of a check depend on its fixed seed alone, not on
which other modules happen to be loaded (Hypothesis reads constants from every local
module it sees; the examples must not follow them)."""

import importlib
import sys
import zlib

import numpy as np
import pytest

from backprop_dojo.exercises import EXERCISES
from backprop_dojo.learner import load
from backprop_dojo.run_config import RunConfig
from backprop_dojo.verdict import examples


def drawn(exercise, learner) -> list:
    cases = []

    def collect(exercise, learner, data, run_config):
        case = data.draw(exercise.spec.cases)
        cases.append(sorted((key, np.asarray(value).tobytes()) for key, value in case.items() if isinstance(value, np.ndarray)))

    collect.__name__ = "forward"  # the seed of the forward check
    examples(collect, exercise, learner, RunConfig(examples=200))()
    return cases


@pytest.mark.parametrize("name", ["KNearestNeighbor.compute_distances_no_loops", "rnn_step_forward", "batchnorm_forward"])
def test_a_newly_loaded_module_full_of_constants_changes_no_example(name, tmp_path, monkeypatch):
    """A learner's module holds numbers (Hypothesis would draw some of them now and then):
    loaded in process, as pytest --impl does and the grader's parent does not, it changes
    nothing that is drawn."""
    exercise = EXERCISES[name]
    learner = load("reference")
    before = drawn(exercise, learner)
    # numbers no module loaded before holds (Hypothesis keeps every constant it has read)
    offset, module = zlib.crc32(name.encode()), f"constants_{zlib.crc32(name.encode())}"
    numbers = "".join(f"C{i} = {offset + 7919 * i}\nF{i} = {offset / 1e7 + 0.37 * i}\n" for i in range(300))
    (tmp_path / f"{module}.py").write_text(numbers)
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module(module)
    try:
        assert drawn(exercise, learner) == before
    finally:
        sys.modules.pop(module, None)
