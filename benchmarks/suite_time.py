"""Row 2: the default suite's wall time on 1 and 2 workers, with torch's import and
pytest's collection timed on their own. Each is a fresh process, as a user runs it
(timing.AS_A_USER_HAS_IT), after a first run of the suite has written the bytecode caches."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from .timing import AS_A_USER_HAS_IT

ROOT = Path(__file__).resolve().parents[1]


def _wall(*command: str) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=AS_A_USER_HAS_IT)
    return time.perf_counter() - start


def rows() -> list[tuple]:
    pytest = (sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow")
    _wall(*pytest, "--collect-only")  # writes the bytecode caches
    one = _wall(*pytest, "-n", "0")
    two = _wall(*pytest, "-n", "2", "--dist", "load")
    return [
        ("python -c 'import torch'", _wall(sys.executable, "-c", "import torch")),
        ("pytest --collect-only", _wall(*pytest, "--collect-only")),
        ("pytest, 1 worker", one),
        ("pytest -n 2 --dist load", two),
        ("speed-up, 1 to 2 workers", one / two),
    ]
