"""A pytest plugin: a marker per assignment and per exercise family on every exercise test
(`-m assignment2`, `-m batchnorm`), and at the end of the run a scoreboard, one row per
exercise, grouped by assignment: "23 / 52 exercises pass". `--verdicts FILE.json` writes
the same verdicts as data."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from rich.console import Console
from rich.table import Table

from .compare import LooseForm
from .exercises import EXERCISES
from .verdict import STATUSES, VERDICT_PROPERTY

NODE = re.compile(r"::test_\w+\[(?P<exercise>[^\]]+)\]$")
SHOWN = {
    "failed": "[red]failed[/red]",
    "not checked": "[magenta]not checked[/magenta]",
    "not implemented": "[yellow]not implemented[/yellow]",
    "warned": "[cyan]passed, with a warning[/cyan]",
    "passed": "[green]passed[/green]",
}


def pytest_configure(config: pytest.Config) -> None:
    for marker in sorted({exercise.assignment for exercise in EXERCISES.values()}):
        config.addinivalue_line("markers", f"{marker}: the exercises of {marker}")
    for family in sorted({exercise.family for exercise in EXERCISES.values()}):
        config.addinivalue_line("markers", f"{family}: the {family} exercises, forward and backward")
    config.pluginmanager.register(Scoreboard(config), "backprop-dojo-scoreboard")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        exercise = getattr(getattr(item, "callspec", None), "params", {}).get("exercise")
        if exercise in EXERCISES.values():
            item.add_marker(exercise.assignment)
            item.add_marker(exercise.family)


class Scoreboard:
    """Each exercise's results, as they arrive in the main process (also under xdist)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.outcomes: dict[str, set[str]] = {}
        self.causes: dict[str, str] = {}  # a failed exercise's one-line cause

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        found = NODE.search(report.nodeid)
        if not found or found["exercise"] not in EXERCISES:
            return
        if report.failed:
            status = "failed"
            self.causes.setdefault(found["exercise"], _cause(report))
        elif report.skipped:  # a stub, or a failure explain() turned into another verdict
            status = dict(report.user_properties).get(VERDICT_PROPERTY, "not implemented")
        elif report.when == "call":
            status = "passed"
        else:
            return
        self.outcomes.setdefault(found["exercise"], set()).add(status)

    def pytest_warning_recorded(self, warning_message, when, nodeid, location) -> None:
        found = NODE.search(nodeid or "")
        if found and found["exercise"] in EXERCISES and issubclass(warning_message.category, LooseForm):
            self.outcomes.setdefault(found["exercise"], set()).add("warned")

    def status(self, name: str) -> str:
        """The worst of an exercise's results."""
        return min(self.outcomes[name], key=STATUSES.index)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        unwritten = [name for name in self.outcomes if self.status(name) == "not implemented"]
        if self.config.getoption("fail_unwritten", False) and unwritten and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED  # --fail-unwritten: points only for written code
        written = self.config.getoption("verdicts", None)
        if written and not hasattr(session.config, "workerinput"):
            statuses = {name: self.status(name) for name in EXERCISES if name in self.outcomes}
            Path(written).write_text(json.dumps(statuses, indent=2) + "\n")

    def shown(self) -> list[str]:
        """The rows of the scoreboard: the checked assignment's exercises (all of them with
        --all-exercises, or when the folder does not say its assignment), and any other
        exercise the folder has written."""
        from .folder import assignment_of, exercises_of
        from .plugin import run_config_of

        impl = self.config.getoption("impl", None)
        ours = set(EXERCISES) if not impl or self.config.getoption("all_exercises", False) else set(
            exercises_of(assignment_of(impl), run_config_of(self.config).course_year))
        return [name for name in EXERCISES if name in self.outcomes
                and (name in ours or self.status(name) != "not implemented")]

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.outcomes:
            return
        table = Table(title="backprop-dojo scoreboard", title_justify="left")
        for column in ("assignment", "exercise", "result"):
            table.add_column(column)
        shown = self.shown()
        passed = 0
        for assignment in dict.fromkeys(exercise.assignment for exercise in EXERCISES.values()):
            names = [name for name in shown if EXERCISES[name].assignment == assignment]
            for row, name in enumerate(names):
                status = self.status(name)
                passed += status in ("passed", "warned")
                table.add_row(assignment if row == 0 else "", name, SHOWN[status], end_section=row == len(names) - 1)
        text = io.StringIO()
        console = Console(file=text, width=terminalreporter._tw.fullwidth, force_terminal=terminalreporter.hasmarkup)
        console.print(table)
        console.print(f"[bold]{passed} / {len(shown)} exercises pass[/bold]")
        first = next((name for name in shown if self.status(name) == "failed"), None)
        if first:
            rerun = os.environ.get("BACKPROP_DOJO_RERUN") or f"pytest --impl={self.config.getoption('impl') or '.'}"
            console.print(f"fix first: [bold]{first}[/bold]: {self.causes.get(first, '')}", markup=True, highlight=False)
            console.print(f"  rerun it alone: {rerun} -k {first}", markup=False, highlight=False)
        terminalreporter.write(text.getvalue())


def _cause(report: pytest.TestReport) -> str:
    """A failure in one line: its likely cause if it has one, else its first line (or, for
    an error in the learner's code, the error)."""
    text = str(report.longrepr) if isinstance(report.longrepr, str) else report.longreprtext
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    likely = [line for line in lines if line.startswith("likely cause:")]
    errors = [line[1:].strip() for line in lines if line.startswith("E ")]
    if lines and ": " in lines[0] and lines[0].split(": ", 1)[0] in EXERCISES:
        lines[0] = lines[0].split(": ", 1)[1]  # the exercise is named already
    if likely:
        return f"{lines[0]} ({likely[0]})"
    return (errors[-1] if errors and not isinstance(report.longrepr, str) else lines[0] if lines else "")[:300]
