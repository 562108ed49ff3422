"""Telling a starter stub from written code by its source: CS231n's starters mark each part
the learner writes with a TODO banner (and, from 2019 on, START / END OF YOUR CODE lines)
around a bare `pass`. A block that still holds nothing else has not been written.

This is read only when a check fails: a failing function with an empty block is "not
implemented" (a stub that returns None, zeros or `(0.0, {})` fails for that reason), while
a function that passes is right whatever its comments say.
"""

from __future__ import annotations

import re

END = re.compile(r"#.*END OF YOUR CODE", re.IGNORECASE)
START = re.compile(r"#.*(START OF YOUR CODE|\bTODO\b)", re.IGNORECASE)


def empty_block(source: str, first_line: int = 1) -> int | None:
    """The line (in the file) where the first TODO block still empty begins, if any: a
    block runs from a TODO or START line to the next END OF YOUR CODE line, and is empty
    when it holds only comments, blank lines and `pass`."""
    lines = source.splitlines()
    start = None
    for number, line in enumerate(lines):
        if END.search(line):
            if start is not None and _nothing_written(lines[start + 1:number]):
                return first_line + start
            start = None
        elif START.search(line) and (start is None or "START OF YOUR CODE" in line.upper()):
            start = number
    return None


def _nothing_written(lines: list[str]) -> bool:
    code = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    return all(line == "pass" for line in code)
