"""The trusted copy of a submission that its learner process reads: Python sources and
compiled extensions only, read without following a symbolic link out of the folder, under
limits on size, count and depth. A file that cannot be copied (a link out of the folder, a
FIFO or a device under a code name, a file over the size limit, folders nested too deep) is
left out and named, so that only its modules fail; a submission over the limits on size or
count is refused as a whole (CopyRefused)."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Iterator

CODE = (".py", ".so", ".pyd")
SKIPPED = {"__pycache__", ".git", ".ipynb_checkpoints", "datasets"}
MAX_FILE = 16 * 2**20  # bytes of one file
MAX_TOTAL = 64 * 2**20  # bytes copied in all
MAX_FILES = 2000  # files copied
MAX_ENTRIES = 100_000  # directory entries looked at
MAX_DEPTH = 24  # folders below the submission


class CopyRefused(Exception):
    """The submission is over a limit: none of it is graded, and this says why."""


def code_files(folder: Path) -> Iterator[tuple[Path, bytes | None, str | None]]:
    """(relative path, its bytes, None) for each code file to copy, (relative path, None,
    why) for each left out; CopyRefused over the limits. Walks iteratively: no depth is too
    deep to be refused, and never follows a link to a folder."""
    folder = Path(folder).resolve()
    totals = {"bytes": 0, "files": 0, "entries": 0}
    pending = [Path()]
    while pending:
        relative = pending.pop()
        if len(relative.parts) > MAX_DEPTH:
            yield relative, None, f"left out of the grading copy: folders nested deeper than {MAX_DEPTH} levels"
            continue
        with os.scandir(folder / relative) as entries:
            for entry in sorted(entries, key=lambda entry: entry.name):
                totals["entries"] += 1
                if totals["entries"] > MAX_ENTRIES:
                    raise CopyRefused(f"more than {MAX_ENTRIES} files and folders")
                path = relative / entry.name
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in SKIPPED:
                        pending.append(path)
                elif entry.name.endswith(CODE):
                    data, why = _read_file(folder, path, totals)
                    yield path, data, why


def copy_submission(folder: Path, target: Path) -> dict[str, str]:
    """Copy `folder`'s code into the new folder `target`; returns what was left out, by
    relative path, with why."""
    left_out = {}
    target.mkdir(mode=0o755, exist_ok=True)
    for relative, data, why in code_files(folder):
        if why:
            left_out[f"{relative}"] = why
            continue
        (target / relative).parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        (target / relative).write_bytes(data)
        (target / relative).chmod(0o644)
    return left_out


def digest(folder: Path) -> str:
    """A hash of what the copy of `folder` holds (and of what it leaves out, and why), read
    under the same limits: for telling whether a submission changed since its grade."""
    hashed = hashlib.sha256()
    try:
        for relative, data, why in code_files(folder):
            hashed.update(f"{relative}\0{why or ''}\0".encode() + (data or b""))
    except CopyRefused as refused:
        hashed.update(f"refused\0{refused}".encode())
    return hashed.hexdigest()[:16]


def _read_file(folder: Path, relative: Path, totals: dict) -> tuple[bytes | None, str | None]:
    """One code file's bytes, or why it is left out. A symbolic link is read as the regular
    file it names only when that file is inside the submission."""
    source = folder / relative
    if source.is_symlink():
        real = Path(os.path.realpath(source))
        if not real.is_relative_to(folder):
            return None, "left out of the grading copy: a symbolic link to a file outside the submission"
        source = real
    try:
        descriptor = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        return None, f"left out of the grading copy: it cannot be read ({error.strerror})"
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return None, "left out of the grading copy: not a regular file (a FIFO, a device or a socket)"
        if status.st_size > MAX_FILE:
            return None, f"left out of the grading copy: larger than {MAX_FILE // 2**20} MB"
        totals["bytes"] += status.st_size
        totals["files"] += 1
        if totals["bytes"] > MAX_TOTAL or totals["files"] > MAX_FILES:
            raise CopyRefused(f"more than {MAX_TOTAL // 2**20} MB or {MAX_FILES} files of code")
        data = file.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        return None, f"left out of the grading copy: larger than {MAX_FILE // 2**20} MB"
    return data, None
