"""Specs of the assignment-2 `layers.py` exercises, each with a torch oracle of its own.

The oracles use torch's ops only, never reference/. Where torch's module conventions differ
from CS231n's, the CS231n convention is spelled out here (running statistics, dropout's p).
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import strategies as st

from .. import kinks
from ..specs import Random, Spec, State
from ..strategies import array_shapes, eps_values, generators, labels, normal, scales, window_axis

sizes = st.integers(1, 5)
batch_sizes = st.integers(2, 6)  # batchnorm needs two values per channel to train


@st.composite
def affine_cases(draw):
    rng, scale = draw(generators), draw(scales)
    n, m = draw(sizes), draw(sizes)
    inner = draw(array_shapes(min_dims=1, max_dims=3, max_side=4))
    d = math.prod(inner)
    return {
        "x": normal(rng, n, *inner, scale=scale),
        "w": normal(rng, d, m),
        "b": normal(rng, m),
    }


@st.composite
def elementwise_cases(draw):
    """Half the time some inputs are exactly 0: relu's kink."""
    rng, scale = draw(generators), draw(scales)
    shape = draw(array_shapes(min_dims=1, max_dims=4, max_side=5))
    x = normal(rng, *shape, scale=scale)
    if draw(st.booleans()):
        x[rng.random(shape) < 0.3] = 0.0
    return {"x": x}


@st.composite
def loss_cases(draw, offsets=(0.0,), on_grid=False):
    """Scores for N samples of C classes, shifted by one of `offsets` (softmax: 1e3 overflows
    exp unless the row's maximum is subtracted first). on_grid: half the time multiples of
    1/2, so that SVM margins are exactly 0, scores tie and every margin may be inactive."""
    rng, scale = draw(generators), draw(scales)
    n, classes = draw(sizes), draw(st.integers(2, 6))
    x = normal(rng, n, classes, scale=scale) + draw(st.sampled_from(offsets))
    if on_grid and draw(st.booleans()):
        x = rng.integers(-4, 5, (n, classes)) / 2
    return {"x": x, "y": labels(rng, n, classes)}


def _spread_and_offset(draw, rng, x, axis):
    """x, half the time with its slices along `axis` scaled by 1, 1e-3 (a variance below eps)
    or 0 (a constant column), and shifted by 0, 3 or -1e3. A constant column is not shifted:
    its normalised values are exactly 0, which torch computes only to within the rounding of
    the offset divided by sqrt(eps) (1e-11 at -1e3), above the absolute tolerance."""
    offsets = [0.0, 3.0, -1e3]
    if draw(st.booleans()):
        shape = [1] * x.ndim
        shape[axis] = x.shape[axis]
        spreads = rng.choice([1.0, 1e-3, 0.0], size=shape)
        x = x * spreads
        if (spreads == 0).any():
            offsets = [0.0]
    return x + draw(st.sampled_from(offsets))


def _affine_params(rng, shape):
    """gamma near 1 and beta near 0, as a trained normalisation layer has them."""
    return normal(rng, *shape, scale=0.5) + 1.0, normal(rng, *shape)


@st.composite
def batchnorm_cases(draw, spatial=False, modes=("train", "test")):
    rng, scale = draw(generators), draw(scales)
    if spatial:
        n, c, h, w = draw(batch_sizes), draw(sizes), draw(sizes), draw(sizes)
        x, channels = normal(rng, n, c, h, w, scale=scale), c
    else:
        x = normal(rng, draw(batch_sizes), draw(sizes), scale=scale)
        channels = x.shape[1]
    x = _spread_and_offset(draw, rng, x, axis=1)
    gamma, beta = _affine_params(rng, (channels,))
    param = {"mode": draw(st.sampled_from(modes)), "eps": draw(eps_values)}
    if draw(st.booleans()) or param["mode"] == "test":
        param["momentum"] = draw(st.sampled_from([0.9, 0.5]))
        param["running_mean"] = normal(rng, channels)
        param["running_var"] = rng.uniform(0.5, 2.0, channels)
    return {"x": x, "gamma": gamma, "beta": beta, "bn_param": param}


@st.composite
def batchnorm_state_cases(draw, spatial=False):
    case = draw(batchnorm_cases(spatial=spatial, modes=("train",)))
    rng = draw(generators)
    steps = draw(st.integers(1, 3))
    case["batches"] = [case["x"]] + [
        normal(rng, *case["x"].shape) * rng.uniform(0.5, 2) for _ in range(steps)
    ]
    case["x_test"] = normal(rng, *case["x"].shape)
    return case


