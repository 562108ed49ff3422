"""The screenshots in docs/screenshots show today's output: the terminal ones, regenerated
by docs/screenshots/make.py, read the same as those committed."""

import html
import re
import runpy
from collections import defaultdict
from pathlib import Path

import pytest

from .test_pytest_runs import ROOT

SCREENSHOTS = ROOT / "docs" / "screenshots"
# the line of each screenshot that says what is wrong
SHOWN = {
    "terminal-batchnorm_backward.svg": "batchnorm_backward: dx is wrong",
    "terminal-softmax_loss.svg": "softmax_loss: loss is not finite",
    "terminal-dropout_forward.svg": "run with --dropout-p drop",
}


def svg_text(svg: Path) -> str:
    """The terminal's text in one of rich's SVGs, line by line."""
    lines = defaultdict(str)
    for line, text in re.findall(r'-line-(\d+)\)">([^<]*)</text>', svg.read_text()):
        lines[int(line)] += html.unescape(text).replace("\xa0", " ")
    return "\n".join(lines[number] for number in sorted(lines))


@pytest.mark.slow
def test_the_terminal_screenshots_show_todays_output(tmp_path):
    fresh = runpy.run_path(str(SCREENSHOTS / "make.py"))["terminal_screenshots"](tmp_path)
    assert sorted(svg.name for svg in fresh) == sorted(SHOWN)
    for svg in fresh:
        text = svg_text(svg)
        assert text == svg_text(SCREENSHOTS / svg.name), f"{svg.name} is stale: run python docs/screenshots/make.py"
        assert SHOWN[svg.name] in " ".join(text.split()), text
        assert not re.search(r"\d+ (passed|failed)|\d\.\d+s\b", text), text  # no pytest summary, no timings
