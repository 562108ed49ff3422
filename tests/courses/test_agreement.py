"""pytest (`--impl DIR --course-year Y --verdicts OUT.json`) and `backprop-dojo grade ...
--course-year Y` give every exercise of every reconstruction its expected verdict, in
subprocesses, as a learner and an instructor run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from .layouts import YEARS, build, empty_folder

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "backprop-dojo"  # the console script beside this interpreter
GRADE = (str(SCRIPT),) if SCRIPT.exists() else (sys.executable, "-m", "backprop_dojo.cli")


def run(*command: str, timeout: float = 900) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env)


def pytest_verdicts(folder: Path, year: int, out: Path) -> tuple[int, dict, str]:
    done = run(sys.executable, "-m", "pytest", f"--impl={folder}", "--course-year", str(year), "--verdicts", str(out),
               "-p", "no:cacheprovider", "-q")
    found = json.loads(out.read_text()) if out.exists() else {}
    return done.returncode, found, done.stdout[-3000:] + done.stderr[-3000:]


def graded_verdicts(results: Path) -> dict[str, str]:
    tests = json.loads(results.read_text())["tests"]
    return {test["name"]: test.get("extra_data", {}).get("verdict") for test in tests}


def differences(name: str, expected: dict, got: dict) -> list[str]:
    return [f"{name}: {exercise}: expected {status!r}, got {got.get(exercise, 'missing')!r}"
            for exercise, status in expected.items() if got.get(exercise) != status]


@pytest.mark.parametrize("year_key", YEARS)
def test_pytest_gives_the_expected_verdicts(year_key, tmp_path):
    wrong = []
    for reconstruction in build(year_key, tmp_path / "folders"):
        out = tmp_path / f"{reconstruction.name.replace('/', '-')}.json"
        code, found, output = pytest_verdicts(reconstruction.folder, reconstruction.year, out)
        wrong += differences(str(reconstruction), reconstruction.expected, found)
        failing = "failed" in reconstruction.expected.values()
        if code != int(failing):
            wrong.append(f"{reconstruction}: pytest exited {code}, expected {int(failing)}\n{output}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("year_key", YEARS)
def test_grade_gives_the_expected_verdicts(year_key, tmp_path):
    wrong = []
    by_year = defaultdict(list)
    for reconstruction in build(year_key, tmp_path / "folders"):
        by_year[reconstruction.year].append(reconstruction)
    for year, group in by_year.items():
        out = tmp_path / f"graded-{year}"
        done = run(*GRADE, "grade", *(str(r.folder) for r in group),
                   "--out", str(out), "--course-year", str(year), "--jobs", "2")
        for reconstruction in group:
            results = out / reconstruction.folder.name / "results.json"
            if not results.exists():
                wrong.append(f"{reconstruction}: no {results}\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
                continue
            wrong += differences(str(reconstruction), reconstruction.expected, graded_verdicts(results))
    assert not wrong, "\n".join(wrong)


def test_pytest_on_a_folder_where_nothing_is_found_is_an_error(tmp_path):
    code, _, output = pytest_verdicts(empty_folder(tmp_path), 2017, tmp_path / "v.json")
    assert code not in (0, 1), output
