"""What the grader writes must survive what a submission can put into it: folder names and
texts a learner chose, a full disk, and another run writing into the same --out.

- `clip(text, limit)`: a text cut to `limit` characters, with a note saying so;
  `bounded(results)` a Gradescope results dict with every output clipped;
- `safe_cell(text)`: a summary.csv cell a spreadsheet never evaluates as a formula;
- `safe_folder_name(name)`: an output folder name that is neither summary.csv nor hidden;
- `write_atomically(path, text)`: the file whole or not at all (a full disk leaves the old
  file, never a truncated one);
- `lock_output(out)`: held while a run writes into `out`; a second run fails at once.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

ERROR_TEXT = 4000  # characters of one error (a message, a traceback)
TEST_OUTPUT = 16000  # characters of one test's output
RUN_OUTPUT = 32000  # characters of the top-level output
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
RESERVED = {"summary.csv"}


def clip(text: str, limit: int = ERROR_TEXT) -> str:
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\n[... {len(text) - limit} more characters cut by the grader]"


def bounded(results: dict) -> dict:
    """Gradescope's results with the top-level output and each test's output clipped."""
    tests = [{**test, "output": clip(test.get("output", ""), TEST_OUTPUT)} for test in results.get("tests", [])]
    return {**results, "output": clip(results.get("output", ""), RUN_OUTPUT), "tests": tests}


def safe_cell(text) -> str:
    """A cell that starts like a formula (=, +, -, @, a tab or a newline) is quoted with a
    leading apostrophe, as OWASP recommends; numbers are left as they are."""
    if isinstance(text, (int, float)):
        return text
    text = str(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_folder_name(name: str) -> str:
    """The folder a submission's results.json goes in: its own name, unless that is the
    summary's name or starts with a dot (hidden, or the lock's)."""
    return f"submission-{name}" if name in RESERVED or name.startswith(".") else name


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, flush it to disk, then rename it over
    `path`; on any error the temporary file is removed and `path` is as it was."""
    path = Path(path)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


@contextmanager
def lock_output(out: Path):
    """An exclusive lock on the output folder itself (no file added to it) for the length of
    a run; RuntimeError at once if another run holds it."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(f"{out}: another grading run is writing there; wait for it or choose another --out") from None
        yield out
    finally:
        os.close(descriptor)
