"""A pytest plugin: a marker per assignment and per exercise family on every exercise test
(`-m assignment2`, `-m batchnorm`), and at the end of the run a scoreboard, one row per
exercise, grouped by assignment: "23 / 52 exercises pass"."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from rich.table import Table

from .exercises import EXERCISES

NODE = re.compile(r"::test_\w+\[(?P<exercise>[^\]]+)\]$")
SHOWN = {"failed": "[red]failed[/red]", "not implemented": "[yellow]not implemented[/yellow]", "passed": "[green]passed[/green]"}


def pytest_configure(config: pytest.Config) -> None:
    for marker in sorted({exercise.assignment for exercise in EXERCISES.values()}):
        config.addinivalue_line("markers", f"{marker}: the exercises of {marker}")
    for family in sorted({exercise.family for exercise in EXERCISES.values()}):
        config.addinivalue_line("markers", f"{family}: the {family} exercises, forward and backward")
    config.pluginmanager.register(Scoreboard(), "backprop-dojo-scoreboard")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        exercise = getattr(getattr(item, "callspec", None), "params", {}).get("exercise")
        if exercise in EXERCISES.values():
            item.add_marker(exercise.assignment)
            item.add_marker(exercise.family)


class Scoreboard:
    """Each exercise's results, as they arrive in the main process (also under xdist)."""

    def __init__(self) -> None:
        self.outcomes: dict[str, set[str]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        found = NODE.search(report.nodeid)
        if not found or found["exercise"] not in EXERCISES:
            return
        if report.failed:
            status = "failed"
        elif report.skipped:
            status = "not implemented"
        elif report.when == "call":
            status = "passed"
        else:
            return
        self.outcomes.setdefault(found["exercise"], set()).add(status)

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.outcomes:
            return
        table = Table(title="backprop-dojo scoreboard", title_justify="left")
        for column in ("assignment", "exercise", "result"):
            table.add_column(column)
        passed = 0
        for assignment in dict.fromkeys(exercise.assignment for exercise in EXERCISES.values()):
            names = [name for name, e in EXERCISES.items() if e.assignment == assignment and name in self.outcomes]
            for row, name in enumerate(names):
                status = next(s for s in SHOWN if s in self.outcomes[name])  # failed, not implemented, passed
                passed += status == "passed"
                table.add_row(assignment if row == 0 else "", name, SHOWN[status], end_section=row == len(names) - 1)
        text = io.StringIO()
        console = Console(file=text, width=terminalreporter._tw.fullwidth, force_terminal=terminalreporter.hasmarkup)
        console.print(table)
        console.print(f"[bold]{passed} / {len(self.outcomes)} exercises pass[/bold]")
        terminalreporter.write(text.getvalue())
