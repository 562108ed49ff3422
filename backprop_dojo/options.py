"""The command-line options, a plugin of their own that pytest loads from its entry point
before it reads the command line: `pytest --impl ~/cs231n/assignment2` then takes the
folder as the option's value, not as a test path (which would make it pytest's rootdir and
skip this repository's conftest.py). Light on purpose: no torch here."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from .conventions import CONVENTIONS

TEMPLATES = Path(__file__).resolve().parent / "exercise_tests.py"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("backprop-dojo")
    group.addoption(
        "--impl",
        metavar="PATH",
        help="check the learner code in PATH: a CS231n assignment folder, its cs231n package, "
        "or any folder of .py files (default: the reference solutions). For a folder outside "
        "this repository write --impl=PATH, so that pytest does not take PATH for its rootdir",
    )
    group.addoption(
        "--impl-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="fail a learner function that runs longer than this (default 10)",
    )
    group.addoption(
        "--sandbox",
        action="store_true",
        help="run the learner's code in a sandboxed child process, as `backprop-dojo grade` does",
    )
    group.addoption(
        "--report",
        metavar="FILE.html",
        help="also write an HTML report: heatmaps of expected, got and |difference| for every "
        "wrong tensor, and the kNN distance map",
    )
    group.addoption(
        "--strict-forms",
        action="store_true",
        help="fail right answers in a form the course does not ask for (an input changed in place, "
        "a (1, D) array for (D,)); by default they pass with a warning",
    )
    group.addoption(
        "--explore",
        type=int,
        nargs="?",
        const=-1,
        metavar="SEED",
        help="draw other examples than the fixed ones every run checks: from a fresh seed (shown in the "
        "header), or from SEED to repeat an earlier exploration",
    )
    group.addoption(
        "--verdicts",
        metavar="FILE.json",
        help="also write each exercise's verdict (passed, warned, failed, not implemented, not checked) to FILE.json",
    )
    group.addoption(
        "--fail-unwritten",
        action="store_true",
        help="exit 1 when a selected exercise is not implemented (an autograder giving points per group)",
    )
    group.addoption(
        "--all-exercises",
        action="store_true",
        help="show every exercise on the scoreboard, not only the checked assignment's",
    )
    group.addoption(
        "--course-year",
        type=int,
        metavar="YEAR",
        help="check with the conventions of that CS231n course year (default: the current ones)",
    )
    for convention in CONVENTIONS.values():
        meanings = "; ".join(f"{choice}: {meaning}" for choice, meaning in convention.meanings.items())
        group.addoption(
            convention.flag,
            choices=list(convention.meanings),
            help=f"{meanings}. Wins over --course-year (default: {convention.default})",
        )


def pytest_configure(config: pytest.Config) -> None:
    """Silent unless --impl asks for a check: then the harness's plugins load, and with no
    test paths given pytest collects the exercise templates of the installed package."""
    if not config.getoption("impl"):
        return
    # Python's cyclic GC would re-walk all that torch leaves behind many times over: off
    # while the harness loads, then what is loaded is frozen out of it (plugin.py).
    gc.disable()
    for name in ("backprop_dojo.plugin", "backprop_dojo.scoreboard"):
        if not config.pluginmanager.has_plugin(name):
            config.pluginmanager.import_plugin(name)
    if config.args_source is not pytest.Config.ArgsSource.ARGS:
        config.args[:] = [str(TEMPLATES)]
