"""Hypothesis strategies shared by the exercise specs.

Hypothesis draws the shapes, the scale and a seed; the values come from a NumPy generator
seeded with it. Shrinking then leads to the smallest shapes and seed 0, while the values
stay continuous: no exact ties or kinks (relu at 0, equal maxima) in these draws.
"""

from __future__ import annotations

import functools

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

seeds = st.integers(0, 2**32 - 1)
generators = seeds.map(np.random.default_rng)
scales = st.sampled_from([0.1, 0.5, 1.0, 2.0, 10.0])
eps_values = st.sampled_from([1e-5, 1e-3])


@functools.cache
def array_shapes(**bounds) -> st.SearchStrategy[tuple[int, ...]]:
    """hnp.array_shapes(**bounds), made once per bounds: a strategy made inside a composite
    would be built and validated again at every draw (a fifth of a case's cost)."""
    return hnp.array_shapes(**bounds)


def normal(rng: np.random.Generator, *shape: int, scale: float = 1.0) -> np.ndarray:
    return scale * rng.standard_normal(shape)


def labels(rng: np.random.Generator, n: int, classes: int) -> np.ndarray:
    return rng.integers(0, classes, size=n)


@st.composite
def window_axis(draw, stride: int, pad: int = 0, max_kernel: int = 4, max_out: int = 3):
    """(kernel size, input size) along one axis so that the windows fit exactly:
    input + 2 * pad - kernel is a multiple of stride, and the input is not empty."""
    kernel = draw(st.integers(1, max_kernel))
    fewest = 1 + max(0, -(-(2 * pad - kernel + 1) // stride))
    out = draw(st.integers(fewest, fewest + max_out - 1))
    return kernel, (out - 1) * stride + kernel - 2 * pad
