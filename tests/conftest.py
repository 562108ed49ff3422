"""This repository's own suite: the exercise templates on the reference run first in each
worker, so that the examples they pass are recorded (backprop_dojo/recorded.py) before the
bug catalogue, the alternatives and the course folders check the same exercises again."""


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.nodeid.split("::")[0] != "tests/test_exercises.py")  # stable: else as collected
