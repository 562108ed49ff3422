"""Reference solutions for CS231n assignment 2, `cs231n/layers.py`.

Every layer returns (out, cache) and every backward pass takes (dout, cache), where cache
is whatever the matching forward pass stored. Written to be read: plain NumPy, one step
per line, loops only where the assignment asks for a naive version.
"""

import numpy as np


# --------------------------------------------------------------------------------------
# Fully connected layers and losses
# --------------------------------------------------------------------------------------


def affine_forward(x, w, b):
    """out = x @ w + b, with x of shape (N, d_1, ..., d_k) flattened to (N, D).

    x: (N, d_1, ..., d_k); w: (D, M); b: (M,). Returns out (N, M) and cache (x, w, b).
    """
    N = x.shape[0]
    out = x.reshape(N, -1) @ w + b
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    """dout: (N, M). Returns dx (same shape as x), dw (D, M), db (M,)."""
    x, w, b = cache
    N = x.shape[0]
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(N, -1).T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db


def relu_forward(x):
    """out = max(0, x) elementwise; x of any shape. cache = x."""
    out = np.maximum(0, x)
    cache = x
    return out, cache


def relu_backward(dout, cache):
    """dx = dout where x > 0, else 0 (the gradient at x = 0 is taken as 0)."""
    x = cache
    dx = dout * (x > 0)
    return dx


def softmax_loss(x, y):
    """Softmax cross-entropy averaged over the batch.

    x: (N, C) class scores; y: (N,) labels in [0, C). Returns loss (scalar), dx (N, C).
    """
    N = x.shape[0]
    rows = np.arange(N)
    shifted = x - x.max(axis=1, keepdims=True)  # for numerical stability
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[rows, y].mean()
    dx = np.exp(log_probs)
    dx[rows, y] -= 1
    dx /= N
    return loss, dx


def svm_loss(x, y):
    """Multiclass hinge loss (margin 1, correct class excluded) averaged over the batch.

    x: (N, C) class scores; y: (N,) labels in [0, C). Returns loss (scalar), dx (N, C).
    """
    N = x.shape[0]
    rows = np.arange(N)
    correct_scores = x[rows, y][:, np.newaxis]
    margins = np.maximum(0, x - correct_scores + 1.0)
    margins[rows, y] = 0
    loss = margins.sum() / N
    positive = (margins > 0).astype(x.dtype)
    positive[rows, y] = -positive.sum(axis=1)  # the correct score is subtracted once per violation
    dx = positive / N
    return loss, dx


# --------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------


def batchnorm_forward(x, gamma, beta, bn_param):
    """Batch normalisation of x (N, D), one mean and variance per feature.

    gamma, beta: (D,). bn_param: 'mode' ('train' or 'test'), 'eps' (1e-5), 'momentum' (0.9),
    'running_mean' and 'running_var' (zeros of shape (D,)).
    Train: normalise with the batch mean and biased variance, and update
        running = momentum * running + (1 - momentum) * batch statistic
    in bn_param. Test: normalise with the running statistics.
    Returns out (N, D) and cache (train mode only; None in test mode).
    """
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))

    if mode == "train":
        mean = x.mean(axis=0)
        var = x.var(axis=0)  # biased: divides by N
        x_hat = (x - mean) / np.sqrt(var + eps)
        out = gamma * x_hat + beta
        cache = (x, x_hat, mean, var, eps, gamma)
        running_mean = momentum * running_mean + (1 - momentum) * mean
        running_var = momentum * running_var + (1 - momentum) * var
    elif mode == "test":
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        out = gamma * x_hat + beta
        cache = None
    else:
        raise ValueError(f'Invalid forward batchnorm mode "{mode}"')

    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


def batchnorm_backward(dout, cache):
    """Backward pass of batchnorm, one node of the computational graph at a time.

    dout: (N, D). Returns dx (N, D), dgamma (D,), dbeta (D,).
    """
    x, x_hat, mean, var, eps, gamma = cache
    N = x.shape[0]

    # out = gamma * x_hat + beta
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma

    # x_hat = centered * inv_std
    centered = x - mean
    std = np.sqrt(var + eps)
    inv_std = 1.0 / std
    dcentered = dx_hat * inv_std
    dinv_std = (dx_hat * centered).sum(axis=0)

    # inv_std = 1 / std;  std = sqrt(var + eps)
    dstd = -dinv_std / std**2
    dvar = 0.5 * dstd / std

    # var = mean(centered ** 2) over the batch
    dcentered = dcentered + 2.0 * centered * dvar / N

    # centered = x - mean;  mean = mean(x) over the batch
    dmean = -dcentered.sum(axis=0)
    dx = dcentered + dmean / N
    return dx, dgamma, dbeta


