"""Row 4: the reference's forward + backward against the same computation in torch
(forward + autograd, the specs' oracles: F.conv2d, F.max_pool2d, F.batch_norm, ...) at
realistic sizes, the ratio taken against torch on one thread like NumPy's elementwise ops."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable

import numpy as np
import torch

from backprop_dojo.checks import arguments, as_tensors
from backprop_dojo.checks.common import active, oracle_arguments
from backprop_dojo.exercises import EXERCISES
from backprop_dojo.learner import Learner
from backprop_dojo.run_config import RunConfig

from .cases import REALISTIC
from .timing import best_seconds

NAIVE = {"conv_forward_naive", "max_pool_forward_naive"}


def rows(learner: Learner) -> list[tuple]:
    table = []
    for name in REALISTIC:
        reference, with_torch = computations(name, learner)
        ours, threaded = best_seconds(reference), best_seconds(with_torch)
        with _one_thread():  # like NumPy's elementwise operations
            single = best_seconds(with_torch)
        kind = "naive by design" if name in NAIVE else "vectorized"
        table.append((name, kind, ours, single, threaded, ours / single))
    return table


def computations(name: str, learner: Learner) -> tuple[Callable, Callable]:
    """The learner's forward + backward and torch's forward + autograd on one realistic case
    and one upstream gradient, under the default conventions; each returns its gradients."""
    spec = EXERCISES[name].spec
    case = REALISTIC[name]()
    forward, backward = learner.functions[name], learner.functions[spec.backward[0]]
    tensors = as_tensors(case, spec.grads)
    out = forward(*arguments(spec, case).values())[0] if spec.random else None  # the mask to read
    kwargs = oracle_arguments(spec, case, out, tensors, active(spec, RunConfig()))
    dout = np.random.default_rng(0).standard_normal(spec.oracle(**kwargs).shape)
    torch_dout = torch.from_numpy(dout)

    def with_learner():
        out, cache = forward(*arguments(spec, case).values())
        return backward(dout, cache)

    def with_torch():
        return torch.autograd.grad(spec.oracle(**kwargs), [tensors[g] for g in spec.grads], torch_dout)

    return with_learner, with_torch


@contextmanager
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def knn_rows(learner: Learner, num_test: int = 100, num_train: int = 1000, dims: int = 3072) -> list[tuple]:
    """The reference's three kNN distance methods on one CIFAR-10-shaped data set, against
    torch.cdist (one thread) as the floor."""
    rng = np.random.default_rng(0)
    X_train, X = rng.standard_normal((num_train, dims)), rng.standard_normal((num_test, dims))
    knn = learner.functions["KNearestNeighbor"]()
    knn.train(X_train, rng.integers(0, 10, num_train))
    with _one_thread():
        floor = best_seconds(lambda: torch.cdist(torch.from_numpy(X), torch.from_numpy(X_train)), repeat=3)
    table = []
    for method in ("two_loops", "one_loop", "no_loops"):
        distances = getattr(knn, f"compute_distances_{method}")
        seconds = best_seconds(lambda: distances(X), repeat=1 if method == "two_loops" else 3)
        table.append((f"compute_distances_{method}", seconds, floor, seconds / floor))
    return table