def _channel_axes(x):
    return [0] if x.dim() == 2 else [0, 2, 3]


def batchnorm_oracle(x, gamma, beta, bn_param):
    """Train mode normalises with the batch's biased statistics, test mode with the running ones."""
    eps = bn_param.get("eps", 1e-5)
    if bn_param["mode"] == "train":
        return F.batch_norm(x, None, None, gamma, beta, training=True, eps=eps)
    mean = torch.as_tensor(bn_param["running_mean"])
    var = torch.as_tensor(bn_param["running_var"])
    return F.batch_norm(x, mean, var, gamma, beta, training=False, eps=eps)


def running_update(x, running, bn_param):
    """CS231n: running = momentum * running + (1 - momentum) * batch, biased variance,
    starting from zeros. torch's momentum weighs the other way and its running_var is unbiased."""
    momentum = bn_param.get("momentum", 0.9)
    axes = _channel_axes(x)
    channels = x.shape[1]
    batch = {"running_mean": x.mean(axes), "running_var": x.var(axes, correction=0)}
    return {
        key: momentum * running.get(key, torch.zeros(channels, dtype=x.dtype)) + (1 - momentum) * value
        for key, value in batch.items()
    }


def detached_mean_batchnorm(x, gamma, beta, bn_param):
    """batchnorm's train-mode output, but with the batch mean treated as a constant."""
    axes = [0] if x.dim() == 2 else [0, 2, 3]
    shape = [1, -1] + [1] * (x.dim() - 2)
    mean = x.mean(axes).detach()
    var = ((x - mean.reshape(shape)) ** 2).mean(axes)
    x_hat = (x - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + bn_param.get("eps", 1e-5))
    return gamma.reshape(shape) * x_hat + beta.reshape(shape)


def detached_var_batchnorm(x, gamma, beta, bn_param):
    """batchnorm's train-mode output, but with the batch variance treated as a constant."""
    axes = [0] if x.dim() == 2 else [0, 2, 3]
    shape = [1, -1] + [1] * (x.dim() - 2)
    mean = x.mean(axes)
    var = ((x - mean.reshape(shape)) ** 2).mean(axes).detach()
    x_hat = (x - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + bn_param.get("eps", 1e-5))
    return gamma.reshape(shape) * x_hat + beta.reshape(shape)


BATCHNORM_VARIANTS = (  # known wrong answers, with what they mean
    ("your dx equals the batchnorm gradient without the term through the mean", detached_mean_batchnorm),
    ("your dx equals the batchnorm gradient without the term through the variance", detached_var_batchnorm),
)


BATCHNORM_CONVENTIONS = (
    "biased variance (ddof=0) for normalising and for running_var",
    "running = momentum * running + (1 - momentum) * batch statistic, from zeros",
)


@st.composite
def layernorm_cases(draw):
    rng, scale = draw(generators), draw(scales)
    n, d = draw(sizes), draw(st.integers(2, 6))
    gamma, beta = _affine_params(rng, (d,))
    x = _spread_and_offset(draw, rng, normal(rng, n, d, scale=scale), axis=0)
    return {"x": x, "gamma": gamma, "beta": beta, "ln_param": {"eps": draw(eps_values)}}


@st.composite
def groupnorm_cases(draw):
    rng, scale = draw(generators), draw(scales)
    groups, per_group = draw(st.integers(2, 3)), draw(st.integers(1, 3))
    c = groups * per_group
    # torch's group_norm refuses groups of a single value: h >= 2
    n, h, w = draw(st.integers(1, 3)), draw(st.integers(2, 4)), draw(sizes)
    gamma, beta = _affine_params(rng, (1, c, 1, 1))
    return {
        "x": normal(rng, n, c, h, w, scale=scale),
        "gamma": gamma,
        "beta": beta,
        "G": groups,
        "gn_param": {"eps": draw(eps_values)},
    }


@st.composite
def dropout_cases(draw, smallest=1, largest=6, modes=("train", "test")):
    rng, scale = draw(generators), draw(scales)
    shape = draw(array_shapes(min_dims=2, max_dims=3, min_side=smallest, max_side=largest))
    # p near 0 and 1 too: every unit dropped, or every unit kept
    p = draw(st.one_of(st.floats(0.1, 0.9), st.sampled_from([0.01, 0.99])))
    param = {"p": p, "mode": draw(st.sampled_from(modes))}
    if draw(st.booleans()):
        param["seed"] = draw(st.integers(0, 2**31 - 1))
    return {"x": normal(rng, *shape, scale=scale), "dropout_param": param}


