"""The pytest plugin: the `learner` fixture, Hypothesis profiles and reports. Its command-line
options live in options.py."""

from __future__ import annotations

import difflib
import gc
import os
import tempfile
from pathlib import Path

import hypothesis.configuration
import pytest
import torch
from hypothesis import settings

from . import folder, reproducer
from .compare import LooseForm, Mismatch
from .conventions import CONVENTIONS
from .exercises import EXERCISES
from .learner import STOPPED, Learner, LearnerError, ModuleBroken, helpers_note, load
from .options import TEMPLATES
from .run_config import DEFAULT_EXAMPLES, RunConfig
from .verdict import VERDICT_PROPERTY, examples, explain

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
THOROUGH_EXAMPLES = 10_000

# Profiles set only how many examples a check draws; which ones comes from fixed seeds.
settings.register_profile("dojo", max_examples=DEFAULT_EXAMPLES, deadline=None)
settings.register_profile("thorough", parent=settings.get_profile("dojo"), max_examples=THOROUGH_EXAMPLES)

_learner = pytest.StashKey[Learner]()
_run_config = pytest.StashKey[RunConfig]()
_exactly = pytest.StashKey[frozenset]()
WRONG_ANSWERS = (Mismatch, LearnerError, ModuleBroken, LooseForm, *STOPPED)


@pytest.hookimpl(trylast=True)  # after Hypothesis's plugin has loaded a --hypothesis-profile
def pytest_configure(config: pytest.Config) -> None:
    impl = config.getoption("impl")
    if impl:  # `--impl=~/folder` reaches us with the ~ unexpanded
        impl = config.option.impl = os.path.expanduser(impl)
    if impl and not Path(impl).is_dir():
        raise pytest.UsageError(f"--impl {impl}: no such folder")
    if not config.getoption("hypothesis_profile", None):
        settings.load_profile("dojo")  # also on CI, where Hypothesis would load its own
    flags = {name.replace("-", "_"): config.getoption(name.replace("-", "_")) for name in CONVENTIONS}
    try:
        config.stash[_run_config] = RunConfig.of(
            config.getoption("course_year"), examples=settings.default.max_examples, seed=base_seed(config),
            strict=bool(config.getoption("strict_forms")), keep_examples=bool(impl), **flags)
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    if config.getoption("strict_forms"):
        config.addinivalue_line("filterwarnings", f"error::{LooseForm.__module__}.{LooseForm.__name__}")
    # The oracles' tensors are tiny: more threads only compete with the other workers.
    torch.set_num_threads(1)
    if impl:
        # Hypothesis keeps what it stores (constants it read) out of the learner's folder
        hypothesis.configuration.set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "backprop-dojo-hypothesis")
        config.stash[_exactly] = _exact_names(config)
    if impl and not hasattr(config, "workerinput"):
        _something_to_check(config, Path(impl))
    if config.getoption("report") and not hasattr(config, "workerinput"):  # the main process, not an xdist worker
        from .report import HtmlReport

        config.pluginmanager.register(HtmlReport(Path(config.getoption("report")), learner_of), "backprop-dojo-report")


def pytest_pycollect_makemodule(module_path: Path, parent):
    """The packaged templates lie outside the learner's folder (the rootdir): their tests
    are named backprop_dojo/exercise_tests.py::test_forward[relu_forward], not ::test_forward[...]."""
    if module_path == TEMPLATES:
        return pytest.Module.from_parent(parent, path=module_path, nodeid=f"{TEMPLATES.parent.name}/{TEMPLATES.name}")
    return None


def pytest_collection_finish(session: pytest.Session) -> None:
    """Everything is imported and collected: keep it out of the cyclic GC's walks from here
    on (options.py turned the GC off while loading), and turn the GC back on. Nothing is
    collected first: what loading left behind is little, and a full collection costs 0.2 s."""
    gc.freeze()
    gc.enable()


