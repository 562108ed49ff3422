"""`backprop-dojo knn-speed` times what it finds and says what it cannot time."""

from backprop_dojo.exercises.classifiers import KNN_METHODS
from backprop_dojo.knn_speed import timings
from tests.hostile import ROOT


def test_the_reference_methods_and_torch_are_timed():
    rows = timings(None, num_test=5, num_train=20, dims=8)
    assert [method for method, _ in rows] == [*KNN_METHODS, "torch.cdist"]
    assert all(isinstance(seconds, float) and seconds > 0 for _, seconds in rows)


def test_starter_stubs_are_not_implemented():
    rows = dict(timings(ROOT / "implementations", num_test=5, num_train=20, dims=8))
    assert [rows[method] for method in KNN_METHODS] == ["not implemented"] * 3
