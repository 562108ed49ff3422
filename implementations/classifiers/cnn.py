"""Your convolutional net: CS231n assignment 2, `cs231n/classifiers/cnn.py`.

Build it from your layers in `layers.py` and the helpers in `layer_utils.py`
(conv_relu_pool_forward, affine_relu_forward and their backward passes).
"""

import numpy as np

from ..layers import *
from ..layer_utils import *


class ThreeLayerConvNet:
    """A three-layer convolutional net:

        conv - relu - 2x2 max pool - affine - relu - affine - softmax

    on minibatches of images of shape (N, C, H, W). The convolution has stride 1 and
    zero padding (filter_size - 1) // 2, so that (for an odd filter_size) its output keeps
    the input's H and W; the pool (2x2, stride 2) halves them.

    self.params:
    - 'W1': (F, C, filter_size, filter_size), 'b1': (F,), the F = num_filters filters
    - 'W2': (F * H/2 * W/2, hidden_dim), 'b2': (hidden_dim,)
    - 'W3': (hidden_dim, num_classes), 'b3': (num_classes,)
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
        """Inputs:
        - input_dim: (C, H, W), the shape of one image
        - num_filters: F, the number of filters of the convolution
        - filter_size: the height and width of each filter
        - hidden_dim: the size of the hidden affine layer
        - num_classes: the number of classes
        - weight_scale: the standard deviation of the initial weights, drawn as
          weight_scale * np.random.randn(...); the biases start at zero
        - reg: the L2 regularisation strength, stored as self.reg
        - dtype: every parameter is cast to this NumPy dtype, stored as self.dtype
        """
        raise NotImplementedError("ThreeLayerConvNet.__init__: write me")

    def loss(self, X, y=None):
        """Inputs:
        - X: a minibatch of images, (N, C, H, W)
        - y: integer labels, (N,), with 0 <= y[i] < num_classes; or None

        Returns scores (N, num_classes) if y is None, else (loss, grads): the softmax loss
        plus 0.5 * self.reg * the sum of the squares of W1, W2 and W3, and grads with a
        gradient for every key of self.params (same shapes).
        """
        raise NotImplementedError("ThreeLayerConvNet.loss: write me")
