"""The documentation's counts and commands follow the code: a count written in the docs is
the registry's, and every command on the README's first screen is one CI runs."""

import re
import shlex
from pathlib import Path

from backprop_dojo.exercises import EXERCISES
from tests.bugs import BUGS

ROOT = Path(__file__).resolve().parents[2]


def test_the_counts_in_the_docs_are_the_registrys():
    reference = (ROOT / "docs" / "reference.md").read_text()
    contributors = (ROOT / "docs" / "contributors.md").read_text()
    assert re.findall(r"(\d+) exercises, each found by its CS231n name", reference) == [str(len(EXERCISES))]
    assert re.findall(r"of (\d+) realistic learner bugs", contributors) == [str(len(BUGS))]


def test_the_readmes_commands_are_the_ones_ci_runs():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    block = readme.split("```bash\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]
    assert len(commands) == 3
    for command in commands:
        for part in command.split(" && "):
            words = shlex.split(part)
            if words[0] == "pip":  # CI installs through the venv's python -m pip
                words = ["python", "-m", "pip", *words[1:]]
            assert any(all(word in shlex.split(line) for word in words if not word.startswith("-q"))
                       for line in ci.splitlines() if line.strip() and not line.startswith("#")), part
