"""The examples each check passed, kept between a learner's runs in the user's cache folder.

Which examples a check draws follows from its seed, the number of examples, Hypothesis's
and NumPy's versions and this package's code, never from the learner's code (recorded.py
says why). So the examples a check passed once, on any folder, are the ones it draws again
in every later run on this machine: a learner's next `backprop-dojo check` (or `pytest
--impl`, or `check()`) replays them instead of running Hypothesis's engine, as the grader
does for its second submission. A replayed failure is handed to Hypothesis, which draws and
shrinks as always, so the verdict stays Hypothesis's own.

Kept in $XDG_CACHE_HOME/backprop-dojo (~/.cache/backprop-dojo), a folder per fingerprint of
what the draws depend on, a file per check: `rm -r` it at any time. Written atomically;
a file that cannot be read is ignored. The grader never reads it: a rubric's examples are
drawn by the grader itself.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from functools import cache
from pathlib import Path

PREFIX = "examples-"


def folder() -> Path:
    """This user's cache folder, where the XDG base directory specification puts it."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "backprop-dojo"


@cache
def fingerprint() -> str:
    """What the drawn examples depend on: Hypothesis, NumPy and Python, and every source
    file of this package (its strategies, specs and checks)."""
    import hypothesis
    import numpy

    digest = hashlib.blake2b(f"{hypothesis.__version__} {numpy.__version__} {sys.version_info[:2]}".encode(),
                             digest_size=12)
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        digest.update(str(source.relative_to(package)).encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


class KeptExamples:
    """The recordings of one fingerprint, a file per (exercise, check, seed, examples)."""

    def __init__(self, root: Path | None = None):
        self.root = folder() if root is None else root
        self.here = self.root / f"{PREFIX}{fingerprint()}"

    def get(self, key: tuple[str, str, int, int]) -> list | None:
        try:
            with open(self._file(key), "rb") as kept:
                recording = pickle.load(kept)
        except Exception:  # none kept yet, or a file that cannot be read: draw afresh
            return None
        return recording if isinstance(recording, list) else None

    def put(self, key: tuple[str, str, int, int], recording: list) -> None:
        """Keep a check's recording, if the cache folder can be written; else nothing."""
        try:
            fresh = not self.here.is_dir()
            self.here.mkdir(parents=True, exist_ok=True, mode=0o700)
            if fresh:
                self._forget_other_fingerprints()
            handle, temporary = tempfile.mkstemp(dir=self.here, suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(recording, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self._file(key))
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            Path(temporary).unlink(missing_ok=True)

    def _file(self, key: tuple[str, str, int, int]) -> Path:
        exercise, check, seed, examples = key
        return self.here / f"{exercise}-{check}-{seed}-{examples}.pickle"

    def _forget_other_fingerprints(self) -> None:
        """Recordings of another version of the package or its dependencies are never read again."""
        for other in self.root.glob(f"{PREFIX}*"):
            if other != self.here:
                shutil.rmtree(other, ignore_errors=True)
