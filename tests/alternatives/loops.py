"""Correct layers in the explicit-loop, textbook style, with other valid choices: relu's
gradient taken with x >= 0, max-pool routing to the last maximum, masks from
np.random.choice, batchnorm's graph staged node by node."""

import numpy as np


def affine_forward(x, w, b):
    flat = x.reshape(x.shape[0], int(np.prod(x.shape[1:])))
    return np.dot(flat, w) + b, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    flat = x.reshape(x.shape[0], -1)
    return np.dot(dout, w.T).reshape(*x.shape), np.dot(flat.T, dout), np.sum(dout, axis=0)


def relu_forward(x):
    out = x.copy()
    out[out < 0] = 0
    return out, x


def relu_backward(dout, cache):
    return dout * (cache >= 0)  # another subgradient at 0; the draws never hit 0


def softmax_loss(x, y):
    n = x.shape[0]
    loss, dx = 0.0, np.zeros_like(x)
    for i in range(n):
        scores = x[i] - np.max(x[i])
        probs = np.exp(scores) / np.sum(np.exp(scores))
        loss -= np.log(probs[y[i]])
        dx[i] = probs
        dx[i, y[i]] -= 1
    return loss / n, dx / n


def batchnorm_forward(x, gamma, beta, bn_param):
    mode, eps, momentum = bn_param["mode"], bn_param.get("eps", 1e-5), bn_param.get("momentum", 0.9)
    n, d = x.shape
    running_mean = bn_param.get("running_mean", np.zeros(d, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(d, dtype=x.dtype))
    cache = None
    if mode == "train":
        mu = 1.0 / n * np.sum(x, axis=0)  # step 1
        xmu = x - mu  # step 2
        sq = xmu**2  # step 3
        var = 1.0 / n * np.sum(sq, axis=0)  # step 4
        sqrtvar = np.sqrt(var + eps)  # step 5
        ivar = 1.0 / sqrtvar  # step 6
        xhat = xmu * ivar  # step 7
        out = gamma * xhat + beta  # steps 8 and 9
        cache = (xhat, gamma, xmu, ivar, sqrtvar, var, eps)
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
    else:
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
    bn_param["running_mean"], bn_param["running_var"] = running_mean, running_var
    return out, cache


def batchnorm_backward(dout, cache):
    xhat, gamma, xmu, ivar, sqrtvar, var, eps = cache
    n = dout.shape[0]
    dbeta = np.sum(dout, axis=0)
    dgammax = dout
    dgamma = np.sum(dgammax * xhat, axis=0)
    dxhat = dgammax * gamma
    divar = np.sum(dxhat * xmu, axis=0)
    dxmu1 = dxhat * ivar
    dsqrtvar = -1.0 / (sqrtvar**2) * divar
    dvar = 0.5 * 1.0 / np.sqrt(var + eps) * dsqrtvar
    dsq = 1.0 / n * np.ones_like(dout) * dvar
    dxmu2 = 2 * xmu * dsq
    dx1 = dxmu1 + dxmu2
    dmu = -1 * np.sum(dxmu1 + dxmu2, axis=0)
    dx2 = 1.0 / n * np.ones_like(dout) * dmu
    return dx1 + dx2, dgamma, dbeta


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    out = x
    if mode == "train":
        mask = np.random.choice([0.0, 1.0], size=x.shape, p=[1 - p, p]) / p
        out = x * mask
    return out, (dropout_param, mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    return dout * mask if dropout_param["mode"] == "train" else dout


def conv_forward_naive(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    n, c, h, wd = x.shape
    f, _, hh, ww = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="constant")
    h_out, w_out = 1 + (h + 2 * pad - hh) // stride, 1 + (wd + 2 * pad - ww) // stride
    out = np.zeros((n, f, h_out, w_out))
    for i in range(n):
        for k in range(f):
            for r in range(h_out):
                for s in range(w_out):
                    total = b[k]
                    for ch in range(c):
                        for u in range(hh):
                            for v in range(ww):
                                total += xp[i, ch, r * stride + u, s * stride + v] * w[k, ch, u, v]
                    out[i, k, r, s] = total
    return out, (x, w, b, conv_param)


def conv_backward_naive(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="constant")
    dxp, dw, db = np.zeros_like(xp), np.zeros_like(w), np.zeros_like(b)
    n, f, h_out, w_out = dout.shape
    _, c, hh, ww = w.shape
    for i in range(n):
        for k in range(f):
            for r in range(h_out):
                for s in range(w_out):
                    g = dout[i, k, r, s]
                    db[k] += g
                    for ch in range(c):
                        for u in range(hh):
                            for v in range(ww):
                                dw[k, ch, u, v] += g * xp[i, ch, r * stride + u, s * stride + v]
                                dxp[i, ch, r * stride + u, s * stride + v] += g * w[k, ch, u, v]
    return dxp[:, :, pad : pad + x.shape[2], pad : pad + x.shape[3]], dw, db


def max_pool_forward_naive(x, pool_param):
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    n, c, h, w = x.shape
    out = np.zeros((n, c, 1 + (h - ph) // stride, 1 + (w - pw) // stride))
    for i in range(n):
        for ch in range(c):
            for r in range(out.shape[2]):
                for s in range(out.shape[3]):
                    out[i, ch, r, s] = np.max(x[i, ch, r * stride : r * stride + ph, s * stride : s * stride + pw])
    return out, (x, pool_param)


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    dx = np.zeros_like(x)
    n, c, h_out, w_out = dout.shape
    for i in range(n):
        for ch in range(c):
            for r in range(h_out):
                for s in range(w_out):
                    window = x[i, ch, r * stride : r * stride + ph, s * stride : s * stride + pw]
                    last = window.size - 1 - np.argmax(window.ravel()[::-1])  # the last maximum
                    u, v = divmod(last, pw)
                    dx[i, ch, r * stride + u, s * stride + v] += dout[i, ch, r, s]
    return dx
