"""Registers the backprop-dojo plugin for this repository: `pytest --impl PATH`."""

pytest_plugins = ["backprop_dojo.plugin", "backprop_dojo.scoreboard", "pytester"]  # pytester: the harness's own tests
