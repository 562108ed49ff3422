"""What a learner's folder is, in the learner's terms: which assignment, which of its
exercises the folder holds and which are written (not starter stubs)."""

from __future__ import annotations

import re
from pathlib import Path

from . import stubs
from .courses import course
from .exercises import EXERCISES
from .learner import Learner

ASSIGNMENT = re.compile(r"^assignment(\d)\b")


def assignment_of(origin: str) -> str | None:
    """assignment2 for .../assignment2 or .../assignment2/cs231n, when the path says so."""
    for part in reversed(Path(origin).resolve().parts):
        found = ASSIGNMENT.match(part)
        if found:
            return f"assignment{found[1]}"
    return None


def exercises_of(assignment: str | None, course_year: int | None) -> list[str]:
    """The exercises of an assignment, in the course's order (every exercise if unknown)."""
    if assignment is None:
        return list(EXERCISES)
    belongs = course(course_year).assignments if course_year else {n: e.assignment for n, e in EXERCISES.items()}
    return [name for name in EXERCISES if belongs.get(name) == assignment]


def written(learner: Learner, name: str) -> bool:
    """Whether the folder holds the function with more than its starter stub."""
    if name in learner.unimportable:
        return True
    if not learner.has(name):
        return False
    source = learner.source(name)
    if source is None:
        return True
    return "raise NotImplementedError" not in source[0] and stubs.empty_block(*source) is None


def summary(learner: Learner, course_year: int | None) -> str:
    """"assignment2 (course year 2023): 21 of 26 exercises written"."""
    assignment = assignment_of(learner.origin)
    names = exercises_of(assignment, course_year)
    count = sum(written(learner, name) for name in names)
    year = f" (course year {course_year})" if course_year else ""
    return f"{assignment or Path(learner.origin).resolve().name}{year}: {count} of {len(names)} exercises written"
