"""Every exercise of every reconstructed CS231n folder gets its expected verdict, in process,
under the folder's course year (the table of what each folder pins is in __init__.py).

The default tests judge the exercises expected to fail, warn or be not checked on the
harness's default number of examples (a bug may show on the 20th only), and the others on
few (a stub or correct code shows on the first); the slow ones judge every exercise on the
default number, twice."""

from __future__ import annotations

import dataclasses

import pytest

from backprop_dojo.learner import load
from backprop_dojo.run_config import RunConfig

from . import helpers
from .layouts import STATUSES, YEARS, Reconstruction, build

FEW_EXAMPLES = 3


def judged(reconstruction: Reconstruction, fast: bool = False) -> dict:
    from backprop_dojo.verdict import verdicts

    year = RunConfig(reconstruction.year)
    learner = load(reconstruction.folder)
    if not fast:
        return verdicts(learner, year)
    telling = tuple(name for name, status in reconstruction.expected.items() if status in ("failed", "warned", "not checked"))
    rest = tuple(name for name in reconstruction.expected if name not in telling)
    return {**verdicts(learner, dataclasses.replace(year, exercises=telling)),
            **verdicts(learner, dataclasses.replace(year, exercises=rest, examples=FEW_EXAMPLES))}


def wrong_verdicts(reconstruction: Reconstruction, got: dict) -> list[str]:
    """One line per exercise whose verdict is not the expected one, or whose message lacks
    the words it must hold."""
    lines = []
    for name, expected in reconstruction.expected.items():
        outcome = got.get(name)
        status = getattr(outcome, "status", "missing")
        message = getattr(outcome, "message", "") or ""
        if status != expected:
            first = message.strip().splitlines()[0][:160] if message.strip() else ""
            lines.append(f"{reconstruction}: {name}: expected {expected!r}, got {status!r}  {first}")
        elif name in reconstruction.messages:
            missing = [word for word in reconstruction.messages[name] if word not in message]
            if missing:
                lines.append(f"{reconstruction}: {name}: the message lacks {missing}: {message[:200]!r}")
    for name in sorted(set(got) - set(reconstruction.expected)):
        lines.append(f"{reconstruction}: {name}: not a registered exercise, got {got[name]!r}")
    return lines


def check_year(year_key: str, root, fast: bool = False) -> None:
    wrong = []
    for reconstruction in build(year_key, root):
        assert set(reconstruction.expected.values()) <= set(STATUSES)
        wrong += wrong_verdicts(reconstruction, judged(reconstruction, fast))
        assert not (reconstruction.folder / "cs231n" / helpers.SETUP_PROBE).exists(), f"{reconstruction}: setup.py was imported"
    assert not wrong, f"{len(wrong)} wrong verdicts:\n" + "\n".join(wrong)


@pytest.mark.parametrize("year_key", YEARS)
def test_every_exercise_gets_its_verdict(year_key, tmp_path):
    """Each folder of the year key, every registered exercise, on few examples."""
    check_year(year_key, tmp_path, fast=True)


def test_the_same_folder_gets_the_same_verdicts_twice(tmp_path):
    """Kind 15: two loads and two runs of one folder (stubs, bugs, side effects, not checked)."""
    (reconstruction,) = [r for r in build("2017", tmp_path) if r.name == "2017/assignment2"]
    first, second = (judged(reconstruction, fast=True) for _ in range(2))
    assert {k: (v.status, v.message) for k, v in first.items()} == {k: (v.status, v.message) for k, v in second.items()}


@pytest.mark.slow
@pytest.mark.parametrize("year_key", YEARS)
def test_every_exercise_gets_its_verdict_on_the_default_examples(year_key, tmp_path):
    """As a learner's run draws them, and the same verdicts a second time."""
    check_year(year_key, tmp_path)
    for reconstruction in build(year_key, tmp_path / "again"):
        first, second = judged(reconstruction), judged(reconstruction)
        assert {k: v.status for k, v in first.items()} == {k: v.status for k, v in second.items()}, reconstruction
