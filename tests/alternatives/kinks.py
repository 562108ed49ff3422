"""Correct answers that choose differently where the forward is not differentiable: relu'(0)
and leaky relu'(0) of 1, dout shared equally among tied maxima, SVM margins of exactly 0
counted active."""

import numpy as np


def relu_forward(x):
    return np.maximum(x, 0), x


def relu_backward(dout, cache):
    return dout * (cache >= 0)


def leaky_relu_forward(x, alpha):
    return np.where(x >= 0, x, alpha * x), (x, alpha)


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    return np.where(x >= 0, dout, alpha * dout)


def max_pool_forward_naive(x, pool_param):
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    out = np.empty((N, C, 1 + (H - ph) // stride, 1 + (W - pw) // stride))
    for i in range(out.shape[2]):
        for j in range(out.shape[3]):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + ph, j * stride:j * stride + pw].max(axis=(2, 3))
    return out, (x, pool_param)


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            window = x[:, :, i * stride:i * stride + ph, j * stride:j * stride + pw]
            is_max = window == window.max(axis=(2, 3), keepdims=True)
            share = is_max / is_max.sum(axis=(2, 3), keepdims=True)  # split evenly among the tied
            dx[:, :, i * stride:i * stride + ph, j * stride:j * stride + pw] += share * dout[:, :, i, j, None, None]
    return dx


def svm_loss(x, y):
    n = len(x)
    rows = np.arange(n)
    margins = x - x[rows, y][:, None] + 1
    margins[rows, y] = -np.inf
    active = margins >= 0  # a margin of exactly 0 counts as active: a valid subgradient too
    loss = np.maximum(margins, 0).sum() / n
    dx = active.astype(float)
    dx[rows, y] = -active.sum(axis=1)
    return loss, dx / n
