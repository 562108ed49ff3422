"""A hostile corpus: submissions that attack the grader, each a correct layers.py with one
addition. {repository} and {out} are filled in with the paths of the grading run."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORRECT = (ROOT / "reference" / "layers.py").read_text()

ATTACKS = {
    "endless_loop": """
def relu_forward(x):
    while True:
        pass
""",
    "endless_loop_deaf_to_signals": """
import signal

def relu_forward(x):  # blocks the alarm: only a kill from outside stops it
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
    while True:
        pass
""",
    "exits_at_import": """
print('{{"score": 100.0, "tests": []}}')
import os
os._exit(0)
""",
    "segfault": """
import ctypes

def relu_forward(x):
    return ctypes.string_at(0)
""",
    "memory_hog": """
def relu_forward(x):
    hog = np.ones((4, 2**30 // 8))  # 4 GiB
    return hog, None
""",
    "monkeypatches": """
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
try:
    import torch
    torch.allclose = lambda *args, **kwargs: True
    torch.testing.assert_close = lambda *args, **kwargs: None
except ImportError:
    pass

def relu_forward(x):
    return x, x
""",
    "steals_frames": """
import sys

def relu_forward(x):
    frame = sys._getframe(1)
    while frame is not None:
        for name, value in frame.f_locals.items():
            if name in ("expected", "expected_out", "out") and isinstance(value, np.ndarray) and value.shape == x.shape:
                return value, x
        frame = frame.f_back
    return x, x
""",
    "imports_reference": """
try:
    from reference.layers import relu_forward
except ImportError:
    try:
        exec(open("{repository}/reference/layers.py").read())
    except OSError:
        def relu_forward(x):
            return x, x
""",
    "fake_results": """
import json, os
fake = json.dumps({{"score": 100.0, "tests": []}})
for folder in (".", "..", "{out}", "{out}/fake_results", "{submissions}/fake_results", "{submissions}"):
    try:
        with open(os.path.join(folder, "results.json"), "w") as file:
            file.write(fake)
    except OSError:
        pass

def relu_forward(x):
    return x, x
""",
    "leaves_a_process": """
import subprocess
subprocess.Popen(["sleep", "987654"], start_new_session=True)
""",
    "noisy": """
import sys
for line in range(10_000):
    print("noise", line)
    print("noise", line, file=sys.stderr)
""",
}


def write(submissions: Path, out: Path) -> list[Path]:
    """Every hostile submission, plus a correct one and a buggy one, under `submissions`."""
    folders = []
    sources = {"correct": CORRECT, "buggy": CORRECT.replace("dx = dout * (x > 0)", "dx = 1.0 * (x > 0)")}
    paths = {"repository": ROOT, "out": out, "submissions": submissions}
    sources |= {name: CORRECT + attack.format(**paths) for name, attack in ATTACKS.items()}
    for name, source in sources.items():
        (submissions / name).mkdir(parents=True)
        (submissions / name / "layers.py").write_text(source)
        folders.append(submissions / name)
    return folders
