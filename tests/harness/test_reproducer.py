"""A failing example the learner can paste: the calls of their own code, every input at full
precision, so that pasting it shows the same wrong answer (a kNN NaN that 8 printed digits
would round away included)."""

import numpy as np
import pytest

from backprop_dojo.exercises import EXERCISES
from backprop_dojo.verdict import run
from tests.bugs import Bug

UNCLIPPED = Bug("KNearestNeighbor.compute_distances_no_loops", "sqrt of an unclipped expanded square",
                "        sq_dists = np.maximum(sq_dists, 0)  # rounding can make a zero distance slightly negative\n", "",
                "reference.classifiers.k_nearest_neighbor")


def pasted(bug: Bug) -> tuple[str, dict]:
    learner = bug.learner()
    (outcome,) = [o for o in run(EXERCISES[bug.exercise], learner).values() if o.status == "failed"]
    namespace = {name: value for name, value in learner.functions.items() if "." not in name}
    exec(outcome.reproducer, namespace)  # as the learner's own Python would run it
    return outcome.reproducer, namespace


def test_pasting_the_example_gives_the_same_nan():
    with pytest.warns(RuntimeWarning, match="invalid value encountered in sqrt"):  # as the learner saw it
        text, namespace = pasted(UNCLIPPED)
    assert np.isnan(namespace["dists"]).any()
    assert "instance = KNearestNeighbor()" in text and "instance.train(X_train, y_train)" in text
    assert "dists = instance.compute_distances_no_loops(X)" in text


def test_a_backward_example_names_its_arrays_and_feeds_the_forward_cache():
    bug = Bug("batchnorm_backward_alt", "forgets the term through the mean", "N * dout - dout.sum(axis=0)", "N * dout")
    text, namespace = pasted(bug)
    assert "out, cache = batchnorm_forward(x, gamma, beta, bn_param)" in text
    assert "dx, dgamma, dbeta = batchnorm_backward_alt(dout, cache)" in text
    assert namespace["dx"].shape == namespace["x"].shape
    assert "Draw" not in text and "reproduce_failure" not in text
