"""2025's assignment-1 FullyConnectedNet: a constructor without normalization or dropout,
whose net has neither."""

import numpy as np

from reference.classifiers import fc_net


class FullyConnectedNet(fc_net.FullyConnectedNet):
    def __init__(self, hidden_dims, input_dim=3 * 32 * 32, num_classes=10, reg=0.0, weight_scale=1e-2,
                 dtype=np.float32, seed=None):
        super().__init__(hidden_dims, input_dim, num_classes, reg=reg, weight_scale=weight_scale, dtype=dtype, seed=seed)
