"""The trusted copy of a submission that its learner process reads: Python sources and
compiled extensions only, read without following a symbolic link out of the folder, under
limits on size, count and depth. A file that cannot be copied (a link out of the folder, a
FIFO or a device under a code name, a file over the size limit) is left out and named, so
that only its module fails; a folder over a limit is refused as a whole (CopyRefused)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

CODE = (".py", ".so", ".pyd")
SKIPPED = {"__pycache__", ".git", ".ipynb_checkpoints", "datasets"}
MAX_FILE = 16 * 2**20  # bytes of one file
MAX_TOTAL = 64 * 2**20  # bytes copied in all
MAX_FILES = 2000  # files copied
MAX_ENTRIES = 100_000  # directory entries looked at
MAX_DEPTH = 24  # folders below the submission


class CopyRefused(Exception):
    """The submission is over a limit: none of it is graded, and this says why."""


def copy_submission(folder: Path, target: Path) -> dict[str, str]:
    """Copy `folder`'s code into the new folder `target`; returns what was left out, by
    relative path, with why. Walks iteratively: no depth is too deep to be refused."""
    folder = Path(folder).resolve()
    left_out: dict[str, str] = {}
    totals = {"bytes": 0, "files": 0, "entries": 0}
    pending = [Path()]
    while pending:
        relative = pending.pop()
        if len(relative.parts) > MAX_DEPTH:
            raise CopyRefused(f"{relative.parts[0]}/...: folders nested deeper than {MAX_DEPTH} levels")
        (target / relative).mkdir(mode=0o755, exist_ok=True)
        with os.scandir(folder / relative) as entries:
            for entry in entries:
                totals["entries"] += 1
                if totals["entries"] > MAX_ENTRIES:
                    raise CopyRefused(f"more than {MAX_ENTRIES} files and folders")
                path = relative / entry.name
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in SKIPPED:
                        pending.append(path)
                elif entry.name.endswith(CODE):
                    why = _copy_file(folder, path, target / path, totals)
                    if why:
                        left_out[str(path)] = why
    return left_out


def _copy_file(folder: Path, relative: Path, destination: Path, totals: dict) -> str | None:
    """Copy one code file; a reason when it is not copied. A symbolic link is copied as the
    regular file it names only when that file is inside the submission."""
    source = folder / relative
    if source.is_symlink():
        real = Path(os.path.realpath(source))
        if not real.is_relative_to(folder):
            return "left out of the grading copy: a symbolic link to a file outside the submission"
        source = real
    try:
        descriptor = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        return f"left out of the grading copy: it cannot be read ({error.strerror})"
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return "left out of the grading copy: not a regular file (a FIFO, a device or a socket)"
        if status.st_size > MAX_FILE:
            return f"left out of the grading copy: larger than {MAX_FILE // 2**20} MB"
        totals["bytes"] += status.st_size
        totals["files"] += 1
        if totals["bytes"] > MAX_TOTAL or totals["files"] > MAX_FILES:
            raise CopyRefused(f"more than {MAX_TOTAL // 2**20} MB or {MAX_FILES} files of code")
        data = file.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        return f"left out of the grading copy: larger than {MAX_FILE // 2**20} MB"
    destination.write_bytes(data)
    destination.chmod(0o644)
    return None
