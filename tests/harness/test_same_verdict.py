"""Same code, same verdict: the examples of a check depend on its fixed seed alone, not on
which other modules happen to be loaded (Hypothesis reads constants from every local
module it sees; the examples must not follow them)."""

import importlib
import sys

import numpy as np

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


def test_a_newly_loaded_module_full_of_constants_changes_no_example(tmp_path, monkeypatch):
    exercise = EXERCISES["KNearestNeighbor.compute_distances_no_loops"]
    learner = load("reference")
    before = drawn(exercise, learner)
    (tmp_path / "constants_galore.py").write_text("".join(f"C{i} = {1000 + 7919 * i}\n" for i in range(300)))
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("constants_galore")
    try:
        assert drawn(exercise, learner) == before
    finally:
        sys.modules.pop("constants_galore", None)
