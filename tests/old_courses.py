"""Correct solutions under the conventions of CS231n 2016: dropout's p is the probability of
DROPPING a unit (2016-2017, with `dropout` and `use_batchnorm` in FullyConnectedNet), and
the linear classifiers regularise with 0.5 * reg * sum(W * W). They must fail under the
current conventions with a hint, and pass with --course-year 2016."""

import numpy as np

from reference.classifiers import fc_net, linear_svm
from tests.alternatives import classifiers


def svm_loss_vectorized(W, X, y, reg):
    return linear_svm.svm_loss_vectorized(W, X, y, reg / 2)  # 0.5 * reg * sum(W * W)


class TwoLayerNet(classifiers.TwoLayerNet):
    def loss(self, X, y=None, reg=0.0):
        return super().loss(X, y, reg / 2)


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        mask = (np.random.rand(*x.shape) < 1 - p) / (1 - p)
        out = x * mask
    else:
        out = x.copy()
    return out, (dropout_param, mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    return dout * mask if dropout_param["mode"] == "train" else dout


class FullyConnectedNet(fc_net.FullyConnectedNet):
    """The 2017 constructor; dropout = 0 turns dropout off. The reference net keeps units
    with probability 1 - dropout, drawing the same mask as dropout_forward above."""

    def __init__(self, hidden_dims, input_dim=3 * 32 * 32, num_classes=10, dropout=0, use_batchnorm=False,
                 reg=0.0, weight_scale=1e-2, dtype=np.float32, seed=None):
        normalization = "batchnorm" if use_batchnorm else None
        super().__init__(hidden_dims, input_dim, num_classes, 1 - dropout, normalization, reg, weight_scale, dtype, seed)
