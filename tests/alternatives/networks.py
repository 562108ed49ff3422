"""Correct networks whose constructors set every bias to the scalar 0: numpy broadcasts it
in the forward pass, and the solver's first update makes it a vector of the right shape."""

import numpy as np

from reference.classifiers import fc_net
from reference.layers import dropout_forward  # noqa: F401  the net's dropout masks are the learner's


class TwoLayerNet(fc_net.TwoLayerNet):
    def __init__(self, input_dim=3 * 32 * 32, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0):
        super().__init__(input_dim, hidden_dim, num_classes, weight_scale, reg)
        self.params["b1"] = 0
        self.params["b2"] = 0


class FullyConnectedNet(fc_net.FullyConnectedNet):
    def __init__(self, hidden_dims, input_dim=3 * 32 * 32, num_classes=10, dropout_keep_ratio=1, normalization=None,
                 reg=0.0, weight_scale=1e-2, dtype=np.float32, seed=None):
        super().__init__(hidden_dims, input_dim, num_classes, dropout_keep_ratio, normalization, reg, weight_scale,
                         dtype, seed)
        for i in range(1, self.num_layers + 1):
            self.params[f"b{i}"] = 0
