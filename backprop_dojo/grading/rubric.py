"""The rubric: which exercises a grade counts, their weights and Gradescope visibility, and
how many examples are drawn, optionally with an instructor-only seed (hidden grading)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..exercises import EXERCISES
from ..verdict import DEFAULT_EXAMPLES

DEFAULT = Path(__file__).resolve().parent / "default_rubric.toml"
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


@dataclass(frozen=True)
class Item:
    exercise: str
    weight: float
    visibility: str


@dataclass(frozen=True)
class Rubric:
    items: tuple[Item, ...]
    examples: int
    seed: int | None  # None: the fixed examples a learner's own run sees
    strict: bool = False  # fail right answers in a loose form (an input changed in place, a (1, D) for (D,))

    @property
    def hidden(self) -> bool:
        """Whether some grading is not what a learner's local run shows."""
        return self.seed is not None or any(item.visibility != "visible" for item in self.items)


def load(path: str | Path | None = None) -> Rubric:
    text = Path(path or DEFAULT).read_text()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"rubric {path}: {error}") from None
    grading, defaults, overrides = data.get("grading", {}), data.get("defaults", {}), data.get("exercises", {})
    unknown = sorted((set(overrides) | set(grading.get("only", ()))) - set(EXERCISES))
    if unknown:
        raise ValueError(f"rubric {path}: no such exercise: {', '.join(unknown)}")
    names = grading.get("only") or list(EXERCISES)
    items = []
    for name in names:
        settings = {**defaults, **overrides.get(name, {})}
        visibility = settings.get("visibility", "visible")
        if visibility not in VISIBILITIES:
            raise ValueError(f"rubric {path}: {name}: visibility must be one of {', '.join(VISIBILITIES)}")
        items.append(Item(name, float(settings.get("weight", 1)), visibility))
    return Rubric(tuple(items), int(grading.get("examples", DEFAULT_EXAMPLES)), grading.get("seed"),
                  bool(grading.get("strict", False)))
