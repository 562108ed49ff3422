"""The pytest plugin: the `learner` fixture, Hypothesis profiles and reports. Its command-line
options live in options.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch
from hypothesis import Phase, settings

from . import conventions
from .compare import Mismatch
from .conventions import CONVENTIONS
from .learner import Learner, LearnerCrash, LearnerError, LearnerTimeout, load

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
DEFAULT_EXAMPLES = 20
THOROUGH_EXAMPLES = 10_000

# No "explain" phase: it costs seconds per failure and points into torch, not at the bug.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
settings.register_profile(
    "dojo", max_examples=DEFAULT_EXAMPLES, deadline=None, print_blob=True, phases=PHASES
)
settings.register_profile("ci", parent=settings.get_profile("dojo"), derandomize=True, database=None)
settings.register_profile("thorough", parent=settings.get_profile("dojo"), max_examples=THOROUGH_EXAMPLES)

_learner = pytest.StashKey[Learner]()


def pytest_configure(config: pytest.Config) -> None:
    impl = config.getoption("impl")
    if impl:  # `--impl=~/folder` reaches us with the ~ unexpanded
        impl = config.option.impl = os.path.expanduser(impl)
    if impl and not Path(impl).is_dir():
        raise pytest.UsageError(f"--impl {impl}: no such folder")
    flags = {name.replace("-", "_"): config.getoption(name.replace("-", "_")) for name in CONVENTIONS}
    conventions.ACTIVE.update(conventions.choose(config.getoption("course_year"), **flags))
    if not config.getoption("hypothesis_profile", None):
        settings.load_profile("ci" if os.environ.get("CI") else "dojo")
    # The oracles' tensors are tiny: more threads only compete with the other workers.
    torch.set_num_threads(1)
    if config.getoption("report") and not hasattr(config, "workerinput"):  # the main process, not an xdist worker
        from .report import HtmlReport

        config.pluginmanager.register(HtmlReport(Path(config.getoption("report")), learner_of), "backprop-dojo-report")


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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With --impl only the checks of the learner's code run, not the harness's own tests."""
    if not config.getoption("impl"):
        return
    harness = [item for item in items if "learner" not in getattr(item, "fixturenames", ())]
    if harness:
        config.hook.pytest_deselected(items=harness)
        items[:] = [item for item in items if "learner" in getattr(item, "fixturenames", ())]


def pytest_report_header(config: pytest.Config) -> str:
    learner = learner_of(config)
    chosen = ", ".join(f"{name} {choice}" for name, choice in conventions.ACTIVE.items())
    return [
        f"backprop-dojo: checking {learner.origin} ({len(learner.functions)} functions found)",
        f"backprop-dojo conventions: {chosen}",
    ]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A wrong answer is reported as its message and the minimal example; an error in the
    learner's code as the learner's own frames. Neither shows the harness's traceback."""
    excinfo = call.excinfo
    wrong = _wrong_answers(excinfo.value) if excinfo is not None else []
    if excinfo is not None and not wrong:
        _start_at_learner_code(excinfo, Path(learner_of(item.config).origin).resolve())
    report = yield
    if wrong:
        report.longrepr = "\n\n".join("\n".join([str(e), *getattr(e, "__notes__", [])]) for e in wrong)
        if item.config.getoption("report"):
            from .report import attach

            exercise = getattr(getattr(item, "callspec", None), "params", {}).get("exercise")
            attach(report, wrong, exercise, item.originalname.removeprefix("test_"), learner_of(item.config))
    return report


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
    if isinstance(error, (Mismatch, LearnerTimeout, LearnerCrash, LearnerError)):
        return [error]
    return []


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    errors = learner_of(config).import_errors
    if errors:
        terminalreporter.section("backprop-dojo: modules that failed to import")
        for name, error in errors.items():
            terminalreporter.write_line(f"{name}: {error}")