def keep_probability(dropout_param, convention):
    """The probability of keeping a unit, from p under the run's convention."""
    return dropout_param["p"] if convention == "keep" else 1 - dropout_param["p"]


def dropout_oracle(x, dropout_param, mask, convention):
    """Inverted dropout: kept units are divided by the keep probability; the mask is the learner's own."""
    if dropout_param["mode"] == "test":
        return x * 1.0
    return x * torch.as_tensor(mask, dtype=x.dtype) / keep_probability(dropout_param, convention)


@st.composite
def conv_cases(draw):
    rng, scale = draw(generators), draw(scales)
    stride, pad = draw(st.integers(1, 3)), draw(st.integers(0, 2))
    hh, h = draw(window_axis(stride, pad))
    ww, w = draw(window_axis(stride, pad))
    n, c, f = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    return {
        "x": normal(rng, n, c, h, w, scale=scale),
        "w": normal(rng, f, c, hh, ww),
        "b": normal(rng, f),
        "conv_param": {"stride": stride, "pad": pad},
    }


@st.composite
def pool_cases(draw):
    """Half the time small integers, so that maxima tie; then the windows do not overlap."""
    rng, scale = draw(generators), draw(scales)
    stride, ties = draw(st.integers(1, 3)), draw(st.booleans())
    largest = stride if ties else 4
    ph, h = draw(window_axis(stride, max_kernel=largest))
    pw, w = draw(window_axis(stride, max_kernel=largest))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 3)), h, w)
    x = rng.integers(-1, 2, shape) * scale if ties else normal(rng, *shape, scale=scale)
    return {"x": x, "pool_param": {"pool_height": ph, "pool_width": pw, "stride": stride}}


def _max_pool_nearest(case, name, expected, got):
    """A window whose maximum is tied may send its dout to the tied elements in any split
    that sums to dout. Windows that overlap share elements, so ties are only drawn for
    windows that do not; there torch's gradient stands."""
    x, dout, param = case["x"], case["dout"], case["pool_param"]
    ph, pw, stride = param["pool_height"], param["pool_width"], param["stride"]
    if stride < ph or stride < pw:
        return expected
    nearest = expected.copy()
    for n, c, i, j in np.ndindex(dout.shape):
        rows, cols = slice(i * stride, i * stride + ph), slice(j * stride, j * stride + pw)
        window = x[n, c, rows, cols]
        tied = window == window.max()
        if tied.sum() < 2:
            continue
        share = got[n, c, rows, cols][tied] / dout[n, c, i, j] if dout[n, c, i, j] else np.zeros(tied.sum())
        valid = nearest[n, c, rows, cols]
        valid[tied] = dout[n, c, i, j] * kinks.onto_simplex(share)
        nearest[n, c, rows, cols] = valid
    return nearest


MAX_POOL_TIES = kinks.Kinks(
    "where a window's maximum is tied, any split of its dout among the tied elements is valid "
    "(all to one of them, or shared), but not dout to each of them",
    _max_pool_nearest,
)


def _svm_nearest(case, name, expected, got):
    """A margin of exactly 0 may count as active or not, or anything between: its score's
    gradient lies in [0, 1/N], and the correct class's is minus the row's sum."""
    x, y = case["x"], case["y"]
    rows = np.arange(len(x))
    margins = x - x[rows, y][:, None] + 1
    margins[rows, y] = -1  # the correct class has no margin
    nearest = np.where(margins == 0, np.clip(got, 0, 1 / len(x)), expected)
    nearest[rows, y] = 0
    nearest[rows, y] = -nearest.sum(axis=1)
    return nearest


SVM_MARGINS = kinks.Kinks(
    "a margin of exactly 0 may count as active or inactive: its score's gradient lies between 0 and 1/N",
    _svm_nearest,
)


