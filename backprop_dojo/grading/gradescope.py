"""Gradescope: `backprop-dojo gradescope` writes the autograder bundle (setup.sh,
run_autograder, the rubric and this project's wheel, see gradescope_files/), and
run_autograder grades each submission with `python -m backprop_dojo.grading.gradescope ROOT`,
ROOT being /autograder: ROOT/submission into ROOT/results/results.json."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

FILES = Path(__file__).resolve().parent / "gradescope_files"
PROJECT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "backprop_dojo", "reference")  # what the wheel is built from


def bundle(rubric_path: Path, out: Path) -> None:
    """The zip to upload: setup.sh and run_autograder at its root, the rubric, the wheel."""
    if not (PROJECT / "pyproject.toml").is_file():
        raise ValueError("gradescope: the bundle is built from backprop-dojo's source; run it from a checkout")
    with tempfile.TemporaryDirectory(prefix="dojo-bundle-") as scratch:
        wheel = build_wheel(Path(scratch))
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zipped:
            for name in ("setup.sh", "run_autograder"):
                info = zipfile.ZipInfo(name)
                info.external_attr = 0o100755 << 16  # executable once unzipped
                zipped.writestr(info, (FILES / name).read_bytes())
            zipped.write(rubric_path, "rubric.toml")
            zipped.write(wheel, wheel.name)


def build_wheel(scratch: Path) -> Path:
    """This project's wheel, built from a copy of its sources (the checkout stays as it is),
    with `python -m build` when it is installed, else `pip wheel`."""
    source, wheels = scratch / "source", scratch / "wheels"
    for name in SOURCES:
        if (PROJECT / name).is_dir():
            shutil.copytree(PROJECT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy(PROJECT / name, source / name)
    offline = importlib.util.find_spec("setuptools") is not None  # build with it, not a downloaded one
    if importlib.util.find_spec("build"):
        command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(wheels), *(["--no-isolation"] * offline)]
    else:
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(wheels), *(["--no-build-isolation"] * offline)]
    done = subprocess.run([*command, str(source)], capture_output=True, text=True)
    if done.returncode:
        raise ValueError(f"gradescope: building backprop-dojo's wheel failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    (wheel,) = wheels.glob("*.whl")
    return wheel


def autograde(root: Path) -> int:
    """Grade ROOT/submission with ROOT/source/rubric.toml; 1 when the grader failed somewhere."""
    from . import rubric
    from .grade import grade, grader_errors, write_json
    from .sandbox import namespaces_available

    chosen = rubric.load(root / "source" / "rubric.toml")
    # Gradescope gives each submission a container of its own: where it cannot build the
    # learner's jail, process isolation inside that container is the choice, said in the output
    isolation = "namespaces" if namespaces_available() else "process"
    result = grade(root / "submission", chosen, isolation=isolation)
    write_json(root / "results" / "results.json", result)
    errors = grader_errors(result)
    for error in errors:
        print(f"GRADER ERROR {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(autograde(Path(sys.argv[1])))
