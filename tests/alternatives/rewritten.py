"""Correct layers written unlike the reference: einsum, sliding windows, log-sum-exp,
binomial masks, per-sample loops, rearranged normalisation gradients, other caches."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def affine_forward(x, w, b):
    return np.einsum("nd,dm->nm", x.reshape(len(x), -1), w) + b, (x, w)


def affine_backward(dout, cache):
    x, w = cache
    dx = np.einsum("nm,dm->nd", dout, w).reshape(x.shape)
    dw = np.tensordot(x.reshape(len(x), -1), dout, axes=(0, 0))
    return dx, dw, np.einsum("nm->m", dout)


def relu_forward(x):
    out = np.where(x > 0, x, 0.0)
    return out, out  # the output remembers where x was positive


def relu_backward(dout, cache):
    return np.where(cache > 0, dout, 0.0)


def softmax_loss(x, y):
    top = x.max(axis=1)
    log_z = top + np.log(np.exp(x - top[:, None]).sum(axis=1))
    n = len(y)
    loss = np.mean(log_z - x[np.arange(n), y])
    dx = np.exp(x - log_z[:, None])
    dx[np.arange(n), y] -= 1.0
    return loss, dx / n


def svm_loss(x, y):
    n = len(y)
    loss, dx = 0.0, np.zeros_like(x)
    for i in range(n):
        for j in range(x.shape[1]):
            if j == y[i]:
                continue
            margin = x[i, j] - x[i, y[i]] + 1.0
            if margin > 0:
                loss += margin
                dx[i, j] += 1.0
                dx[i, y[i]] -= 1.0
    return loss / n, dx / n


def batchnorm_forward(x, gamma, beta, bn_param):
    eps, momentum = bn_param.get("eps", 1e-5), bn_param.get("momentum", 0.9)
    zeros = np.zeros(x.shape[1], dtype=x.dtype)
    if bn_param["mode"] == "test":
        mean, var = bn_param.get("running_mean", zeros), bn_param.get("running_var", zeros)
        return gamma * (x - mean) / np.sqrt(var + eps) + beta, None
    mean = np.sum(x, axis=0) / len(x)
    var = np.sum((x - mean) ** 2, axis=0) / len(x)
    for key, batch_value in (("running_mean", mean), ("running_var", var)):
        running = bn_param.setdefault(key, zeros.copy())  # updated in place
        running *= momentum
        running += (1 - momentum) * batch_value
    inv_std = (var + eps) ** -0.5
    x_hat = (x - mean) * inv_std
    return x_hat * gamma + beta, (x, x_hat, inv_std, gamma)


def batchnorm_backward(dout, cache):
    _, x_hat, inv_std, gamma = cache
    g = dout * gamma
    n = len(dout)
    dx = inv_std / n * (n * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0))
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def batchnorm_backward_alt(dout, cache):
    """Expanded in the centred x and the variance instead of x_hat."""
    x, _, inv_std, gamma = cache
    n = len(x)
    centred = x - x.mean(axis=0)
    dvar = -0.5 * (dout * gamma * centred).sum(axis=0) * inv_std**3
    dmean = -(dout * gamma).sum(axis=0) * inv_std
    dx = dout * gamma * inv_std + dvar * 2 * centred / n + dmean / n
    return dx, (dout * centred * inv_std).sum(axis=0), dout.sum(axis=0)


def layernorm_forward(x, gamma, beta, ln_param):
    """The batchnorm trick: normalise the columns of x.T."""
    eps = ln_param.get("eps", 1e-5)
    xt = x.T
    inv_std = 1.0 / np.sqrt(xt.var(axis=0) + eps)
    x_hat = ((xt - xt.mean(axis=0)) * inv_std).T
    return gamma * x_hat + beta, (x_hat, inv_std, gamma)


def layernorm_backward(dout, cache):
    x_hat, inv_std, gamma = cache
    g, xh = (dout * gamma).T, x_hat.T
    d = len(g)
    dx = (inv_std / d * (d * g - g.sum(axis=0) - xh * (g * xh).sum(axis=0))).T
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def dropout_forward(x, dropout_param):
    p = dropout_param["p"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    if dropout_param["mode"] != "train":
        return x, (dropout_param, None)
    keep = np.random.binomial(1, p, size=x.shape).astype(bool)
    return np.where(keep, x / p, 0.0), (dropout_param, keep)


def dropout_backward(dout, cache):
    dropout_param, keep = cache
    if dropout_param["mode"] != "train":
        return dout
    return np.where(keep, dout, 0.0) / dropout_param["p"]


def _windows(x, height, width, stride):
    """(N, C, H', W', height, width) views of every window."""
    return sliding_window_view(x, (height, width), axis=(2, 3))[:, :, ::stride, ::stride]


def conv_forward_naive(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    padded = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    windows = _windows(padded, w.shape[2], w.shape[3], stride)
    out = np.einsum("nchwij,fcij->nfhw", windows, w) + b[None, :, None, None]
    return out, (x, w, conv_param)


def conv_backward_naive(dout, cache):
    x, w, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    padded = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    dw = np.einsum("nchwij,nfhw->fcij", _windows(padded, w.shape[2], w.shape[3], stride), dout)
    dpadded = np.zeros_like(padded)
    h_out, w_out = dout.shape[2:]
    for i in range(w.shape[2]):
        for j in range(w.shape[3]):
            rows = slice(i, i + stride * (h_out - 1) + 1, stride)
            cols = slice(j, j + stride * (w_out - 1) + 1, stride)
            dpadded[:, :, rows, cols] += np.einsum("nfhw,fc->nchw", dout, w[:, :, i, j])
    dx = dpadded[:, :, pad : pad + x.shape[2], pad : pad + x.shape[3]]
    return dx, dw, dout.sum(axis=(0, 2, 3))


def max_pool_forward_naive(x, pool_param):
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    return _windows(x, ph, pw, stride).max(axis=(4, 5)), (x, pool_param)


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    windows = _windows(x, ph, pw, stride)
    n, c, h_out, w_out = dout.shape
    flat = windows.reshape(n, c, h_out, w_out, -1)
    first_max = flat.argmax(axis=4)
    dx = np.zeros_like(x)
    for i in range(h_out):
        for j in range(w_out):
            r, s = np.divmod(first_max[:, :, i, j], pw)
            np.add.at(dx, (*np.indices((n, c)), i * stride + r, j * stride + s), dout[:, :, i, j])
    return dx


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    rows = np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])
    out, cache = batchnorm_forward(rows, gamma, beta, bn_param)
    return np.moveaxis(out.reshape(np.moveaxis(x, 1, -1).shape), -1, 1), cache


def spatial_batchnorm_backward(dout, cache):
    moved = np.moveaxis(dout, 1, -1)
    dx, dgamma, dbeta = batchnorm_backward_alt(moved.reshape(-1, dout.shape[1]), cache)
    return np.moveaxis(dx.reshape(moved.shape), -1, 1), dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get("eps", 1e-5)
    n, c, h, w = x.shape
    grouped = x.reshape(n, G, c // G, h, w)
    mean = grouped.mean(axis=(2, 3, 4), keepdims=True)
    std = np.sqrt(((grouped - mean) ** 2).mean(axis=(2, 3, 4), keepdims=True) + eps)
    x_hat = ((grouped - mean) / std).reshape(x.shape)
    return x_hat * gamma + beta, (x_hat, std, gamma, G)


def spatial_groupnorm_backward(dout, cache):
    x_hat, std, gamma, G = cache
    n, c, h, w = dout.shape
    g = (dout * gamma).reshape(n, G, c // G, h, w)
    xh = x_hat.reshape(g.shape)
    axes = (2, 3, 4)
    dx = (g - g.mean(axis=axes, keepdims=True) - xh * (g * xh).mean(axis=axes, keepdims=True)) / std
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3))[None, :, None, None]
    return dx.reshape(dout.shape), dgamma, dout.sum(axis=(0, 2, 3)).reshape(1, c, 1, 1)