SPECS = [
    Spec(
        forward="affine_forward",
        backward=("affine_backward",),
        signature=("x", "w", "b"),
        cases=affine_cases(),
        oracle=lambda x, w, b: x.reshape(x.shape[0], -1) @ w + b,
        grads=("x", "w", "b"),
        conventions=("x of shape (N, d1, ..., dk) is flattened to (N, D); dx keeps x's shape",),
    ),
    Spec(
        forward="relu_forward",
        backward=("relu_backward",),
        signature=("x",),
        cases=elementwise_cases(),
        oracle=lambda x: F.relu(x),
        grads=("x",),
        kinks=kinks.between_slopes("0"),
    ),
    Spec(
        forward="softmax_loss",
        signature=("x", "y"),
        cases=loss_cases(offsets=(0.0, 1e3, -3e3)),
        oracle=lambda x, y: F.cross_entropy(x, y),
        grads=("x",),
        loss=True,
        conventions=("the loss is averaged over the N samples",),
    ),
    Spec(
        forward="svm_loss",
        signature=("x", "y"),
        cases=loss_cases(on_grid=True),
        # multi_margin_loss divides by the number of classes; CS231n's hinge does not.
        oracle=lambda x, y: F.multi_margin_loss(x, y, margin=1.0) * x.shape[1],
        grads=("x",),
        loss=True,
        conventions=("margin 1, the correct class excluded, averaged over N",),
        kinks=SVM_MARGINS,
    ),
    Spec(
        forward="batchnorm_forward",
        backward=("batchnorm_backward", "batchnorm_backward_alt"),
        signature=("x", "gamma", "beta", "bn_param"),
        cases=batchnorm_cases(),
        backward_cases=batchnorm_cases(modes=("train",)),
        oracle=batchnorm_oracle,
        grads=("x", "gamma", "beta"),
        state=State("bn_param", ("running_mean", "running_var"), running_update, batchnorm_state_cases()),
        conventions=BATCHNORM_CONVENTIONS,
        variants=BATCHNORM_VARIANTS,
    ),
    Spec(
        forward="layernorm_forward",
        backward=("layernorm_backward",),
        signature=("x", "gamma", "beta", "ln_param"),
        cases=layernorm_cases(),
        oracle=lambda x, gamma, beta, ln_param: F.layer_norm(
            x, x.shape[1:], gamma, beta, eps=ln_param.get("eps", 1e-5)
        ),
        grads=("x", "gamma", "beta"),
        conventions=("each sample is normalised over its features with the biased variance",),
    ),
    Spec(
        forward="dropout_forward",
        backward=("dropout_backward",),
        signature=("x", "dropout_param"),
        cases=dropout_cases(),
        oracle=dropout_oracle,
        grads=("x",),
        random=Random(
            "dropout_param",
            keep=keep_probability,
            mask=lambda out: out != 0,
            cases=dropout_cases(smallest=20, largest=60, modes=("train",)),
        ),
        conventions=("inverted dropout: kept units are divided by the keep probability",),
        course_convention="dropout-p",
    ),
    Spec(
        forward="conv_forward_naive",
        backward=("conv_backward_naive",),
        signature=("x", "w", "b", "conv_param"),
        cases=conv_cases(),
        oracle=lambda x, w, b, conv_param: F.conv2d(
            x, w, b, stride=conv_param["stride"], padding=conv_param["pad"]
        ),
        grads=("x", "w", "b"),
        conventions=("zero padding of `pad` on every side of H and W",),
    ),
    Spec(
        forward="max_pool_forward_naive",
        backward=("max_pool_backward_naive",),
        signature=("x", "pool_param"),
        cases=pool_cases(),
        oracle=lambda x, pool_param: F.max_pool2d(
            x, (pool_param["pool_height"], pool_param["pool_width"]), stride=pool_param["stride"]
        ),
        grads=("x",),
        conventions=("no padding; windows overlap when stride < pool size",),
        kinks=MAX_POOL_TIES,
    ),
    Spec(
        forward="spatial_batchnorm_forward",
        backward=("spatial_batchnorm_backward",),
        signature=("x", "gamma", "beta", "bn_param"),
        cases=batchnorm_cases(spatial=True),
        backward_cases=batchnorm_cases(spatial=True, modes=("train",)),
        oracle=batchnorm_oracle,
        grads=("x", "gamma", "beta"),
        state=State(
            "bn_param", ("running_mean", "running_var"), running_update, batchnorm_state_cases(spatial=True)
        ),
        conventions=("statistics per channel over N, H and W",) + BATCHNORM_CONVENTIONS,
        variants=BATCHNORM_VARIANTS,
    ),
    Spec(
        forward="spatial_groupnorm_forward",
        backward=("spatial_groupnorm_backward",),
        signature=("x", "gamma", "beta", "G", "gn_param"),
        cases=groupnorm_cases(),
        oracle=lambda x, gamma, beta, G, gn_param: F.group_norm(
            x, G, gamma.reshape(-1), beta.reshape(-1), eps=gn_param.get("eps", 1e-5)
        ),
        grads=("x", "gamma", "beta"),
        conventions=("gamma, beta, dgamma and dbeta have shape (1, C, 1, 1)",),
    ),
]
