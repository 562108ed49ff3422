"""Bugs in the networks of assignments 1 and 2: fc_net.py and cnn.py."""

from .bug import Bug

FC_NET = "reference.classifiers.fc_net"
CNN = "reference.classifiers.cnn"

BUGS = [
    Bug(
        "TwoLayerNet.loss",
        "the full reg instead of 0.5 * reg in the loss",
        "reg_loss = 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2))",
        "reg_loss = self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2))",
        FC_NET,
    ),
    Bug(
        "TwoLayerNet.loss",
        "forgets the regularisation gradient of W1",
        'grads["W1"] = dW1 + self.reg * W1',
        'grads["W1"] = dW1',
        FC_NET,
    ),
    Bug(
        "TwoLayerNet.loss",
        "W1 transposed in the constructor",
        'self.params["W1"] = weight_scale * np.random.randn(input_dim, hidden_dim)',
        'self.params["W1"] = weight_scale * np.random.randn(hidden_dim, input_dim)',
        FC_NET,
    ),
    Bug(
        "FullyConnectedNet.loss",
        "forgets the regularisation loss",
        "            loss += 0.5 * self.reg * np.sum(W * W)\n",
        "",
        FC_NET,
    ),
    Bug(
        "FullyConnectedNet.loss",
        "regularises only the last layer",
        "for i in range(1, L + 1):\n            W = self.params",
        "for i in range(L, L + 1):\n            W = self.params",
        FC_NET,
    ),
    Bug(
        "FullyConnectedNet.loss",
        "skips dropout in the backward pass",
        'dout = dropout_backward(dout, cache["dropout"])',
        "pass",
        FC_NET,
    ),
    Bug(
        "FullyConnectedNet.loss",
        "no gradient for beta",
        'dout, grads[f"gamma{i}"], grads[f"beta{i}"] = batchnorm_backward(dout, cache["norm"])',
        'dout, grads[f"gamma{i}"], _ = batchnorm_backward(dout, cache["norm"])',
        FC_NET,
    ),
    Bug(
        "ThreeLayerConvNet.loss",
        "pads as if the filter were always 3 wide",
        'conv_param = {"stride": 1, "pad": (filter_size - 1) // 2}',
        'conv_param = {"stride": 1, "pad": 1}',
        CNN,
    ),
    Bug(
        "ThreeLayerConvNet.loss",
        "forgets to regularise W3",
        "reg_loss = 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2) + np.sum(W3 * W3))",
        "reg_loss = 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2))",
        CNN,
    ),
]
