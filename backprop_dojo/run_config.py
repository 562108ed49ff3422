"""One value describes a run: the course year and the conventions it checks, how many
examples each check draws and from which seed, how strict it is about loose forms, and which
exercises it checks. The pytest plugin, `check()`, the HTML report and the grader each build
one from their options and hand it to the engine (verdict.py); nothing else holds a run's
choices.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .conventions import CONVENTIONS, choose

DEFAULT_EXAMPLES = 20  # per check, in every run unless a profile or a rubric says otherwise


@dataclass(frozen=True)
class RunConfig:
    course_year: int | None = None
    flags: tuple[tuple[str, str], ...] = ()  # conventions set by a flag: (("dropout-p", "drop"),)
    examples: int = DEFAULT_EXAMPLES
    seed: int = 0  # the base seed every check's examples are drawn from (--explore: another)
    hidden_seed: int | None = None  # an instructor's: more examples, on top of the seed's
    strict: bool = False  # a right answer in a loose form fails instead of warning
    exercises: tuple[str, ...] | None = None  # None: every exercise
    keep_examples: bool = False  # a learner's run: its fixed examples are kept between runs (kept_examples.py)
    conventions: dict[str, str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        """The choice of every convention, checked here: a bad year or flag is refused
        when the run is described, naming it."""
        chosen = choose(self.course_year, **{name.replace("-", "_"): value for name, value in self.flags})
        object.__setattr__(self, "conventions", chosen)

    @classmethod
    def of(cls, course_year: int | None = None, **options) -> RunConfig:
        """From options as the command line names them: convention flags with underscores
        (dropout_p="drop", None when not given), and any other field by name."""
        names = {name.replace("-", "_"): name for name in CONVENTIONS}
        given = {names[key]: options.pop(key) for key in list(options) if key in names}
        flags = tuple(sorted((name, value) for name, value in given.items() if value is not None))
        return cls(course_year, flags, **options)

    @property
    def flagged(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.flags)

    @property
    def seeds(self) -> tuple[int, ...]:
        """The base seeds drawn from: the learner's own run's, then the hidden one's."""
        return (self.seed,) if self.hidden_seed is None else (self.seed, self.hidden_seed)
