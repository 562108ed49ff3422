"""The kNN exercise's speed table: a learner's three distance methods on one data set, each
time and its speed-up over two loops, next to torch.cdist as the floor."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import torch
from rich.console import Console
from rich.table import Table

from .exercises.classifiers import KNN_METHODS
from .learner import load
from .plugin import REFERENCE


def timings(folder: Path | None, num_test: int, num_train: int, dims: int = 3072) -> list[tuple[str, float | str]]:
    """Each method's seconds on CIFAR-10-shaped random data, or why it could not run."""
    learner = load(folder or REFERENCE, timeout=0)
    rng = np.random.default_rng(0)
    X_train, X = rng.standard_normal((num_train, dims)), rng.standard_normal((num_test, dims))
    rows = []
    for method in KNN_METHODS:
        name = f"KNearestNeighbor.compute_distances_{method}"
        if name not in learner.functions:
            rows.append((method, "not found"))
            continue
        knn = learner.functions["KNearestNeighbor"]()
        knn.train(X_train, rng.integers(0, 10, num_train))
        start = time.perf_counter()
        try:
            getattr(knn, f"compute_distances_{method}")(X)
        except NotImplementedError:
            rows.append((method, "not implemented"))
            continue
        rows.append((method, time.perf_counter() - start))
    floor = []
    for _ in range(3):  # the best of three: its first call pays torch's warm-up
        start = time.perf_counter()
        torch.cdist(torch.from_numpy(X), torch.from_numpy(X_train))
        floor.append(time.perf_counter() - start)
    rows.append(("torch.cdist", min(floor)))
    return rows


def print_table(folder: Path | None, cifar: bool = False) -> None:
    num_test, num_train = (500, 5000) if cifar else (100, 1000)
    rows = timings(folder, num_test, num_train)
    two_loops = rows[0][1] if isinstance(rows[0][1], float) else None
    table = Table(title=f"kNN distances, {num_test} x {num_train} points of 3072 values", title_justify="left")
    for column in ("method", "time", "speed-up over two loops"):
        table.add_column(column, justify="left" if column == "method" else "right")
    for method, seconds in rows:
        if isinstance(seconds, str):
            table.add_row(method, seconds, "")
        else:
            speedup = f"{two_loops / seconds:.1f}x" if two_loops else ""
            table.add_row(method, f"{seconds:.3f} s", speedup)
    Console().print(table)
