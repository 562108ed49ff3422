"""Row 4: the reference's forward + backward against the same computation in torch
(forward + autograd, the specs' oracles: F.conv2d, F.max_pool2d, F.batch_norm, ...) at
realistic sizes, the ratio taken against torch on one thread like NumPy's elementwise ops."""

from __future__ import annotations

import copy
from contextlib import contextmanager

import numpy as np
import torch

from backprop_dojo.checks import as_tensors
from backprop_dojo.exercises import EXERCISES
from backprop_dojo.learner import Learner

from .timing import best_seconds

rng = np.random.default_rng(7)


def _normal(*shape):
    return rng.standard_normal(shape)


REALISTIC = {
    "affine_forward": lambda: {"x": _normal(128, 3, 32, 32), "w": _normal(3072, 100), "b": _normal(100)},
    "relu_forward": lambda: {"x": _normal(128, 4096)},
    "batchnorm_forward": lambda: {
        "x": _normal(128, 1024),
        "gamma": _normal(1024),
        "beta": _normal(1024),
        "bn_param": {"mode": "train"},
    },
    "layernorm_forward": lambda: {"x": _normal(128, 1024), "gamma": _normal(1024), "beta": _normal(1024), "ln_param": {}},
    "dropout_forward": lambda: {"x": _normal(128, 4096), "dropout_param": {"mode": "train", "p": 0.5, "seed": 1}},
    "conv_forward_naive": lambda: {
        "x": _normal(16, 3, 32, 32),
        "w": _normal(16, 3, 3, 3),
        "b": _normal(16),
        "conv_param": {"stride": 1, "pad": 1},
    },
    "max_pool_forward_naive": lambda: {
        "x": _normal(16, 16, 32, 32),
        "pool_param": {"pool_height": 2, "pool_width": 2, "stride": 2},
    },
    "spatial_batchnorm_forward": lambda: {
        "x": _normal(16, 16, 32, 32),
        "gamma": _normal(16),
        "beta": _normal(16),
        "bn_param": {"mode": "train"},
    },
    "spatial_groupnorm_forward": lambda: {
        "x": _normal(16, 16, 32, 32),
        "gamma": _normal(1, 16, 1, 1),
        "beta": _normal(1, 16, 1, 1),
        "G": 4,
        "gn_param": {},
    },
}

NAIVE = {"conv_forward_naive", "max_pool_forward_naive"}


def rows(learner: Learner) -> list[tuple]:
    table = []
    for name, build in REALISTIC.items():
        spec = EXERCISES[name].spec
        case = build()
        forward, backward = learner.functions[name], learner.functions[spec.backward[0]]

        def reference():
            out, cache = forward(*copy.deepcopy([case[k] for k in spec.signature]))
            backward(dout, cache)

        tensors = as_tensors(case, spec.grads)
        kwargs = {k: tensors[k] for k in spec.signature}
        if spec.random:
            kwargs["mask"] = spec.random.mask(forward(*copy.deepcopy([case[k] for k in spec.signature]))[0])
        dout = np.random.default_rng(0).standard_normal(spec.oracle(**kwargs).shape)
        torch_dout = torch.from_numpy(dout)

        def with_torch():
            out = spec.oracle(**kwargs)
            torch.autograd.grad(out, [tensors[g] for g in spec.grads], torch_dout)

        ours, threaded = best_seconds(reference), best_seconds(with_torch)
        with _one_thread():  # like NumPy's elementwise operations
            single = best_seconds(with_torch)
        kind = "naive by design" if name in NAIVE else "vectorized"
        table.append((name, kind, ours, single, threaded, ours / single))
    return table


@contextmanager
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
