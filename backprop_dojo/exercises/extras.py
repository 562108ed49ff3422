"""Specs of exercises beyond CS231n's assignments. Each is a few lines: what adding an
exercise costs."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from hypothesis import strategies as st

from .. import kinks
from ..specs import Spec
from ..strategies import generators, labels, normal, scales, window_axis
from .layers import elementwise_cases


@st.composite
def leaky_relu_cases(draw):
    return {**draw(elementwise_cases()), "alpha": draw(st.sampled_from([0.01, 0.2]))}


@st.composite
def avg_pool_cases(draw):
    rng, scale = draw(generators), draw(scales)
    stride = draw(st.integers(1, 3))
    ph, h = draw(window_axis(stride))
    pw, w = draw(window_axis(stride))
    return {
        "x": normal(rng, draw(st.integers(1, 2)), draw(st.integers(1, 3)), h, w, scale=scale),
        "pool_param": {"pool_height": ph, "pool_width": pw, "stride": stride},
    }


@st.composite
def logits_cases(draw):
    rng, scale = draw(generators), draw(scales)
    n, vocab = draw(st.integers(1, 6)), draw(st.integers(2, 8))
    return {"logits": normal(rng, n, vocab, scale=scale), "Yb": labels(rng, n, vocab)}


def cross_entropy_gradient(logits, Yb):
    logits = logits.detach().requires_grad_()
    return torch.autograd.grad(F.cross_entropy(logits, Yb), logits)[0]


@st.composite
def makemore_batchnorm_cases(draw):
    rng, scale = draw(generators), draw(scales)
    n, hidden = draw(st.integers(2, 6)), draw(st.integers(1, 5))
    return {
        "dhpreact": normal(rng, n, hidden),
        "hprebn": normal(rng, n, hidden, scale=scale) + draw(st.sampled_from([0.0, 3.0])),
        "bngain": 1 + normal(rng, 1, hidden, scale=0.5),
    }


def makemore_batchnorm_gradient(dhpreact, hprebn, bngain):
    """makemore part 4's batchnorm, with the Bessel-corrected variance Karpathy uses."""
    hprebn = hprebn.detach().requires_grad_()
    mean = hprebn.mean(0, keepdim=True)
    var = hprebn.var(0, keepdim=True, correction=1)
    hpreact = bngain * (hprebn - mean) / torch.sqrt(var + 1e-5)
    # (hpreact * dhpreact).sum(): grad_outputs' gradient, bit for bit, without its import of sympy (0.6 s)
    return torch.autograd.grad((hpreact * dhpreact).sum(), hprebn)[0]


@st.composite
def attention_cases(draw):
    rng, scale = draw(generators), draw(scales)
    n, queries, keys = draw(st.integers(1, 2)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    d, dv = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    return {
        "q": normal(rng, n, queries, d, scale=scale),
        "k": normal(rng, n, keys, d, scale=scale),
        "v": normal(rng, n, keys, dv),
    }


SPECS = [
    Spec(
        forward="sigmoid_forward",
        backward=("sigmoid_backward",),
        signature=("x",),
        cases=elementwise_cases(),
        oracle=torch.sigmoid,
        grads=("x",),
    ),
    Spec(
        forward="tanh_forward",
        backward=("tanh_backward",),
        signature=("x",),
        cases=elementwise_cases(),
        oracle=torch.tanh,
        grads=("x",),
    ),
    Spec(
        forward="leaky_relu_forward",
        backward=("leaky_relu_backward",),
        signature=("x", "alpha"),
        cases=leaky_relu_cases(),
        oracle=lambda x, alpha: F.leaky_relu(x, alpha),
        grads=("x",),
        kinks=kinks.between_slopes("alpha * dout"),
        conventions=("out = x where x > 0, alpha * x elsewhere",),
    ),
    Spec(
        forward="avg_pool_forward_naive",
        backward=("avg_pool_backward_naive",),
        signature=("x", "pool_param"),
        cases=avg_pool_cases(),
        oracle=lambda x, pool_param: F.avg_pool2d(
            x, (pool_param["pool_height"], pool_param["pool_width"]), stride=pool_param["stride"]
        ),
        grads=("x",),
        conventions=("no padding; windows overlap when stride < pool size",),
    ),
    Spec(
        forward="ninja_cross_entropy_backward",
        signature=("logits", "Yb"),
        cases=logits_cases(),
        oracle=cross_entropy_gradient,
        outputs=("dlogits",),
        cache=False,
        conventions=("the loss is the mean cross-entropy over the n rows",),
    ),
    Spec(
        forward="ninja_batchnorm_backward",
        signature=("dhpreact", "hprebn", "bngain"),
        cases=makemore_batchnorm_cases(),
        oracle=makemore_batchnorm_gradient,
        outputs=("dhprebn",),
        cache=False,
        conventions=("makemore's batchnorm: Bessel-corrected variance (n - 1), eps 1e-5",),
    ),
    Spec(
        forward="attention_forward",
        backward=("attention_backward",),
        signature=("q", "k", "v"),
        cases=attention_cases(),
        oracle=lambda q, k, v: F.scaled_dot_product_attention(q, k, v),
        grads=("q", "k", "v"),
        conventions=("softmax over the keys of q @ k^T / sqrt(d), no mask",),
    ),
]