def _exact_names(config: pytest.Config) -> frozenset[str]:
    """`-k batchnorm_backward` (or `-k "relu_forward or relu_backward"`) selects exactly
    those exercises, not every name holding the text: taken from -k here, applied at
    collection. Any other -k expression keeps pytest's meaning (`-m batchnorm` selects a family)."""
    names = [part.strip() for part in (config.option.keyword or "").split(" or ")]
    if names and all(name in EXERCISES for name in names):
        config.option.keyword = ""
        return frozenset(names)
    return frozenset()


def _something_to_check(config: pytest.Config, folder: Path) -> None:
    """--impl must point at code that defines at least one exercise."""
    learner = learner_of(config)
    if (learner.functions.keys() | learner.unimportable.keys()) & EXERCISES.keys():
        return
    below = sorted({str(found.parent.relative_to(folder)) + "/" for found in folder.glob("*/cs231n")}
                   | {str(found.parent.relative_to(folder)) + "/" for found in folder.glob("*/*/cs231n")})
    hint = f"; did you mean {' or '.join(below[:4])} ?" if below else (
        "; point --impl at an assignment folder (holding cs231n/) or at a folder of .py files")
    raise pytest.UsageError(f"--impl {folder}: no CS231n functions found{hint}")


def base_seed(config: pytest.Config) -> int:
    """0 unless --explore asked for other examples: a fresh seed is drawn once, in the main
    process (whose pytest_configure runs before the workers start), and reaches the xdist
    workers through the environment."""
    explore = config.getoption("explore") or 0
    if explore == -1:
        if "BACKPROP_DOJO_EXPLORE" not in os.environ:
            import random

            os.environ["BACKPROP_DOJO_EXPLORE"] = str(random.randrange(1, 2**31))
        explore = int(os.environ["BACKPROP_DOJO_EXPLORE"])
    return explore


def run_config_of(config: pytest.Config) -> RunConfig:
    """This run, as the options describe it."""
    return config.stash[_run_config]


@pytest.fixture
def check_examples(learner: Learner, pytestconfig: pytest.Config):
    """`check_examples(check, exercise)` runs a check template on the exercise's examples,
    shrinking a failure to a minimal example."""

    def run(check, exercise) -> None:
        __tracebackhide__ = True
        examples(check, exercise, learner, run_config_of(pytestconfig), shrink=True)()

    return run


def learner_of(config: pytest.Config) -> Learner:
    """The code under test, loaded once per process."""
    if _learner not in config.stash:
        path = config.getoption("impl") or REFERENCE
        timeout = config.getoption("impl_timeout")
        if config.getoption("sandbox"):
            from .grading.sandbox import SandboxedLearner

            config.stash[_learner] = SandboxedLearner(path, timeout)
        else:
            config.stash[_learner] = load(path, timeout=timeout)
    return config.stash[_learner]


def pytest_unconfigure(config: pytest.Config) -> None:
    learner = config.stash.get(_learner, None)
    if hasattr(learner, "close"):  # a sandboxed learner's process
        learner.close()


@pytest.fixture(scope="session")
def learner(pytestconfig: pytest.Config) -> Learner:
    """The learner's functions, found by name in --impl (or in reference/)."""
    return learner_of(pytestconfig)


