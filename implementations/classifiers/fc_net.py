"""Your fully connected nets: CS231n `cs231n/classifiers/fc_net.py`, TwoLayerNet and
FullyConnectedNet.

Both nets keep their learnable parameters in self.params, a dict from names ('W1', 'b1',
...) to arrays, and have a method loss(X, y=None):
- y is None (test mode): return the class scores, (N, C);
- otherwise (train mode): return (loss, grads), where loss is a scalar and grads a dict
  with the same keys as self.params, grads[name] the gradient of the loss with respect
  to self.params[name] (same shape).

The loss is the softmax loss plus L2 regularisation 0.5 * self.reg * np.sum(W * W) for every
weight matrix W (not the biases, nor gamma and beta); mind the factor 0.5 (the linear
classifiers of assignment 1 have none). Build the nets from your layers in `layers.py`
and the helpers in `layer_utils.py`.
"""

import numpy as np

from ..layers import *
from ..layer_utils import *


class TwoLayerNet:
    """A two-layer fully connected net:

        affine - relu - affine - softmax

    on inputs of dimension D, with hidden dimension H and C classes. The first affine
    layer flattens each sample (N, d_1, ..., d_k) to (N, D).

    self.params:
    - 'W1': (D, H), 'b1': (H,)
    - 'W2': (H, C), 'b2': (C,)
    """

    def __init__(self, input_dim=3 * 32 * 32, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0):
        """Inputs:
        - input_dim: D, the size of one input sample
        - hidden_dim: H, the size of the hidden layer
        - num_classes: C
        - weight_scale: the standard deviation of the initial weights; draw them as
          weight_scale * np.random.randn(...); the biases start at zero
        - reg: the L2 regularisation strength, stored as self.reg
        """
        raise NotImplementedError("TwoLayerNet.__init__: write me")

    def loss(self, X, y=None):
        """Inputs:
        - X: a minibatch, (N, d_1, ..., d_k)
        - y: integer labels, (N,), with 0 <= y[i] < C; or None

        Returns scores (N, C) if y is None, else (loss, grads) with grads keyed
        'W1', 'b1', 'W2', 'b2'; the regularisation term is 0.5 * self.reg * (sum of W1**2
        + sum of W2**2), and its gradient is included in grads['W1'] and grads['W2'].
        """
        raise NotImplementedError("TwoLayerNet.loss: write me")


class FullyConnectedNet:
    """A fully connected net with any number of hidden layers, L layers in all:

        {affine - [batch/layer norm] - relu - [dropout]} x (L - 1) - affine - softmax

    where the normalisation and the dropout are optional.

    self.params:
    - 'W1' .. 'WL', 'b1' .. 'bL': the weights and biases of the L affine layers
    - with normalisation: 'gamma1' .. 'gamma(L-1)', 'beta1' .. 'beta(L-1)', the scale and
      shift of the normalisation after each hidden affine layer (none after the last one)
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
        """Inputs:
        - hidden_dims: a list with the size of each hidden layer
        - input_dim: the size of one input sample
        - num_classes: the number of classes
        - dropout_keep_ratio: p, the probability of KEEPING a unit in dropout; 1 means no
          dropout layers at all
        - normalization: None, "batchnorm" or "layernorm"
        - reg: the L2 regularisation strength
        - weight_scale: the standard deviation of the initial weights, drawn as
          weight_scale * np.random.randn(...); biases and beta start at zero, gamma at one
        - dtype: every parameter is cast to this NumPy dtype (float64 for gradient checks)
        - seed: if not None, passed to the dropout layers so that they are deterministic

        Sets, with these names (the checks and the notebooks use them):
        - self.normalization, self.reg, self.dtype, self.params
        - self.use_dropout: dropout_keep_ratio != 1
        - self.num_layers: 1 + len(hidden_dims)
        - self.dropout_param: {} without dropout; with dropout
          {"mode": "train", "p": dropout_keep_ratio}, plus "seed": seed if seed is not None
        - self.bn_params: a list of one dict per normalisation layer, [{"mode": "train"}, ...]
          for batchnorm, [{}, ...] for layernorm, [] without normalisation
        """
        raise NotImplementedError("FullyConnectedNet.__init__: write me")

    def loss(self, X, y=None):
        """Inputs:
        - X: a minibatch, (N, d_1, ..., d_k); cast it to self.dtype first
        - y: integer labels, (N,), with 0 <= y[i] < C; or None

        Sets the mode, "test" if y is None else "train", in self.dropout_param (when
        using dropout) and in every dict of self.bn_params, before the forward pass.
        Returns scores (N, C) if y is None, else (loss, grads) with a gradient for every
        key of self.params; the regularisation term is 0.5 * self.reg * the sum of the
        squares of every weight matrix W1 .. WL.
        """
        raise NotImplementedError("FullyConnectedNet.loss: write me")
