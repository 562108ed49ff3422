"""check(): the exercise checks on functions defined in a notebook or any namespace, with
the same verdicts and messages as the pytest run."""

from __future__ import annotations

import inspect
from types import ModuleType

import torch
from rich.console import Console
from rich.table import Table

from .exercises import EXERCISES
from .learner import Learner
from .loading import add_callable
from .run_config import DEFAULT_EXAMPLES, RunConfig
from .scoreboard import SHOWN
from .verdict import run



class Checked:
    """What check() returns: true when everything passed. A notebook shows nothing more for
    it than the report already printed (no stray True or False under the cell)."""

    def __init__(self, statuses: dict[tuple[str, str], str]) -> None:
        self.statuses = statuses

    def __bool__(self) -> bool:
        return all(status in ("passed", "warned") for status in self.statuses.values())

    def __repr__(self) -> str:
        passed = sum(status in ("passed", "warned") for status in self.statuses.values())
        return f"<backprop-dojo: {passed} of {len(self.statuses)} checks pass>"

    def _ipython_display_(self) -> None:
        pass


def check(what, function=None, *, namespace: dict | None = None, examples: int = DEFAULT_EXAMPLES,
          course_year: int | None = None, console: Console | None = None, **flags: str) -> Checked:
    """Check one exercise, `check("batchnorm_backward", batchnorm_backward)`, or every
    exercise a module or namespace defines, `check(module)`. Functions an exercise needs
    besides (the forward whose cache a backward takes) are found by name in `namespace`,
    the caller's globals by default. `course_year=2017` and the convention flags
    (`dropout_p="drop"`, `linear_reg`, `adam_t`) choose conventions as on the command line.
    Prints a report; the result is true when everything passed. torch runs on one thread
    meanwhile, as in pytest (its tiny tensors only lose time to more)."""
    run_config = RunConfig.of(course_year, examples=examples, keep_examples=True, **flags)
    namespace = dict(namespace if namespace is not None else inspect.currentframe().f_back.f_globals)
    if isinstance(what, str):
        if what not in EXERCISES:
            raise ValueError(f"no exercise named {what!r}")
        namespace[what] = function if function is not None else namespace.get(what)
    else:
        namespace.update(vars(what) if isinstance(what, ModuleType) else what)
    learner = Learner(origin="your notebook", functions=_functions(namespace))
    names = [what] if isinstance(what, str) else [name for name in EXERCISES if name in learner.functions]
    table = Table(title="backprop-dojo", title_justify="left", show_lines=True)
    for column in ("exercise", "check", "result", "why"):
        table.add_column(column, overflow="fold")
    statuses, pasted = {}, []
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        for name in names:
            for check_name, outcome in run(EXERCISES[name], learner, run_config).items():
                statuses[name, check_name] = outcome.status
                table.add_row(name, check_name, SHOWN[outcome.status], outcome.message)
                if outcome.reproducer:
                    pasted.append(f"# {name}, {check_name}: the failing example\n{outcome.reproducer}")
    finally:
        torch.set_num_threads(threads)
    console = console or Console()
    console.print(table)
    for snippet in pasted:
        console.print(snippet, markup=False, highlight=False)
    return Checked(statuses)


def _functions(namespace: dict) -> dict:
    """Functions and classes by name, and methods as Class.method."""
    found = {}
    for name, obj in namespace.items():
        add_callable(found, name, obj)
    return found
