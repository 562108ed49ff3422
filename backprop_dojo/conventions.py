"""Conventions that changed across CS231n course years, chosen per run.

Each convention has a default (the current course's) and one alternative. A run's RunConfig
picks them with a course year (`--course-year 2016`), whose choices courses.py holds, and
per-convention flags, which win over the year (`--dropout-p drop`). The checks never accept
both: when a learner's answer is wrong under the chosen convention but right under the
other, the failure says so: it names the flag that selects the other, or, when the learner
gave a course year, says that the other is not that year's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .courses import COURSES, course

if TYPE_CHECKING:
    from .run_config import RunConfig


@dataclass(frozen=True)
class Convention:
    name: str  # also the command-line flag, --<name>
    choices: dict[str, str]  # each choice and what it means, the default first

    @property
    def default(self) -> str:
        return next(iter(self.choices))

    @property
    def flag(self) -> str:
        return f"--{self.name}"

    @property
    def meanings(self) -> dict[str, str]:
        """Each choice, what it means and the course years that used it."""
        return {choice: f"{meaning} (CS231n {years_using(self.name, choice)})" for choice, meaning in self.choices.items()}


CONVENTIONS = {
    convention.name: convention
    for convention in (
        Convention(
            "dropout-p",
            {"keep": "p is the probability of keeping a unit", "drop": "p is the probability of dropping a unit"},
        ),
        Convention(
            "linear-reg",
            {
                "full": "the regularisation loss is reg * sum(W * W), its gradient 2 * reg * W",
                "half": "the regularisation loss is 0.5 * reg * sum(W * W), its gradient reg * W",
            },
        ),
        Convention(
            "adam-t",
            {
                "0": "Adam's t starts at 0 and is incremented before use: the first step uses t = 1",
                "1": "Adam's t starts at 1 (config.setdefault('t', 1)) and is incremented before use: "
                "the first step uses t = 2",
            },
        ),
    )
}


def years_using(name: str, choice: str) -> str:
    """The course years whose choice of convention `name` is `choice`: "2016, 2018 on"."""
    years = [year for year, known in COURSES.items() if known.conventions[name] == choice]
    runs = []
    for year in years:
        if runs and runs[-1][1] == year - 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(_span(start, end) for start, end in runs)


def _span(start: int, end: int) -> str:
    if start == end:
        return str(start)
    return f"{start} on" if end == max(COURSES) else f"{start}-{end}"


def choose(course_year: int | None = None, **flags: str | None) -> dict[str, str]:
    """The choice of every convention: a flag's if given, else the course year's, else the default.
    Flags are keyword arguments with underscores (dropout_p="drop")."""
    defaults = {name: convention.default for name, convention in CONVENTIONS.items()}
    year = course(course_year).conventions if course_year is not None else defaults
    chosen = {}
    for name, convention in CONVENTIONS.items():
        flag = flags.get(name.replace("-", "_"))
        if flag is not None and flag not in convention.choices:
            raise ValueError(f"{convention.flag} must be one of {', '.join(convention.choices)}, not {flag!r}")
        chosen[name] = flag or year[name]
    return chosen


def other_convention_hint(name: str, other: str, run_config: RunConfig) -> str:
    """What a failure says when the answer follows the other choice of convention `name`.
    It suggests a flag only when the run was given no course year (or set this convention
    by a flag): the other choice is then perhaps the learner's course's."""
    convention, year, chosen = CONVENTIONS[name], run_config.course_year, run_config.conventions[name]
    if year is not None and name not in run_config.flagged:
        return (
            f"your answer follows another convention, not CS231n {year}'s: {convention.meanings[other]}.\n"
            f"  CS231n {year}, the course year of this run, uses: {convention.choices[chosen]}."
        )
    return (
        f"your answer is right under another convention: {convention.meanings[other]}.\n"
        f"  This run checks: {convention.meanings[chosen]}.\n"
        f"  If your course uses the other one, run with {convention.flag} {other}"
        " (or --course-year with your course's year)."
    )
