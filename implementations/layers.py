"""Your layers: the CS231n assignment-2 exercises, one function each.

Replace each `raise NotImplementedError(...)` with your code, then run
`pytest --impl implementations` from the repository root. Functions you have not written
yet are reported as skipped ("not implemented").

Conventions: every forward returns (out, cache); every backward takes (dout, cache), where
cache is whatever your own forward stored. Inputs are float64; never change an input array
in place (work on copies or use out-of-place operations).
"""

import numpy as np


# --------------------------------------------------------------------------------------
# Fully connected layers and losses
# --------------------------------------------------------------------------------------


def affine_forward(x, w, b):
    """Fully connected layer: out = x @ w + b.

    Inputs:
    - x: (N, d_1, ..., d_k); each sample is flattened to a row of D = d_1 * ... * d_k values
    - w: weights, (D, M)
    - b: biases, (M,)

    Returns (out, cache): out of shape (N, M); cache for affine_backward.
    """
    raise NotImplementedError("affine_forward: write me")


def affine_backward(dout, cache):
    """Backward pass of the fully connected layer.

    Inputs:
    - dout: upstream gradient, (N, M)
    - cache: what affine_forward stored

    Returns (dx, dw, db): dx with x's shape (N, d_1, ..., d_k), dw (D, M), db (M,).
    """
    raise NotImplementedError("affine_backward: write me")


def relu_forward(x):
    """Rectified linear unit: out = max(0, x) elementwise, for x of any shape.

    Returns (out, cache): out with x's shape; cache for relu_backward.
    """
    raise NotImplementedError("relu_forward: write me")


def relu_backward(dout, cache):
    """Backward pass of ReLU.

    Inputs: dout, the upstream gradient (x's shape); cache from relu_forward.
    Returns dx (x's shape). Use gradient 0 where x <= 0.
    """
    raise NotImplementedError("relu_backward: write me")


def softmax_loss(x, y):
    """Softmax cross-entropy loss and its gradient.

    Inputs:
    - x: class scores, (N, C)
    - y: integer labels, (N,), with 0 <= y[i] < C

    Returns (loss, dx): loss, a scalar averaged over the N samples; dx (N, C), the gradient
    of that loss. Subtract each row's maximum before exponentiating (numerical stability).
    """
    raise NotImplementedError("softmax_loss: write me")


def svm_loss(x, y):
    """Multiclass SVM (hinge) loss and its gradient.

    Inputs:
    - x: class scores, (N, C)
    - y: integer labels, (N,), with 0 <= y[i] < C

    loss = (1 / N) * sum over i and over classes j != y[i] of max(0, x[i, j] - x[i, y[i]] + 1)
    Returns (loss, dx): loss, a scalar; dx (N, C).
    """
    raise NotImplementedError("svm_loss: write me")


# --------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------


def batchnorm_forward(x, gamma, beta, bn_param):
    """Batch normalisation: each feature normalised over the batch, then scaled and shifted.

    Inputs:
    - x: (N, D)
    - gamma, beta: scale and shift, (D,)
    - bn_param: dict with
      - 'mode': 'train' or 'test' (required; raise ValueError for anything else)
      - 'eps': added to the variance, default 1e-5
      - 'momentum': default 0.9
      - 'running_mean', 'running_var': (D,), default np.zeros(D, dtype=x.dtype)

    Train mode: x_hat = (x - mean) / sqrt(var + eps) with the batch mean and the BIASED batch
    variance (divide by N), out = gamma * x_hat + beta, and update the running statistics
        running_mean = momentum * running_mean + (1 - momentum) * mean
        running_var = momentum * running_var + (1 - momentum) * var
    storing them back into bn_param['running_mean'] and bn_param['running_var'].
    Test mode: normalise with running_mean and running_var instead.

    Returns (out, cache): out (N, D); cache for batchnorm_backward and batchnorm_backward_alt.
    """
    raise NotImplementedError("batchnorm_forward: write me")


def batchnorm_backward(dout, cache):
    """Backward pass of batchnorm (train mode), worked through the computational graph
    one node at a time.

    Inputs: dout, the upstream gradient (N, D); cache from batchnorm_forward.
    Returns (dx, dgamma, dbeta): dx (N, D), dgamma (D,), dbeta (D,).
    """
    raise NotImplementedError("batchnorm_backward: write me")


def batchnorm_backward_alt(dout, cache):
    """Backward pass of batchnorm (train mode), with dx simplified on paper to a single
    expression in dout, x_hat, gamma and 1 / sqrt(var + eps).

    Takes the same cache as batchnorm_backward.
    Returns (dx, dgamma, dbeta): dx (N, D), dgamma (D,), dbeta (D,).
    """
    raise NotImplementedError("batchnorm_backward_alt: write me")


def layernorm_forward(x, gamma, beta, ln_param):
    """Layer normalisation: each sample (row) normalised over its own D features.

    Inputs:
    - x: (N, D)
    - gamma, beta: scale and shift, (D,)
    - ln_param: dict with 'eps', default 1e-5

    x_hat = (x - row mean) / sqrt(row variance + eps), biased variance; out = gamma * x_hat + beta.
    No modes and no running statistics.
    Returns (out, cache): out (N, D); cache for layernorm_backward.
    """
    raise NotImplementedError("layernorm_forward: write me")


def layernorm_backward(dout, cache):
    """Backward pass of layer normalisation.

    Inputs: dout, the upstream gradient (N, D); cache from layernorm_forward.
    Returns (dx, dgamma, dbeta): dx (N, D), dgamma (D,), dbeta (D,).
    """
    raise NotImplementedError("layernorm_backward: write me")


