"""Reference solutions for exercises beyond CS231n's assignments: more activations, average
pooling, Karpathy's "backprop ninja" single-formula backward passes (makemore, part 4) and
scaled dot-product attention. Same conventions as layers.py: forward -> (out, cache),
backward(dout, cache)."""

import numpy as np


def sigmoid_forward(x):
    """out = 1 / (1 + exp(-x)) elementwise, written so that no exp overflows. cache = out."""
    z = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
    cache = out
    return out, cache


def sigmoid_backward(dout, cache):
    """dx = dout * s * (1 - s), with s the forward output."""
    s = cache
    dx = dout * s * (1 - s)
    return dx


def tanh_forward(x):
    """out = tanh(x) elementwise. cache = out."""
    out = np.tanh(x)
    cache = out
    return out, cache


def tanh_backward(dout, cache):
    """dx = dout * (1 - tanh(x)**2)."""
    t = cache
    dx = dout * (1 - t**2)
    return dx


def leaky_relu_forward(x, alpha):
    """out = x where x > 0, alpha * x elsewhere. cache = (x, alpha)."""
    out = np.where(x > 0, x, alpha * x)
    cache = (x, alpha)
    return out, cache


def leaky_relu_backward(dout, cache):
    """dx = dout where x > 0, alpha * dout elsewhere."""
    x, alpha = cache
    dx = np.where(x > 0, dout, alpha * dout)
    return dx


def avg_pool_forward_naive(x, pool_param):
    """Average pooling, no padding. x: (N, C, H, W); pool_param: pool_height, pool_width,
    stride. out: (N, C, H', W') with H' = 1 + (H - pool_height) // stride."""
    N, C, H, W = x.shape
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    H_out = 1 + (H - ph) // stride
    W_out = 1 + (W - pw) // stride
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * stride : i * stride + ph, j * stride : j * stride + pw]
            out[:, :, i, j] = window.mean(axis=(2, 3))
    cache = (x.shape, pool_param)
    return out, cache


def avg_pool_backward_naive(dout, cache):
    """Each window's upstream gradient is shared equally among its ph * pw inputs; windows
    that overlap add up."""
    x_shape, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    dx = np.zeros(x_shape)
    _, _, H_out, W_out = dout.shape
    for i in range(H_out):
        for j in range(W_out):
            share = dout[:, :, i, j][:, :, None, None] / (ph * pw)
            dx[:, :, i * stride : i * stride + ph, j * stride : j * stride + pw] += share
    return dx


def ninja_cross_entropy_backward(logits, Yb):
    """The gradient of the mean cross-entropy loss with respect to the logits, in one
    formula: (softmax(logits) - one_hot(Yb)) / n. logits: (n, vocab); Yb: (n,)."""
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    dlogits = probs.copy()
    dlogits[np.arange(n), Yb] -= 1
    dlogits /= n
    return dlogits


def ninja_batchnorm_backward(dhpreact, hprebn, bngain):
    """The gradient of makemore's batchnorm, hpreact = bngain * (hprebn - mean) / sqrt(var + 1e-5)
    + bnbias, with respect to hprebn in one formula. As in makemore, var is Bessel-corrected
    (divided by n - 1). dhpreact, hprebn: (n, hidden); bngain: (1, hidden)."""
    n = hprebn.shape[0]
    bnvar_inv = 1.0 / np.sqrt(hprebn.var(axis=0, ddof=1, keepdims=True) + 1e-5)
    bnraw = (hprebn - hprebn.mean(axis=0, keepdims=True)) * bnvar_inv
    dhprebn = bngain * bnvar_inv / n * (
        n * dhpreact - dhpreact.sum(axis=0) - n / (n - 1) * bnraw * (dhpreact * bnraw).sum(axis=0)
    )
    return dhprebn


def attention_forward(q, k, v):
    """Scaled dot-product attention: out = softmax(q @ k^T / sqrt(d)) @ v, the softmax over
    the keys. q: (N, Tq, d); k: (N, Tk, d); v: (N, Tk, dv); out: (N, Tq, dv)."""
    d = q.shape[-1]
    scores = q @ k.transpose(0, 2, 1) / np.sqrt(d)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True)
    out = weights @ v
    cache = (q, k, v, weights)
    return out, cache


def attention_backward(dout, cache):
    """Returns (dq, dk, dv), through the softmax's Jacobian row by row."""
    q, k, v, weights = cache
    d = q.shape[-1]
    dv = weights.transpose(0, 2, 1) @ dout
    dweights = dout @ v.transpose(0, 2, 1)
    dscores = weights * (dweights - (dweights * weights).sum(axis=-1, keepdims=True))
    dq = dscores @ k / np.sqrt(d)
    dk = dscores.transpose(0, 2, 1) @ q / np.sqrt(d)
    return dq, dk, dv
