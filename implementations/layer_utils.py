"""Given code (nothing to write here): CS231n assignment 2, `cs231n/layer_utils.py`.

Sandwich layers: common chains of layers as one forward and one backward function, built
on YOUR layers in `layers.py`, so they work once the layers they use do. As in the
official file, except that the convolution and pooling are the naive layers (there are no
fast layers here).
"""

from .layers import *


def affine_relu_forward(x, w, b):
    """affine -> relu. x: (N, d_1, ..., d_k); w: (D, M); b: (M,).

    Returns out (N, M) and cache (fc_cache, relu_cache).
    """
    a, fc_cache = affine_forward(x, w, b)
    out, relu_cache = relu_forward(a)
    cache = (fc_cache, relu_cache)
    return out, cache


def affine_relu_backward(dout, cache):
    """dout: (N, M). Returns dx (x's shape), dw (D, M), db (M,)."""
    fc_cache, relu_cache = cache
    da = relu_backward(dout, relu_cache)
    dx, dw, db = affine_backward(da, fc_cache)
    return dx, dw, db


def affine_bn_relu_forward(x, w, b, gamma, beta, bn_param):
    """affine -> batchnorm -> relu. gamma, beta: (M,); bn_param as for batchnorm_forward.

    Returns out (N, M) and cache (fc_cache, bn_cache, relu_cache).
    """
    a, fc_cache = affine_forward(x, w, b)
    an, bn_cache = batchnorm_forward(a, gamma, beta, bn_param)
    out, relu_cache = relu_forward(an)
    cache = (fc_cache, bn_cache, relu_cache)
    return out, cache


def affine_bn_relu_backward(dout, cache):
    """dout: (N, M). Returns dx (x's shape), dw (D, M), db (M,), dgamma (M,), dbeta (M,)."""
    fc_cache, bn_cache, relu_cache = cache
    dan = relu_backward(dout, relu_cache)
    da, dgamma, dbeta = batchnorm_backward(dan, bn_cache)
    dx, dw, db = affine_backward(da, fc_cache)
    return dx, dw, db, dgamma, dbeta


def affine_ln_relu_forward(x, w, b, gamma, beta, ln_param):
    """affine -> layernorm -> relu. gamma, beta: (M,); ln_param as for layernorm_forward.

    Returns out (N, M) and cache (fc_cache, ln_cache, relu_cache).
    """
    a, fc_cache = affine_forward(x, w, b)
    an, ln_cache = layernorm_forward(a, gamma, beta, ln_param)
    out, relu_cache = relu_forward(an)
    cache = (fc_cache, ln_cache, relu_cache)
    return out, cache


def affine_ln_relu_backward(dout, cache):
    """dout: (N, M). Returns dx (x's shape), dw (D, M), db (M,), dgamma (M,), dbeta (M,)."""
    fc_cache, ln_cache, relu_cache = cache
    dan = relu_backward(dout, relu_cache)
    da, dgamma, dbeta = layernorm_backward(dan, ln_cache)
    dx, dw, db = affine_backward(da, fc_cache)
    return dx, dw, db, dgamma, dbeta


def conv_relu_forward(x, w, b, conv_param):
    """conv -> relu. x: (N, C, H, W); w: (F, C, HH, WW); b: (F,); conv_param 'stride', 'pad'.

    Returns out (N, F, H', W') and cache (conv_cache, relu_cache).
    """
    a, conv_cache = conv_forward_naive(x, w, b, conv_param)
    out, relu_cache = relu_forward(a)
    cache = (conv_cache, relu_cache)
    return out, cache


def conv_relu_backward(dout, cache):
    """dout: (N, F, H', W'). Returns dx (N, C, H, W), dw (F, C, HH, WW), db (F,)."""
    conv_cache, relu_cache = cache
    da = relu_backward(dout, relu_cache)
    dx, dw, db = conv_backward_naive(da, conv_cache)
    return dx, dw, db


def conv_bn_relu_forward(x, w, b, gamma, beta, conv_param, bn_param):
    """conv -> spatial batchnorm -> relu. gamma, beta: (F,).

    Returns out (N, F, H', W') and cache (conv_cache, bn_cache, relu_cache).
    """
    a, conv_cache = conv_forward_naive(x, w, b, conv_param)
    an, bn_cache = spatial_batchnorm_forward(a, gamma, beta, bn_param)
    out, relu_cache = relu_forward(an)
    cache = (conv_cache, bn_cache, relu_cache)
    return out, cache


def conv_bn_relu_backward(dout, cache):
    """dout: (N, F, H', W'). Returns dx, dw, db, dgamma (F,), dbeta (F,)."""
    conv_cache, bn_cache, relu_cache = cache
    dan = relu_backward(dout, relu_cache)
    da, dgamma, dbeta = spatial_batchnorm_backward(dan, bn_cache)
    dx, dw, db = conv_backward_naive(da, conv_cache)
    return dx, dw, db, dgamma, dbeta


def conv_relu_pool_forward(x, w, b, conv_param, pool_param):
    """conv -> relu -> max pool. pool_param: 'pool_height', 'pool_width', 'stride'.

    Returns out (N, F, H'', W'') and cache (conv_cache, relu_cache, pool_cache).
    """
    a, conv_cache = conv_forward_naive(x, w, b, conv_param)
    s, relu_cache = relu_forward(a)
    out, pool_cache = max_pool_forward_naive(s, pool_param)
    cache = (conv_cache, relu_cache, pool_cache)
    return out, cache


def conv_relu_pool_backward(dout, cache):
    """dout: (N, F, H'', W''). Returns dx (N, C, H, W), dw (F, C, HH, WW), db (F,)."""
    conv_cache, relu_cache, pool_cache = cache
    ds = max_pool_backward_naive(dout, pool_cache)
    da = relu_backward(ds, relu_cache)
    dx, dw, db = conv_backward_naive(da, conv_cache)
    return dx, dw, db
