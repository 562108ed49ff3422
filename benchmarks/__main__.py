"""Every table of the speed targets, each ratio measured side by side in this one run."""

import argparse
import os
import platform

import torch
from rich.console import Console
from rich.table import Table

from backprop_dojo.learner import load
from backprop_dojo.plugin import REFERENCE

from . import grading_scale, grading_throughput, learner_run, reference_speed, suite_time, verdict_cost


def _table(title: str, *columns: str) -> Table:
    table = Table(title=f"\n{title}", title_justify="left", min_width=len(title))
    for i, column in enumerate(columns):
        table.add_column(column, justify="left" if i == 0 else "right")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--scale", action="store_true", help="add grading at scale (about 5 minutes more)")
    scale = parser.parse_args().scale
    console = Console(width=110)
    console.print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"torch {torch.__version__} ({torch.get_num_threads()} threads)"
    )
    reference = load(REFERENCE)

    cost = verdict_cost.rows(reference)
    table = _table(
        "1. One verdict (forward + backward checks) vs a numerical gradient check (h = 1e-5)",
        "exercise", "size", "checked numbers", "numerical check", "harness verdict", "ratio",
    )
    for name, size, numel, numerical, harness, ratio in cost:
        table.add_row(name, size, str(numel), f"{numerical * 1e3:.2f} ms", f"{harness * 1e3:.2f} ms", f"{ratio:.0f}x")
    console.print(table)
    console.print(f"geometric mean ratio, layers with parameters, notebook sizes: {verdict_cost.parameter_layers_ratio(cost):.0f}x")

    table = _table("2. Suite wall time (the README's test command, -m 'not slow')", "what", "time")
    for what, value in suite_time.rows():
        table.add_row(what, f"{value:.2f}x" if what.startswith("speed-up") else f"{value:.2f} s")
    console.print(table)

    table = _table("5. The learner's run: CPU seconds of the whole process, against the floor", "what", "CPU", "ratio")
    for what, seconds, ratio in learner_run.rows():
        table.add_row(what, f"{seconds:.2f} s", f"{ratio:.2f}x" if ratio else "")
    console.print(table)

    table = _table(
        f"3. Grading throughput: {grading_throughput.COPIES} copies of the reference, default rubric", "what", "value"
    )
    for what, value in grading_throughput.rows():
        table.add_row(what, value)
    console.print(table)
    if scale:
        _grading_scale(console)

    table = _table(
        "4. Reference forward + backward vs torch forward + autograd, realistic sizes (ratio vs 1 thread)",
        "exercise", "kind", "reference", "torch, 1 thread", f"torch, {torch.get_num_threads()} threads", "ratio",
    )
    for name, kind, ours, single, threaded, ratio in reference_speed.rows(reference):
        times = (f"{seconds * 1e3:.2f} ms" for seconds in (ours, single, threaded))
        table.add_row(name, kind, *times, f"{ratio:.1f}x")
    console.print(table)
    table = _table(
        "kNN distances, 100 test x 1000 training points of 3072 values, vs torch.cdist (1 thread)",
        "method", "reference", "torch.cdist", "ratio",
    )
    for name, ours, floor, ratio in reference_speed.knn_rows(reference):
        table.add_row(name, f"{ours * 1e3:.1f} ms", f"{floor * 1e3:.1f} ms", f"{ratio:.1f}x")
    console.print(table)


def _grading_scale(console: Console) -> None:
    measured, extrapolated = grading_scale.rows()
    table = _table(
        f"3b. Grading at scale: copies of the reference, {grading_scale.JOBS} jobs, peaks over every process",
        "submissions", "wall", "memory (PSS)", "largest process", "open files", "scratch",
    )
    for row in measured:
        table.add_row(*row)
    console.print(table)
    table = _table(f"Extrapolated to {grading_scale.TARGET} submissions on this machine", "what", "value")
    for what, value in extrapolated:
        table.add_row(what, value)
    console.print(table)


if __name__ == "__main__":
    main()