# --------------------------------------------------------------------------------------
# Dropout
# --------------------------------------------------------------------------------------


def dropout_forward(x, dropout_param):
    """Inverted dropout.

    Inputs:
    - x: any shape
    - dropout_param: dict with
      - 'p': the probability of KEEPING each unit
      - 'mode': 'train' or 'test'
      - 'seed' (optional): if present, call np.random.seed(seed) first

    Train mode: mask = (np.random.rand(*x.shape) < p) / p; out = x * mask.
    Test mode: out = x (the same values).
    Returns (out, cache): out with x's shape and dtype; cache = (dropout_param, mask).
    """
    raise NotImplementedError("dropout_forward: write me")


def dropout_backward(dout, cache):
    """Backward pass of inverted dropout.

    Inputs: dout, the upstream gradient (x's shape); cache = (dropout_param, mask).
    Returns dx (x's shape): dout * mask in train mode, dout in test mode.
    """
    raise NotImplementedError("dropout_backward: write me")


# --------------------------------------------------------------------------------------
# Convolutional layers
# --------------------------------------------------------------------------------------


def conv_forward_naive(x, w, b, conv_param):
    """Naive convolution: F filters slid over the zero-padded input.

    Inputs:
    - x: (N, C, H, W)
    - w: filters, (F, C, HH, WW)
    - b: biases, (F,)
    - conv_param: dict with 'stride' and 'pad' (zeros added on every side of H and W)

    out[n, f, i, j] = sum over c, h, w' of x_padded[n, c, i*stride + h, j*stride + w'] * w[f, c, h, w'] + b[f]
    (no kernel flip, as in every deep learning library). Loops over output positions are fine.
    Returns (out, cache): out (N, F, H', W') with H' = 1 + (H + 2 * pad - HH) // stride and
    W' = 1 + (W + 2 * pad - WW) // stride; cache for conv_backward_naive.
    """
    raise NotImplementedError("conv_forward_naive: write me")


def conv_backward_naive(dout, cache):
    """Backward pass of the naive convolution.

    Inputs: dout, the upstream gradient (N, F, H', W'); cache from conv_forward_naive.
    Returns (dx, dw, db): dx (N, C, H, W) (the unpadded input's shape), dw (F, C, HH, WW), db (F,).
    """
    raise NotImplementedError("conv_backward_naive: write me")


def max_pool_forward_naive(x, pool_param):
    """Naive max pooling, no padding.

    Inputs:
    - x: (N, C, H, W)
    - pool_param: dict with 'pool_height', 'pool_width' and 'stride'

    Each output is the maximum of its pool_height x pool_width window; windows start every
    `stride` pixels and overlap when stride < pool size.
    Returns (out, cache): out (N, C, H', W') with H' = 1 + (H - pool_height) // stride and
    W' = 1 + (W - pool_width) // stride; cache for max_pool_backward_naive.
    """
    raise NotImplementedError("max_pool_forward_naive: write me")


def max_pool_backward_naive(dout, cache):
    """Backward pass of naive max pooling.

    Inputs: dout, the upstream gradient (N, C, H', W'); cache from max_pool_forward_naive.
    Each window's gradient goes to the element that was its maximum (np.argmax: the first
    on a tie). Overlapping windows add their contributions.
    Returns dx (N, C, H, W).
    """
    raise NotImplementedError("max_pool_backward_naive: write me")


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    """Spatial batch normalisation: batchnorm with one mean and variance per channel,
    taken over N, H and W.

    Inputs:
    - x: (N, C, H, W)
    - gamma, beta: (C,)
    - bn_param: as for batchnorm_forward (running statistics of shape (C,))

    Hint: reshape to (N * H * W, C) and reuse batchnorm_forward.
    Returns (out, cache): out (N, C, H, W); cache for spatial_batchnorm_backward.
    """
    raise NotImplementedError("spatial_batchnorm_forward: write me")


def spatial_batchnorm_backward(dout, cache):
    """Backward pass of spatial batch normalisation (train mode).

    Inputs: dout, the upstream gradient (N, C, H, W); cache from spatial_batchnorm_forward.
    Hint: reuse batchnorm_backward.
    Returns (dx, dgamma, dbeta): dx (N, C, H, W), dgamma (C,), dbeta (C,).
    """
    raise NotImplementedError("spatial_batchnorm_backward: write me")


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    """Spatial group normalisation: for each sample, the C channels are split into G groups
    of C // G consecutive channels, and each group is normalised over its channels and all
    of H and W (biased variance).

    Inputs:
    - x: (N, C, H, W), with C divisible by G
    - gamma, beta: scale and shift per channel, shape (1, C, 1, 1)
    - G: the number of groups
    - gn_param: dict with 'eps', default 1e-5

    Returns (out, cache): out (N, C, H, W); cache for spatial_groupnorm_backward.
    """
    raise NotImplementedError("spatial_groupnorm_forward: write me")


def spatial_groupnorm_backward(dout, cache):
    """Backward pass of spatial group normalisation.

    Inputs: dout, the upstream gradient (N, C, H, W); cache from spatial_groupnorm_forward.
    Returns (dx, dgamma, dbeta): dx (N, C, H, W); dgamma and dbeta of shape (1, C, 1, 1).
    """
    raise NotImplementedError("spatial_groupnorm_backward: write me")
