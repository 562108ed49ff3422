"""The contributor guide's worked example (docs/contributors.md), run as it is written: its
reference passes every check, its stub is not implemented, each of its bugs fails."""

import re
from pathlib import Path
from types import ModuleType

import numpy as np

from backprop_dojo.checks import checks_of
from backprop_dojo.exercises import extras
from backprop_dojo.learner import Learner, index
from backprop_dojo.specs import Exercise
from backprop_dojo.verdict import run, verdict
from tests.bugs import bug

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "contributors.md"


def blocks() -> dict[str, str]:
    """The worked example's code blocks, by the place their first line names."""
    example = GUIDE.read_text().split("#### A worked example", 1)[1]
    found = {}
    for block in re.findall(r"```python\n(.*?)```", example, flags=re.S):
        first, _, code = block.partition("\n")
        found[first.removeprefix("# ").split(",")[0]] = code
    return found


def learner_of(source: str, name: str) -> Learner:
    module = ModuleType(name)
    module.np = np
    exec(compile(source, f"<{name}>", "exec"), vars(module))
    learner = Learner(origin=name)
    index([module], learner.functions)
    return learner


def statuses(spec, learner: Learner) -> set[str]:
    names = (spec.forward, *spec.backward)
    return {verdict(run(Exercise(name, spec, checks_of(spec, name), "extras"), learner)).status for name in names}


def test_the_worked_example_is_an_exercise_that_tells_right_from_wrong():
    code = blocks()
    assert list(code) == ["reference/extras.py", "implementations/extras.py", "backprop_dojo/exercises/extras.py",
                          "tests/bugs/extras.py"]
    spec = eval(code["backprop_dojo/exercises/extras.py"], vars(extras))  # validated as it is declared
    reference = code["reference/extras.py"]
    assert statuses(spec, learner_of(reference, "reference")) == {"passed"}
    assert statuses(spec, learner_of(code["implementations/extras.py"], "stub")) == {"not implemented"}
    bugs = eval(f"[{code['tests/bugs/extras.py']}]", {"Bug": bug.Bug, "EXTRAS": "reference.extras"})
    assert {found.exercise for found in bugs} == {spec.forward, *spec.backward}  # each function has its bug
    for found in bugs:
        assert reference.count(found.old) == 1
        assert "failed" in statuses(spec, learner_of(reference.replace(found.old, found.new), "bug"))
