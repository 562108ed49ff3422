"""The HTML report (`--report`): heatmaps of every wrong tensor and the kNN distance map,
looked at in headless Chromium as a learner's browser shows them."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib.figure  # before pytester's snapshot of sys.modules, which would unload it
import matplotlib.image
import numpy as np
import pytest

from backprop_dojo.report import heatmaps, image_of
from tests.bugs import BUGS

from .test_pytest_runs import ROOT, pytest_run


@pytest.fixture
def chromium() -> str:
    """Debian's chromium: .ci/run installs it; elsewhere its tests are skipped without it."""
    found = shutil.which("chromium")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs it with apt-get")
        pytest.skip("needs Debian's chromium: apt-get install --no-install-recommends chromium")
    return found


def test_a_wrong_channel_is_one_band_of_columns():
    expected = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    got = expected.copy()
    got[:, 1] += 1.0  # channel 1 is wrong in every sample
    (want, layout, tile), (have, _, _) = image_of(expected), image_of(got)
    wrong_columns = np.flatnonzero(np.abs(have - want).max(axis=0))
    assert want.shape == (2 * 4, 3 * 5) and tile == (4, 5) and "2×3 tiles" in layout
    assert wrong_columns.tolist() == list(range(5, 10))


def test_heatmaps_are_a_png_of_three_panels():
    expected = np.arange(6.0).reshape(2, 3)
    picture = heatmaps("dx", expected, expected * 2)
    assert picture["output"] == "dx" and picture["shape"] == [2, 3]
    assert picture["png"].startswith("iVBORw0KGgo")  # base64 of the PNG signature


def _learner_folder(folder: Path) -> Path:
    """An assignment with a padding bug in conv_backward_naive and a sign bug in the
    no-loop kNN distances; everything else correct."""
    package = folder / "cs231n"
    (package / "classifiers").mkdir(parents=True)
    for init in (package, package / "classifiers"):
        (init / "__init__.py").write_text("")
    for name, bug_mistake in (("layers.py", "crops dx without the padding offset"),
                              ("classifiers/k_nearest_neighbor.py", "adds the cross term instead of subtracting it")):
        bug = next(bug for bug in BUGS if bug.mistake == bug_mistake)
        source = (ROOT / "reference" / name).read_text()
        (package / name).write_text(source.replace(bug.old, bug.new))
    return folder


def screenshot(chromium: str, page: Path, png: Path) -> np.ndarray:
    """The page as headless Chromium renders it, as RGB values in [0, 1]."""
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={png.parent / 'chromium-profile'}", "--hide-scrollbars",
         "--window-size=1280,3000", f"--screenshot={png}", page.as_uri()],
        check=True, capture_output=True, timeout=60,
    )
    return matplotlib.image.imread(png)[..., :3]


@pytest.mark.slow
def test_the_report_shows_the_wrong_tensors_and_the_distance_map_in_chromium(pytester, tmp_path, chromium):
    folder = _learner_folder(tmp_path / "assignment")
    page = tmp_path / "report.html"
    code, out = pytest_run(pytester, f"--impl={folder}", f"--report={page}", "-k", "conv_backward_naive or compute_distances_no_loops")
    assert code == 1, out
    assert f"HTML report written to {page}" in out
    text = page.read_text()
    assert sorted(re.findall(r'<h2 class="failed">([^<]+)</h2>', text)) == [
        "tests/test_exercises.py::test_backward[conv_backward_naive]",
        "tests/test_exercises.py::test_forward[KNearestNeighbor.compute_distances_no_loops]",
    ]
    # the minimal example's tensors, then those of a larger one, for each failure
    assert sorted(re.findall(r'<img alt="([^"]+)"', text)) == ["KNearestNeighbor.compute_distances_no_loops", "dists", "dists", "dx", "dx"]
    assert re.search(r"dx \(1, 1, 1, 1\) of the minimal failing example; rows: N×H, columns: C tiles of W", text)
    assert re.search(r"dx \(\d+, \d+, \d+, \d+\) of the larger failing example", text)

    pixels = screenshot(chromium, page, tmp_path / "report.png")
    colourful = (pixels.max(axis=-1) - pixels.min(axis=-1)) > 0.25  # heatmaps; text and background are grey
    red = (pixels[..., 0] > 0.6) & (pixels[..., 2] < 0.35)  # RdBu's positive end
    blue = (pixels[..., 2] > 0.6) & (pixels[..., 0] < 0.35)  # and its negative end
    assert colourful.mean() > 0.05, "the heatmaps did not render"
    assert red.sum() > 500 and blue.sum() > 500