def batchnorm_backward_alt(dout, cache):
    """Backward pass of batchnorm as one simplified expression for dx.

    Takes the same cache as batchnorm_backward. Returns dx (N, D), dgamma (D,), dbeta (D,).
    """
    x, x_hat, mean, var, eps, gamma = cache
    N = x.shape[0]
    inv_std = 1.0 / np.sqrt(var + eps)
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx = (1.0 / N) * gamma * inv_std * (N * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0))
    return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
    """Layer normalisation: each row of x (N, D) normalised over its D features.

    gamma, beta: (D,). ln_param: 'eps' (1e-5). Biased variance, no running statistics.
    Returns out (N, D) and cache.
    """
    eps = ln_param.get("eps", 1e-5)
    mean = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    out = gamma * x_hat + beta
    cache = (x_hat, inv_std, gamma)
    return out, cache


def layernorm_backward(dout, cache):
    """dout: (N, D). Returns dx (N, D), dgamma (D,), dbeta (D,)."""
    x_hat, inv_std, gamma = cache
    D = x_hat.shape[1]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    # The batchnorm formula, with the statistics taken along each row instead of each column.
    row_sum = dx_hat.sum(axis=1, keepdims=True)
    row_dot = (dx_hat * x_hat).sum(axis=1, keepdims=True)
    dx = inv_std / D * (D * dx_hat - row_sum - x_hat * row_dot)
    return dx, dgamma, dbeta


# --------------------------------------------------------------------------------------
# Dropout
# --------------------------------------------------------------------------------------


def dropout_forward(x, dropout_param):
    """Inverted dropout on x of any shape.

    dropout_param: 'p' (the probability of KEEPING a unit), 'mode' ('train' or 'test'),
    optional 'seed' (if given, np.random.seed(seed) is called first).
    Train: keep each unit with probability p and scale the kept ones by 1 / p.
    Test: the identity. Returns out (x's shape and dtype) and cache (dropout_param, mask).
    """
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])

    mask = None
    if mode == "train":
        mask = (np.random.rand(*x.shape) < p) / p
        out = (x * mask).astype(x.dtype, copy=False)
    elif mode == "test":
        out = x.copy()
    else:
        raise ValueError(f'Invalid forward dropout mode "{mode}"')

    cache = (dropout_param, mask)
    return out, cache


def dropout_backward(dout, cache):
    """dout: the shape of x. Returns dx: dout * mask in train mode, dout in test mode."""
    dropout_param, mask = cache
    mode = dropout_param["mode"]
    if mode == "train":
        dx = dout * mask
    elif mode == "test":
        dx = dout.copy()
    else:
        raise ValueError(f'Invalid backward dropout mode "{mode}"')
    return dx


# --------------------------------------------------------------------------------------
# Convolutional layers
# --------------------------------------------------------------------------------------


def conv_forward_naive(x, w, b, conv_param):
    """Naive convolution (cross-correlation, as in every deep learning library).

    x: (N, C, H, W); w: (F, C, HH, WW); b: (F,). conv_param: 'stride', 'pad' (zeros added
    on every side of H and W). Returns out (N, F, H', W') with
    H' = 1 + (H + 2 * pad - HH) // stride, W' = 1 + (W + 2 * pad - WW) // stride,
    and cache (x, w, b, conv_param).
    """
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride

    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            top, left = i * stride, j * stride
            window = x_pad[:, :, top:top + HH, left:left + WW]  # (N, C, HH, WW)
            out[:, :, i, j] = np.einsum("nchw,fchw->nf", window, w) + b

    cache = (x, w, b, conv_param)
    return out, cache


def conv_backward_naive(dout, cache):
    """dout: (N, F, H', W'). Returns dx (N, C, H, W), dw (F, C, HH, WW), db (F,)."""
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape

    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for i in range(H_out):
        for j in range(W_out):
            top, left = i * stride, j * stride
            window = x_pad[:, :, top:top + HH, left:left + WW]  # (N, C, HH, WW)
            d = dout[:, :, i, j]  # (N, F)
            dw += np.einsum("nf,nchw->fchw", d, window)
            dx_pad[:, :, top:top + HH, left:left + WW] += np.einsum("nf,fchw->nchw", d, w)

    dx = dx_pad[:, :, pad:pad + H, pad:pad + W]
    return dx, dw, db


