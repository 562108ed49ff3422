"""Registers the backprop-dojo plugin for this repository: `pytest --impl PATH`."""

pytest_plugins = ["backprop_dojo.plugin", "pytester"]  # pytester: the harness's own tests
