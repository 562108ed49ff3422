"""Regenerates every screenshot in docs/screenshots from real runs of today's code:

    python docs/screenshots/make.py

A learner folder, assignment2/cs231n/layers.py in a temporary folder, is the reference
solution with one-edit bugs from the project's catalogue (tests/bugs). For each bug of
TERMINAL, `backprop-dojo check assignment2 -k EXERCISE` runs in colour at a fixed width; its
failure block, from the first failure to the scoreboard's "rerun it alone" (not pytest's
header or timings), is drawn by rich as terminal-EXERCISE.svg. The HTML report of a folder
with the bugs of REPORT, four wrong exercises, is drawn by headless Chromium as html-report.png.

The temporary folder's path is the one thing that differs between runs: it reads /tmp.
"""

from __future__ import annotations

import importlib
import inspect
import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.text import Text

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the repository, for its bug catalogue and reference

from tests.bugs import BUGS  # noqa: E402

WIDTH = 100
TERMINAL = {  # exercise: the bug's mistake, for each terminal screenshot
    "batchnorm_backward": "forgets the term through the mean",
    "softmax_loss": "an unstable softmax: no shift by the row's maximum",
    "dropout_forward": "p read as the drop probability",
}
REPORT = {**TERMINAL, "conv_backward_naive": "crops dx without the padding offset"}  # four wrong exercises


@contextmanager
def learner_folder(mistakes: dict[str, str]) -> Iterator[Path]:
    """A temporary folder holding assignment2/cs231n/layers.py: the reference layers with the
    one edit of each of these bugs. It yields the temporary folder, resolved as runs print it."""
    bugs = [bug for bug in BUGS if mistakes.get(bug.exercise) == bug.mistake]
    assert len(bugs) == len(mistakes) and {bug.module for bug in bugs} == {"reference.layers"}, bugs
    source = inspect.getsource(importlib.import_module("reference.layers"))
    for bug in bugs:
        assert source.count(bug.old) == 1, bug
        source = source.replace(bug.old, bug.new)
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary).resolve()
        package = work / "assignment2" / "cs231n"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "layers.py").write_text(source)
        yield work


def check(work: Path, *options: str) -> str:
    """`backprop-dojo check assignment2 OPTIONS` run in work, its coloured output."""
    command = [str(Path(sys.executable).with_name("backprop-dojo")), "check", "assignment2", *options]
    env = {**os.environ, "COLUMNS": str(WIDTH), "FORCE_COLOR": "1", "TMPDIR": str(work)}  # its npz files in work
    env.pop("NO_COLOR", None)
    run = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stdout + run.stderr  # 1: an exercise fails
    return run.stdout.replace(str(work), "/tmp")


def failure_block(output: str) -> str:
    """From the first failure's title line to the scoreboard's "rerun it alone" line."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if "_ test_" in line)
    end = next(i for i, line in enumerate(lines) if "rerun it alone" in line)
    return "\n".join(lines[start:end + 1])


def terminal_screenshots(out: Path) -> list[Path]:
    """out/terminal-EXERCISE.svg for each exercise of TERMINAL."""
    written = []
    with learner_folder(TERMINAL) as work:
        for exercise in TERMINAL:
            console = Console(record=True, width=WIDTH, file=io.StringIO(), force_terminal=True)
            console.print(Text.from_ansi(failure_block(check(work, "-k", exercise))))
            svg = out / f"terminal-{exercise}.svg"
            console.save_svg(str(svg), title=f"backprop-dojo check assignment2 -k {exercise}")
            written.append(svg)
    return written


def html_report_screenshot(out: Path) -> Path:
    """out/html-report.png: the top of the folder's --report page in headless Chromium."""
    png = out / "html-report.png"
    with learner_folder(REPORT) as work:
        page = work / "report.html"
        check(work, f"--report={page}")
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
             f"--user-data-dir={work / 'chromium-profile'}", "--window-size=1280,2360",
             f"--screenshot={png}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    return png


if __name__ == "__main__":
    for path in [*terminal_screenshots(HERE), html_report_screenshot(HERE)]:
        print(f"wrote {path}")