def max_pool_forward_naive(x, pool_param):
    """Naive max pooling, no padding.

    x: (N, C, H, W). pool_param: 'pool_height', 'pool_width', 'stride'.
    Returns out (N, C, H', W') with H' = 1 + (H - pool_height) // stride,
    W' = 1 + (W - pool_width) // stride, and cache (x, pool_param).
    """
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    N, C, H, W = x.shape
    H_out = 1 + (H - ph) // stride
    W_out = 1 + (W - pw) // stride

    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            top, left = i * stride, j * stride
            window = x[:, :, top:top + ph, left:left + pw]  # (N, C, ph, pw)
            out[:, :, i, j] = window.max(axis=(2, 3))

    cache = (x, pool_param)
    return out, cache


def max_pool_backward_naive(dout, cache):
    """dout: (N, C, H', W'). Returns dx (N, C, H, W).

    Each window's gradient goes to the element that was its maximum (the first one on a
    tie); windows may overlap when stride < pool size, so contributions add up.
    """
    x, pool_param = cache
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    N, C, H, W = x.shape
    _, _, H_out, W_out = dout.shape

    dx = np.zeros_like(x)
    n, c = np.indices((N, C))  # (N, C) each: which sample and channel
    for i in range(H_out):
        for j in range(W_out):
            top, left = i * stride, j * stride
            window = x[:, :, top:top + ph, left:left + pw]  # (N, C, ph, pw)
            flat_argmax = window.reshape(N, C, -1).argmax(axis=2)
            row, col = np.unravel_index(flat_argmax, (ph, pw))
            dx[n, c, top + row, left + col] += dout[:, :, i, j]
    return dx


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    """Batchnorm for images: one mean and variance per channel, over N, H and W.

    x: (N, C, H, W); gamma, beta: (C,); bn_param as for batchnorm_forward.
    Returns out (N, C, H, W) and cache.
    """
    N, C, H, W = x.shape
    x_rows = x.transpose(0, 2, 3, 1).reshape(-1, C)  # (N*H*W, C)
    out_rows, cache = batchnorm_forward(x_rows, gamma, beta, bn_param)
    out = out_rows.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    """dout: (N, C, H, W). Returns dx (N, C, H, W), dgamma (C,), dbeta (C,)."""
    N, C, H, W = dout.shape
    dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, C)
    dx_rows, dgamma, dbeta = batchnorm_backward(dout_rows, cache)
    dx = dx_rows.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    """Group normalisation: per sample, over each group of C // G channels and all of H, W.

    x: (N, C, H, W) with C divisible by G; gamma, beta: (1, C, 1, 1); gn_param: 'eps' (1e-5).
    Biased variance. Returns out (N, C, H, W) and cache.
    """
    eps = gn_param.get("eps", 1e-5)
    N, C, H, W = x.shape
    groups = x.reshape(N, G, -1)  # (N, G, C // G * H * W)
    mean = groups.mean(axis=2, keepdims=True)
    var = groups.var(axis=2, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = ((groups - mean) * inv_std).reshape(N, C, H, W)
    out = gamma * x_hat + beta
    cache = (x_hat, inv_std, gamma, G)
    return out, cache


def spatial_groupnorm_backward(dout, cache):
    """dout: (N, C, H, W). Returns dx (N, C, H, W), dgamma and dbeta of shape (1, C, 1, 1)."""
    x_hat, inv_std, gamma, G = cache
    N, C, H, W = dout.shape
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3), keepdims=True)

    # The layernorm formula, applied to each group of each sample.
    dx_hat = (dout * gamma).reshape(N, G, -1)
    x_hat_groups = x_hat.reshape(N, G, -1)
    M = x_hat_groups.shape[2]  # values per group
    group_sum = dx_hat.sum(axis=2, keepdims=True)
    group_dot = (dx_hat * x_hat_groups).sum(axis=2, keepdims=True)
    dx = (inv_std / M * (M * dx_hat - group_sum - x_hat_groups * group_dot)).reshape(N, C, H, W)
    return dx, dgamma, dbeta
