"""The HTML report, `pytest --report report.html`: for every failing test its message and,
for each wrong tensor, heatmaps of expected, got and |difference|, so that a wrong row,
column or channel shows at a glance; and the learner's kNN distance map, whose bright rows
and columns are the points far from all the others.

The heatmaps are drawn where the failure happens (in an xdist worker too) and travel to
the main process as PNGs in the test report's user_properties; the page is one file.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
from pathlib import Path

import numpy as np
import pytest

from .learner import STOPPED, NotImplementedExercise

# What the learner's code may raise beyond a wrong answer, which the tests report anyway.
LEARNER_PROBLEMS = (Exception, NotImplementedExercise, *STOPPED)
PICTURES = "backprop-dojo pictures"  # the user_properties key
LARGER_EXAMPLES = 25  # drawn, without shrinking, for the largest failing example


def image_of(array: np.ndarray) -> tuple[np.ndarray, str, tuple[int, int] | None]:
    """A tensor laid out as one 2-D image, what its rows and columns are, and its tiles'
    (height, width) if any: (N, C, H, W) becomes N×H rows of C tiles W wide, so that one
    channel is one band of columns and one sample one band of rows."""
    array = np.asarray(array, dtype=float)
    if array.ndim <= 1:
        return array.reshape(1, -1), "one row", None
    if array.ndim == 2:
        return array, f"rows: axis 0 ({array.shape[0]}), columns: axis 1 ({array.shape[1]})", None
    if array.ndim == 4:
        n, c, h, w = array.shape
        image = array.transpose(0, 2, 1, 3).reshape(n * h, c * w)
        return image, f"rows: N×H, columns: C tiles of W ({n}×{c} tiles, outlined)", (h, w)
    return array.reshape(-1, array.shape[-1]), "rows: every axis but the last, columns: the last axis", None


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode()


def heatmaps(output: str, expected: np.ndarray, got: np.ndarray, example: str = "minimal") -> dict:
    """Expected, got and |difference| of one wrong tensor side by side, the worst element ringed."""
    # imported here: only a failing run with --report pays for matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    (want, layout, tile), (have, _, _) = image_of(expected), image_of(got)
    difference = np.abs(have - want)
    worst = np.unravel_index(np.argmax(difference), difference.shape)
    bound = max(np.abs(want).max(initial=0), np.abs(have).max(initial=0)) or 1.0
    figure = Figure(figsize=(12, 3.6))
    for axes, values, title, style in zip(
        figure.subplots(1, 3),
        (want, have, difference),
        ("expected (torch)", "got (yours)", "|difference|"),
        ({"cmap": "RdBu_r", "vmin": -bound, "vmax": bound}, {"cmap": "RdBu_r", "vmin": -bound, "vmax": bound},
         {"cmap": "magma", "vmin": 0}),
    ):
        shown = axes.imshow(values, interpolation="nearest", aspect="auto", **style)
        axes.scatter([worst[1]], [worst[0]], s=120, facecolors="none", edgecolors="lime", linewidths=2)
        axes.set_title(f"{output}: {title}")
        if tile:
            for row in range(tile[0], values.shape[0], tile[0]):
                axes.axhline(row - 0.5, color="grey", linewidth=1)
            for column in range(tile[1], values.shape[1], tile[1]):
                axes.axvline(column - 0.5, color="grey", linewidth=1)
        for axis in (axes.xaxis, axes.yaxis):
            axis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
        figure.colorbar(shown, ax=axes)
    shape = list(np.shape(expected))
    return {"output": output, "shape": shape, "layout": layout, "example": example, "png": _png(figure)}


def attach(report: pytest.TestReport, errors: list[BaseException], exercise, check: str, learner, run_config) -> None:
    """Draw the wrong tensors the failures carry into the report (in the process that ran
    it): those of the minimal example, which show the wrong element, and those of the
    largest failing example among LARGER_EXAMPLES, which show its pattern."""
    pictures = [heatmaps(*tensors, example="minimal") for error in errors for tensors in getattr(error, "tensors", ())]
    if exercise is not None and pictures:
        pictures += [heatmaps(*tensors, example="larger") for tensors in _largest_failure(exercise, check, learner, run_config)]
    if pictures:
        report.user_properties.append((PICTURES, pictures))


def _largest_failure(exercise, check: str, learner, run_config) -> list[tuple]:
    """The wrong tensors of the largest failing example among the first LARGER_EXAMPLES of
    the run's (its seed, its conventions), if larger than the minimal example's."""
    from .checks import CHECKS
    from .compare import Mismatch
    from .verdict import examples

    if check not in CHECKS:
        return []
    largest: list[tuple] = []

    def collect(exercise, learner, data, run_config):
        try:
            CHECKS[check](exercise, learner, data, run_config)
        except Mismatch as error:
            if _size(error.tensors) > _size(largest):
                largest[:] = error.tensors

    try:
        examples(collect, exercise, learner, dataclasses.replace(run_config, examples=LARGER_EXAMPLES))()
    except LEARNER_PROBLEMS:  # failing otherwise too: the minimal example says enough
        return []
    return largest if _size(largest) > 1 else []


def _size(tensors: list[tuple]) -> int:
    return sum(np.size(expected) for _, expected, _ in tensors)


def distance_map(learner) -> dict | None:
    """The learner's kNN distances on points of varied spread, next to torch.cdist's and
    their difference: a test point far from every training point is a bright row, a far
    training point a bright column."""
    import torch
    from matplotlib.figure import Figure

    from .checks.common import call_forward
    from .exercises import EXERCISES
    from .exercises.classifiers import KNN_METHODS

    rng = np.random.default_rng(0)
    X_train = rng.standard_normal((200, 64)) * rng.lognormal(0, 0.5, (200, 1))
    X = rng.standard_normal((50, 64)) * rng.lognormal(0, 0.5, (50, 1))
    case = {"X": X, "X_train": X_train, "y_train": rng.integers(0, 10, 200)}
    for method in reversed(KNN_METHODS):  # the vectorised one first: the fastest on 200 x 50 points
        name = f"KNearestNeighbor.compute_distances_{method}"
        if not learner.has(name):
            continue
        try:
            dists = call_forward(EXERCISES[name].spec, learner, case)["dists"]
        except LEARNER_PROBLEMS as error:  # not implemented, or failing: the tests say so
            return {"method": name, "problem": str(error).splitlines()[0]}
        if np.shape(dists) != (50, 200):
            return {"method": name, "problem": f"dists has shape {np.shape(dists)}, expected (50, 200)"}
        figure = Figure(figsize=(14, 3.8))
        floor = torch.cdist(torch.from_numpy(X), torch.from_numpy(X_train)).numpy()
        panels = ((dists, "yours", "viridis"), (floor, "torch.cdist", "viridis"), (np.abs(dists - floor), "|difference|", "magma"))
        for axes, (values, title, colours) in zip(figure.subplots(1, 3), panels):
            figure.colorbar(axes.imshow(values, cmap=colours, interpolation="none", aspect="auto"), ax=axes)
            axes.set(title=title, xlabel="training point", ylabel="test point")
        return {"method": name, "png": _png(figure)}
    return None


class HtmlReport:
    """Collects the failures in the main process and writes the page at the end."""

    def __init__(self, path: Path, learner_of) -> None:
        self.path, self.learner_of = path, learner_of
        self.failures: list[tuple[str, str, list[dict]]] = []
        self.counts = {"passed": 0, "failed": 0, "skipped": 0}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or report.outcome != "passed":
            self.counts[report.outcome] += 1
        if report.failed:
            pictures = [p for key, value in report.user_properties if key == PICTURES for p in value]
            self.failures.append((report.nodeid, report.longreprtext, pictures))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        learner = self.learner_of(session.config)
        parts = [
            f"<h1>backprop-dojo report</h1><p>checking <code>{html.escape(learner.origin)}</code>: "
            + ", ".join(f"{n} {outcome}" for outcome, n in self.counts.items()) + "</p>"
        ]
        knn = distance_map(learner)
        if knn:
            parts.append(f"<h2>kNN distances: {html.escape(knn['method'])}</h2>")
            parts.append(_img(knn) if "png" in knn else f"<p>{html.escape(knn['problem'])}</p>")
        for nodeid, text, pictures in self.failures:
            parts.append(f'<h2 class="failed">{html.escape(nodeid)}</h2><pre>{html.escape(text)}</pre>')
            for picture in pictures:
                caption = (
                    f"{picture['output']} {tuple(picture['shape'])} of the {picture['example']} failing example; "
                    f"{picture['layout']}; ringed: the greatest difference"
                )
                parts.append(f"<figure>{_img(picture)}<figcaption>{html.escape(caption)}</figcaption></figure>")
        self.path.write_text(PAGE.format(body="\n".join(parts)))

    def pytest_terminal_summary(self, terminalreporter) -> None:
        terminalreporter.write_line(f"backprop-dojo: HTML report written to {self.path}")


def _img(picture: dict) -> str:
    return f'<img alt="{html.escape(picture.get("output", picture.get("method", "")))}" src="data:image/png;base64,{picture["png"]}">'


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>backprop-dojo report</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1100px}} pre{{background:#f4f4f4;padding:1em;white-space:pre-wrap}}
h2.failed{{color:#b00}} img{{max-width:100%}} figcaption{{color:#555}}</style></head>
<body>
{body}
</body></html>
"""
