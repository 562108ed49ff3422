"""This repository's own test suite (tests/).

The harness's pytest plugins are loaded where tests run: in pytest's own process, or in
each xdist worker, not in xdist's controller, which runs no test (the plugins import torch,
1.4 s before any worker starts). The exercise templates on the reference run first in each
worker, so that the examples they pass are recorded (backprop_dojo/recorded.py) before the
bug catalogue, the alternatives and the course folders check the same exercises again.

The learner's runs the tests start keep their examples (backprop_dojo/kept_examples.py) in a
cache folder of the session's, shared with the xdist workers, not in the developer's. A
learner's run from inside a checkout (--impl) loads this file too, and is left as it is."""

import os
import shutil
import tempfile

SESSION_CACHE = "BACKPROP_DOJO_SUITE_CACHE"


def pytest_configure(config):
    if not config.getoption("impl", None) and SESSION_CACHE not in os.environ:  # xdist's workers inherit it
        os.environ[SESSION_CACHE] = os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="backprop-dojo-suite-cache-")
        config.add_cleanup(lambda: shutil.rmtree(os.environ.pop(SESSION_CACHE), ignore_errors=True))
    if hasattr(config, "workerinput") or not config.getoption("numprocesses", None):
        config.pluginmanager.import_plugin("backprop_dojo.plugin")
        config.pluginmanager.import_plugin("backprop_dojo.scoreboard")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.nodeid.split("::")[0] != "tests/test_exercises.py")  # stable: else as collected
