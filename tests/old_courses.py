"""Correct solutions under the conventions of older CS231n course years. 2016: dropout's p
is the probability of DROPPING a unit (2016-2017, with `dropout` and `use_batchnorm` in
FullyConnectedNet), and the linear classifiers regularise with 0.5 * reg * sum(W * W).
2017: the starter's Adam sets t to 1 by default, so its first step uses t = 2. They must
fail under the current conventions with a hint, and pass with --course-year of their year."""

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


def adam(x, dx, config=None):
    """The 2017 starter's defaults, as a 2017 learner completed them."""
    if config is None: config = {}
    config.setdefault('learning_rate', 1e-3)
    config.setdefault('beta1', 0.9)
    config.setdefault('beta2', 0.999)
    config.setdefault('epsilon', 1e-8)
    config.setdefault('m', np.zeros_like(x))
    config.setdefault('v', np.zeros_like(x))
    config.setdefault('t', 1)

    config['t'] += 1
    config['m'] = config['beta1'] * config['m'] + (1 - config['beta1']) * dx
    config['v'] = config['beta2'] * config['v'] + (1 - config['beta2']) * (dx ** 2)
    mt = config['m'] / (1 - config['beta1'] ** config['t'])
    vt = config['v'] / (1 - config['beta2'] ** config['t'])
    next_x = x - config['learning_rate'] * mt / (np.sqrt(vt) + config['epsilon'])
    return next_x, config
