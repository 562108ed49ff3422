"""This repository's own test suite (tests/).

The harness's pytest plugins are loaded where tests run: in pytest's own process, or in
each xdist worker, not in xdist's controller, which runs no test (the plugins import torch,
1.4 s before any worker starts). The exercise templates on the reference run first in each
worker, so that the examples they pass are recorded (backprop_dojo/recorded.py) before the
bug catalogue, the alternatives and the course folders check the same exercises again."""


def pytest_configure(config):
    if hasattr(config, "workerinput") or not config.getoption("numprocesses", None):
        config.pluginmanager.import_plugin("backprop_dojo.plugin")
        config.pluginmanager.import_plugin("backprop_dojo.scoreboard")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.nodeid.split("::")[0] != "tests/test_exercises.py")  # stable: else as collected