@pytest.hookimpl(trylast=True)  # after -k and -m
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With --impl only the checks of the learner's code run, not the harness's own tests;
    an exact -k keeps those exercises only; selecting nothing is a usage error."""
    if not config.getoption("impl"):
        return
    exactly = config.stash.get(_exactly, frozenset())
    kept = [item for item in items if "learner" in getattr(item, "fixturenames", ())
            and (not exactly or str(_exercise_of(item)) in exactly)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
    asked = " or ".join(sorted(exactly)) or config.option.keyword
    if not items and asked:
        close = difflib.get_close_matches(asked, EXERCISES, n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; the exercises are listed by --collect-only without -k"
        raise pytest.UsageError(f"no exercise matches {asked!r}{hint}")


def _exercise_of(item: pytest.Item):
    return getattr(getattr(item, "callspec", None), "params", {}).get("exercise")


def pytest_report_header(config: pytest.Config) -> str:
    learner, run_config = learner_of(config), run_config_of(config)
    chosen = ", ".join(f"{name} {choice}" for name, choice in run_config.conventions.items())
    drawn = f"examples from seed {run_config.seed} (--explore)" if run_config.seed else "fixed examples"
    return [
        f"backprop-dojo: {folder.summary(learner, run_config.course_year)}, in {learner.origin}",
        f"backprop-dojo conventions: {chosen}; {drawn}",
    ]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A wrong answer is reported as its message; an error in the learner's code as the
    learner's own frames; both with the failing example as Python to paste, and without the
    harness's traceback or Hypothesis's notes. A failure that is not the exercise's own
    (a TODO block still empty, a function it needs that fails) is a skip that says so."""
    excinfo = call.excinfo
    exercise = _exercise_of(item)
    failed = excinfo is not None and call.when == "call" and not excinfo.errisinstance(pytest.skip.Exception)
    if not failed or exercise not in EXERCISES.values():
        return (yield)
    learner = learner_of(item.config)
    if hasattr(excinfo.value, "__notes__"):
        del excinfo.value.__notes__  # Hypothesis's draws: the reproducer says it in the learner's terms
    pasted = reproducer.snippet(learner, f"{exercise.name}-{item.originalname.removeprefix('test_')}")
    explained = explain(exercise, learner, run_config_of(item.config))
    wrong = _wrong_answers(excinfo.value)
    if not wrong and not explained:
        _start_at_learner_code(excinfo, Path(learner.origin).resolve())
    report = yield
    if explained:
        report.outcome, report.longrepr = "skipped", (str(item.path), item.location[1], f"Skipped: {explained.message}")
        report.user_properties.append((VERDICT_PROPERTY, explained.status))
        return report
    if wrong:
        report.longrepr = "\n\n".join(str(e) for e in wrong)
        if item.config.getoption("report"):
            from .report import attach

            attach(report, wrong, exercise, item.originalname.removeprefix("test_"), learner, run_config_of(item.config))
    report.sections = [(title, _cut(text)) if title.startswith("Captured") else (title, text)
                       for title, text in report.sections]
    if pasted:
        report.sections.append(("backprop-dojo: the failing example, to paste into Python", pasted))
    return report


SHOWN_OUTPUT_LINES = 8  # of what the learner's code printed, per test


def _cut(text: str) -> str:
    """What the learner's code printed, cut to its first lines with a count of the rest."""
    lines = text.splitlines()
    if len(lines) <= SHOWN_OUTPUT_LINES:
        return text
    return "\n".join(lines[:SHOWN_OUTPUT_LINES] + [f"... ({len(lines) - SHOWN_OUTPUT_LINES} more lines cut)"]) + "\n"


def _start_at_learner_code(excinfo: pytest.ExceptionInfo, folder: Path) -> None:
    """An error raised in the learner's code is shown from the learner's first frame on."""
    for depth, entry in enumerate(excinfo.traceback):
        if Path(entry.path).resolve().is_relative_to(folder):
            excinfo.traceback = excinfo.traceback[depth:]
            return


def _wrong_answers(error: BaseException) -> list[BaseException]:
    """A wrong answer (or several, when Hypothesis found distinct failures); empty when
    anything else went wrong."""
    if isinstance(error, BaseExceptionGroup):
        parts = [_wrong_answers(inner) for inner in error.exceptions]
        return [wrong for part in parts for wrong in part] if all(parts) else []
    if isinstance(error, WRONG_ANSWERS):
        return [error]
    return []


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    learner = learner_of(config)
    theirs, helpers = learner.failed_imports()
    if theirs:
        terminalreporter.section("backprop-dojo: your modules that failed to import (their exercises fail)")
        for name, error in theirs.items():
            terminalreporter.write_line(f"{name}: {error}")
    if helpers or learner.notes:
        terminalreporter.section("backprop-dojo: notes")
        for note in learner.notes:
            terminalreporter.write_line(note)
        if helpers:
            terminalreporter.write_line(helpers_note(helpers))
