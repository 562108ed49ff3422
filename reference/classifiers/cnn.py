"""Reference solution for CS231n assignment 2, `cs231n/classifiers/cnn.py`.

A three-layer convolutional net:

    conv - relu - 2x2 max pool - affine - relu - affine - softmax

on images of shape (C, H, W). The convolution has stride 1 and pad (filter_size - 1) // 2,
which keeps H and W for an odd filter_size; the pool halves them. The L2 regularisation
adds 0.5 * reg * sum(W * W) for W1, W2 and W3.
"""

import numpy as np

from ..layers import *
from ..layer_utils import *


class ThreeLayerConvNet:
    """params: 'W1' (F, C, fs, fs), 'b1' (F,), 'W2' (F * H/2 * W/2, hidden_dim),
    'b2' (hidden_dim,), 'W3' (hidden_dim, num_classes), 'b3' (num_classes,).
    """

    def __init__(
        self,
        input_dim=(3, 32, 32),
        num_filters=32,
        filter_size=7,
        hidden_dim=100,
        num_classes=10,
        weight_scale=1e-3,
        reg=0.0,
        dtype=np.float32,
    ):
        """Weights ~ weight_scale * N(0, 1), biases zero, all cast to dtype."""
        self.params = {}
        self.reg = reg
        self.dtype = dtype

        C, H, W = input_dim
        pooled_dim = num_filters * (H // 2) * (W // 2)
        self.params["W1"] = weight_scale * np.random.randn(num_filters, C, filter_size, filter_size)
        self.params["b1"] = np.zeros(num_filters)
        self.params["W2"] = weight_scale * np.random.randn(pooled_dim, hidden_dim)
        self.params["b2"] = np.zeros(hidden_dim)
        self.params["W3"] = weight_scale * np.random.randn(hidden_dim, num_classes)
        self.params["b3"] = np.zeros(num_classes)

        for name, value in self.params.items():
            self.params[name] = value.astype(dtype)

    def loss(self, X, y=None):
        """X: (N, C, H, W); y: (N,) labels or None.

        Returns scores (N, num_classes) if y is None, else (loss, grads).
        """
        X = X.astype(self.dtype)
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        W3, b3 = self.params["W3"], self.params["b3"]

        filter_size = W1.shape[2]
        conv_param = {"stride": 1, "pad": (filter_size - 1) // 2}
        pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}

        pooled, pool_cache = conv_relu_pool_forward(X, W1, b1, conv_param, pool_param)
        hidden, hidden_cache = affine_relu_forward(pooled, W2, b2)
        scores, scores_cache = affine_forward(hidden, W3, b3)
        if y is None:
            return scores

        grads = {}
        data_loss, dscores = softmax_loss(scores, y)
        reg_loss = 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2) + np.sum(W3 * W3))
        loss = data_loss + reg_loss

        dhidden, dW3, grads["b3"] = affine_backward(dscores, scores_cache)
        dpooled, dW2, grads["b2"] = affine_relu_backward(dhidden, hidden_cache)
        _, dW1, grads["b1"] = conv_relu_pool_backward(dpooled, pool_cache)
        grads["W3"] = dW3 + self.reg * W3
        grads["W2"] = dW2 + self.reg * W2
        grads["W1"] = dW1 + self.reg * W1
        return loss, grads
