"""Conventions that changed across CS231n course years, chosen per run.

Each convention has a default (the current course's) and one alternative. A run picks them
with a course-year profile (`--course-year 2016`) and per-convention flags, which win over
the year (`--dropout-p drop`). The checks never accept both: when a learner's answer is
wrong under the chosen convention but right under the other, the failure says so and names
the flag that selects it.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Convention:
    name: str  # also the command-line flag, --<name>
    meanings: dict[str, str]  # each choice and what it means, the default first
    in_year: Callable[[int], str]  # the choice a course year used

    @property
    def default(self) -> str:
        return next(iter(self.meanings))

    @property
    def flag(self) -> str:
        return f"--{self.name}"


CONVENTIONS = {
    convention.name: convention
    for convention in (
        Convention(
            "dropout-p",
            {
                "keep": "p is the probability of keeping a unit (CS231n 2018 on)",
                "drop": "p is the probability of dropping a unit (CS231n 2016-2017)",
            },
            in_year=lambda year: "drop" if year <= 2017 else "keep",
        ),
        Convention(
            "linear-reg",
            {
                "full": "the regularisation loss is reg * sum(W * W), its gradient 2 * reg * W (CS231n 2017 on)",
                "half": "the regularisation loss is 0.5 * reg * sum(W * W), its gradient reg * W (CS231n 2016)",
            },
            in_year=lambda year: "half" if year <= 2016 else "full",
        ),
    )
}

# The choices of this run; the plugin sets them from the command line.
ACTIVE: dict[str, str] = {name: convention.default for name, convention in CONVENTIONS.items()}


def choose(course_year: int | None = None, **flags: str | None) -> dict[str, str]:
    """The choice of every convention: a flag's if given, else the course year's, else the default.
    Flags are keyword arguments with underscores (dropout_p="drop")."""
    chosen = {}
    for name, convention in CONVENTIONS.items():
        flag = flags.get(name.replace("-", "_"))
        if flag is not None and flag not in convention.meanings:
            raise ValueError(f"{convention.flag} must be one of {', '.join(convention.meanings)}, not {flag!r}")
        year = convention.in_year(course_year) if course_year else convention.default
        chosen[name] = flag or year
    return chosen


@contextmanager
def using(**flags: str):
    """Check with these choices for a while (the harness's own tests)."""
    before = dict(ACTIVE)
    ACTIVE.update(choose(**flags))
    try:
        yield
    finally:
        ACTIVE.clear()
        ACTIVE.update(before)


def other_convention_hint(name: str, other: str) -> str:
    """What a failure says when the answer follows the other choice of convention `name`."""
    convention = CONVENTIONS[name]
    return (
        f"your answer is right under another convention: {convention.meanings[other]}.\n"
        f"  This run checks: {convention.meanings[ACTIVE[name]]}.\n"
        f"  If your course uses the other one, run with {convention.flag} {other}"
        " (or --course-year with your course's year)."
    )
