"""The rubric: which exercises a grade counts (all of one assignment's, or those named), their
weights and Gradescope visibility, how many examples are drawn, optionally from an
instructor-only seed adding hidden examples, and the course year and conventions to grade with.

A rubric is checked against SCHEMA: an unknown key at any level, an unknown exercise or
assignment and a value of the wrong type are errors naming it."""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..conventions import CONVENTIONS
from ..courses import COURSES
from ..exercises import EXERCISES
from ..run_config import DEFAULT_EXAMPLES, RunConfig

DEFAULT = Path(__file__).resolve().parent / "default_rubric.toml"
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")
ASSIGNMENTS = tuple(dict.fromkeys(exercise.assignment for exercise in EXERCISES.values()))
ITEM = {"weight": (int, float), "visibility": str}
SCHEMA = {
    "grading": {"examples": int, "seed": int, "strict": bool, "only": list, "assignment": (int, str), "course_year": int},
    "conventions": {name: str for name in CONVENTIONS},
    "defaults": ITEM,
}


@dataclass(frozen=True)
class Item:
    exercise: str
    weight: float
    visibility: str


@dataclass(frozen=True)
class Rubric:
    items: tuple[Item, ...]
    examples: int
    seed: int | None  # an instructor's: more examples on top of those a learner's own run sees
    strict: bool = False  # fail right answers in a loose form (an input changed in place, a (1, D) for (D,))
    course_year: int | None = None
    conventions: dict = field(default_factory=dict)  # convention name -> choice, e.g. {"dropout-p": "drop"}

    @property
    def hidden(self) -> bool:
        """Whether some grading is not what a learner's local run shows."""
        return self.seed is not None or any(item.visibility != "visible" for item in self.items)

    def digest(self) -> str:
        """What a stored result was graded with: a rerun with another rubric regrades."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:16]


def assignment(value: int | str) -> str:
    """"2", 2 or "assignment2" -> "assignment2"; "extras" -> "extras"."""
    name = f"assignment{value}" if str(value).isdigit() else str(value)
    if name not in ASSIGNMENTS:
        raise ValueError(f"no such assignment: {value} (one of 1, 2, 3, extras)")
    return name


def load(path: str | Path | None = None, assignment_given: int | str | None = None) -> Rubric:
    """The rubric at `path` (default: every exercise, one point each); `assignment_given`
    (--assignment) wins over the rubric's own `assignment`."""
    where = f"rubric {path or DEFAULT}"
    try:
        data = tomllib.loads(Path(path or DEFAULT).read_text())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{where}: {error}") from None
    _validate(data, where)
    grading, defaults, overrides = data.get("grading", {}), data.get("defaults", {}), data.get("exercises", {})
    given = assignment_given if assignment_given is not None else grading.get("assignment")
    chosen = assignment(given) if given is not None else None
    names = grading.get("only") or [name for name, e in EXERCISES.items() if chosen in (None, e.assignment)]
    outside = [name for name in names if chosen not in (None, EXERCISES[name].assignment)]
    if outside:
        raise ValueError(f"{where}: grading.only: not in {chosen}: {', '.join(outside)}")
    items = []
    for name in names:
        settings = {**defaults, **overrides.get(name, {})}
        items.append(Item(name, float(settings.get("weight", 1)), settings.get("visibility", "visible")))
    year, flags = grading.get("course_year"), data.get("conventions", {})
    if year is not None and year not in COURSES:
        raise ValueError(f"{where}: grading.course_year: no CS231n course of {year} (one of {min(COURSES)}-{max(COURSES)})")
    return Rubric(tuple(items), grading.get("examples", DEFAULT_EXAMPLES), grading.get("seed"),
                  grading.get("strict", False), year, dict(flags))


def _validate(data: dict, where: str) -> None:
    for section, value in data.items():
        if section == "exercises":
            _table(value, where, section)
            for name, settings in value.items():
                if name not in EXERCISES:
                    raise ValueError(f"{where}: exercises.{name}: no such exercise")
                _keys(settings, ITEM, where, f"exercises.{name}")
        elif section in SCHEMA:
            _keys(value, SCHEMA[section], where, section)
        else:
            raise ValueError(f"{where}: unknown section [{section}] (one of {', '.join([*SCHEMA, 'exercises'])})")
    grading = data.get("grading", {})
    unknown = [repr(name) for name in grading.get("only", ()) if name not in EXERCISES]
    if unknown:
        raise ValueError(f"{where}: grading.only: no such exercise: {', '.join(unknown)}")
    if "assignment" in grading:
        try:
            assignment(grading["assignment"])
        except ValueError as error:
            raise ValueError(f"{where}: grading.assignment: {error}") from None
    if grading.get("examples", 1) < 1:
        raise ValueError(f"{where}: grading.examples must be at least 1")
    for name, choice in data.get("conventions", {}).items():
        if choice not in CONVENTIONS[name].choices:
            raise ValueError(f"{where}: conventions.{name} must be one of {', '.join(CONVENTIONS[name].choices)}, not {choice!r}")
    for name, settings in [("defaults", data.get("defaults", {})), *(
            (f"exercises.{n}", s) for n, s in data.get("exercises", {}).items())]:
        if settings.get("visibility", "visible") not in VISIBILITIES:
            raise ValueError(f"{where}: {name}.visibility must be one of {', '.join(VISIBILITIES)}")


def _table(value, where: str, at: str) -> None:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: {at} must be a table")


def _keys(table, schema: dict, where: str, at: str) -> None:
    _table(table, where, at)
    for key, value in table.items():
        if key not in schema:
            raise ValueError(f"{where}: {at}.{key}: unknown key (one of {', '.join(schema)})")
        wanted = schema[key] if isinstance(schema[key], tuple) else (schema[key],)
        if not isinstance(value, wanted) or (isinstance(value, bool) and bool not in wanted):
            names = " or ".join({int: "an integer", float: "a number", str: "a string", bool: "true or false",
                                 list: "a list"}[kind] for kind in wanted)
            raise ValueError(f"{where}: {at}.{key} must be {names}, not {value!r}")


def run_config(rubric: Rubric, course_year: int | None = None, **flags: str | None) -> RunConfig:
    """The run that grades with the rubric: its examples, strictness, exercises and hidden
    seed, and its course year and conventions, a command-line one winning over each."""
    year = course_year if course_year is not None else rubric.course_year
    chosen = {name.replace("-", "_"): flags.get(name.replace("-", "_")) or rubric.conventions.get(name) for name in CONVENTIONS}
    return RunConfig.of(year, examples=rubric.examples, hidden_seed=rubric.seed, strict=rubric.strict,
                        exercises=tuple(item.exercise for item in rubric.items), **chosen)
