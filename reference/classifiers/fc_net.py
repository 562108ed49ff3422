"""Reference solutions for CS231n `cs231n/classifiers/fc_net.py`: TwoLayerNet and
FullyConnectedNet.

Both nets keep their parameters in self.params (a dict of arrays) and have a method
loss(X, y=None): with y None it returns the class scores (N, C); otherwise (loss, grads),
where grads has one gradient per entry of self.params. The L2 regularisation adds
0.5 * reg * sum(W * W) for every weight matrix W (not the biases, gamma or beta).
"""

import numpy as np

from ..layers import *
from ..layer_utils import *


class TwoLayerNet:
    """affine - relu - affine - softmax, on inputs of dimension D, hidden dimension H and
    C classes. params: 'W1' (D, H), 'b1' (H,), 'W2' (H, C), 'b2' (C,).
    """

    def __init__(self, input_dim=3 * 32 * 32, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0):
        """Weights ~ weight_scale * N(0, 1), biases zero; reg is the L2 strength."""
        self.params = {}
        self.reg = reg
        self.params["W1"] = weight_scale * np.random.randn(input_dim, hidden_dim)
        self.params["b1"] = np.zeros(hidden_dim)
        self.params["W2"] = weight_scale * np.random.randn(hidden_dim, num_classes)
        self.params["b2"] = np.zeros(num_classes)

    def loss(self, X, y=None):
        """X: (N, d_1, ..., d_k); y: (N,) labels or None.

        Returns scores (N, C) if y is None, else (loss, grads).
        """
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]

        hidden, hidden_cache = affine_relu_forward(X, W1, b1)
        scores, scores_cache = affine_forward(hidden, W2, b2)
        if y is None:
            return scores

        grads = {}
        data_loss, dscores = softmax_loss(scores, y)
        reg_loss = 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        loss = data_loss + reg_loss

        dhidden, dW2, grads["b2"] = affine_backward(dscores, scores_cache)
        _, dW1, grads["b1"] = affine_relu_backward(dhidden, hidden_cache)
        grads["W2"] = dW2 + self.reg * W2
        grads["W1"] = dW1 + self.reg * W1
        return loss, grads


class FullyConnectedNet:
    """A fully connected net with any number of hidden layers:

        {affine - [batch/layer norm] - relu - [dropout]} x (L - 1) - affine - softmax

    params: 'W1' .. 'WL', 'b1' .. 'bL', and with normalisation 'gamma1' .. 'gamma(L-1)',
    'beta1' .. 'beta(L-1)'.
    """

    def __init__(
        self,
        hidden_dims,
        input_dim=3 * 32 * 32,
        num_classes=10,
        dropout_keep_ratio=1,
        normalization=None,
        reg=0.0,
        weight_scale=1e-2,
        dtype=np.float32,
        seed=None,
    ):
        """hidden_dims: list of the hidden layer sizes; dropout_keep_ratio: the probability
        of KEEPING a unit (1 means no dropout); normalization: None, "batchnorm" or
        "layernorm"; weights ~ weight_scale * N(0, 1), biases zero, gamma one, beta zero,
        all cast to dtype; seed: passed to the dropout layers, for deterministic masks.
        """
        self.normalization = normalization
        self.use_dropout = dropout_keep_ratio != 1
        self.reg = reg
        self.num_layers = 1 + len(hidden_dims)
        self.dtype = dtype
        self.params = {}

        dims = [input_dim] + list(hidden_dims) + [num_classes]
        for i in range(1, self.num_layers + 1):
            self.params[f"W{i}"] = weight_scale * np.random.randn(dims[i - 1], dims[i])
            self.params[f"b{i}"] = np.zeros(dims[i])
            if self.normalization is not None and i < self.num_layers:
                self.params[f"gamma{i}"] = np.ones(dims[i])
                self.params[f"beta{i}"] = np.zeros(dims[i])

        # One dict shared by every dropout layer; the mode is set in loss().
        self.dropout_param = {}
        if self.use_dropout:
            self.dropout_param = {"mode": "train", "p": dropout_keep_ratio}
            if seed is not None:
                self.dropout_param["seed"] = seed

        # One dict per normalisation layer, holding its running statistics.
        self.bn_params = []
        if self.normalization == "batchnorm":
            self.bn_params = [{"mode": "train"} for _ in range(self.num_layers - 1)]
        if self.normalization == "layernorm":
            self.bn_params = [{} for _ in range(self.num_layers - 1)]

        for name, value in self.params.items():
            self.params[name] = value.astype(dtype)

    def loss(self, X, y=None):
        """X: (N, d_1, ..., d_k); y: (N,) labels or None (test mode).

        Returns scores (N, C) if y is None, else (loss, grads).
        """
        X = X.astype(self.dtype)
        mode = "test" if y is None else "train"
        if self.use_dropout:
            self.dropout_param["mode"] = mode
        for bn_param in self.bn_params:
            bn_param["mode"] = mode

        # Forward: the hidden layers, then the last affine layer.
        caches = []
        out = X
        for i in range(1, self.num_layers):
            cache = {}
            out, cache["affine"] = affine_forward(out, self.params[f"W{i}"], self.params[f"b{i}"])
            if self.normalization == "batchnorm":
                gamma, beta = self.params[f"gamma{i}"], self.params[f"beta{i}"]
                out, cache["norm"] = batchnorm_forward(out, gamma, beta, self.bn_params[i - 1])
            elif self.normalization == "layernorm":
                gamma, beta = self.params[f"gamma{i}"], self.params[f"beta{i}"]
                out, cache["norm"] = layernorm_forward(out, gamma, beta, self.bn_params[i - 1])
            out, cache["relu"] = relu_forward(out)
            if self.use_dropout:
                out, cache["dropout"] = dropout_forward(out, self.dropout_param)
            caches.append(cache)
        L = self.num_layers
        scores, last_cache = affine_forward(out, self.params[f"W{L}"], self.params[f"b{L}"])

        if mode == "test":
            return scores

        # Loss: softmax plus 0.5 * reg * sum(W * W) over every weight matrix.
        grads = {}
        loss, dout = softmax_loss(scores, y)
        for i in range(1, L + 1):
            W = self.params[f"W{i}"]
            loss += 0.5 * self.reg * np.sum(W * W)

        # Backward: the last affine layer, then the hidden layers in reverse.
        dout, grads[f"W{L}"], grads[f"b{L}"] = affine_backward(dout, last_cache)
        for i in range(L - 1, 0, -1):
            cache = caches[i - 1]
            if self.use_dropout:
                dout = dropout_backward(dout, cache["dropout"])
            dout = relu_backward(dout, cache["relu"])
            if self.normalization == "batchnorm":
                dout, grads[f"gamma{i}"], grads[f"beta{i}"] = batchnorm_backward(dout, cache["norm"])
            elif self.normalization == "layernorm":
                dout, grads[f"gamma{i}"], grads[f"beta{i}"] = layernorm_backward(dout, cache["norm"])
            dout, grads[f"W{i}"], grads[f"b{i}"] = affine_backward(dout, cache["affine"])

        for i in range(1, L + 1):
            grads[f"W{i}"] += self.reg * self.params[f"W{i}"]
        return loss, grads
