"""Exercises beyond CS231n's assignments: more activations, average pooling, Karpathy's
"backprop ninja" single-formula backward passes (makemore, part 4) and scaled dot-product
attention.

Replace each `raise NotImplementedError(...)` with your code, then run
`pytest --impl implementations -k <name>`. Same conventions as layers.py: every forward
returns (out, cache), every backward takes (dout, cache); never change an input in place.
"""

import numpy as np


def sigmoid_forward(x):
    """out = 1 / (1 + exp(-x)) elementwise, written so that no exp overflows. cache = out."""
    raise NotImplementedError("sigmoid_forward: write me")


def sigmoid_backward(dout, cache):
    """Returns dx, the gradient with respect to x; cache is what sigmoid_forward stored."""
    raise NotImplementedError("sigmoid_backward: write me")


def tanh_forward(x):
    """out = tanh(x) elementwise. cache = out."""
    raise NotImplementedError("tanh_forward: write me")


def tanh_backward(dout, cache):
    """Returns dx, the gradient with respect to x; cache is what tanh_forward stored."""
    raise NotImplementedError("tanh_backward: write me")


def leaky_relu_forward(x, alpha):
    """out = x where x > 0, alpha * x elsewhere. cache = (x, alpha)."""
    raise NotImplementedError("leaky_relu_forward: write me")


def leaky_relu_backward(dout, cache):
    """Returns dx, the gradient with respect to x; cache is what leaky_relu_forward stored."""
    raise NotImplementedError("leaky_relu_backward: write me")


def avg_pool_forward_naive(x, pool_param):
    """Average pooling, no padding. x: (N, C, H, W); pool_param: pool_height, pool_width,
    stride. out: (N, C, H', W') with H' = 1 + (H - pool_height) // stride."""
    raise NotImplementedError("avg_pool_forward_naive: write me")


def avg_pool_backward_naive(dout, cache):
    """Returns dx, of x's shape. Windows overlap when stride < pool size."""
    raise NotImplementedError("avg_pool_backward_naive: write me")


def ninja_cross_entropy_backward(logits, Yb):
    """The gradient of the mean cross-entropy loss F.cross_entropy(logits, Yb) with respect
    to the logits, in one formula, without backpropagating through every step.
    logits: (n, vocab); Yb: (n,) labels. Returns dlogits: (n, vocab)."""
    raise NotImplementedError("ninja_cross_entropy_backward: write me")


def ninja_batchnorm_backward(dhpreact, hprebn, bngain):
    """The gradient of makemore's batchnorm, hpreact = bngain * (hprebn - mean) / sqrt(var + 1e-5)
    + bnbias, with respect to hprebn in one formula. As in makemore, var is Bessel-corrected
    (divided by n - 1). dhpreact, hprebn: (n, hidden); bngain: (1, hidden)."""
    raise NotImplementedError("ninja_batchnorm_backward: write me")


def attention_forward(q, k, v):
    """Scaled dot-product attention: out = softmax(q @ k^T / sqrt(d)) @ v, the softmax over
    the keys. q: (N, Tq, d); k: (N, Tk, d); v: (N, Tk, dv); out: (N, Tq, dv)."""
    raise NotImplementedError("attention_forward: write me")


def attention_backward(dout, cache):
    """Returns (dq, dk, dv), the gradients of q, k and v; cache is what attention_forward stored."""
    raise NotImplementedError("attention_backward: write me")
