"""Your update rules: CS231n assignment 2, `cs231n/optim.py`.

Every update rule has the same interface:

    next_w, config = update(w, dw, config=None)

Inputs:
- w: the current weights, an array of any shape
- dw: the gradient of the loss with respect to w, same shape
- config: a dict of hyperparameters and state (moving averages and the like), or None.
  A missing config, or a missing key, gets its default (use config.setdefault). Store the
  new state back into config: the caller passes the same dict in on the next step.

Returns (next_w, config). Never change w, dw or the arrays already in config in place:
build next_w and the new state as new arrays. `sgd` is given as an example.
"""

import numpy as np


def sgd(w, dw, config=None):
    """Vanilla stochastic gradient descent: next_w = w - learning_rate * dw.

    config:
    - 'learning_rate': default 1e-2
    """
    raise NotImplementedError("sgd: write me")


def sgd_momentum(w, dw, config=None):
    """Stochastic gradient descent with momentum.

    config:
    - 'learning_rate': default 1e-2
    - 'momentum': a scalar in [0, 1), default 0.9
    - 'velocity': an array of w's shape, default np.zeros_like(w)

    The velocity is a moving average of the gradients, stepped as
        v = momentum * v - learning_rate * dw
    and the weights move by it: next_w = w + v. Store v back into config['velocity'].
    """
    raise NotImplementedError("sgd_momentum: write me")


def rmsprop(w, dw, config=None):
    """RMSProp: a per-parameter learning rate, from a moving average of squared gradients.

    config:
    - 'learning_rate': default 1e-2
    - 'decay_rate': a scalar in [0, 1), the decay of the squared-gradient cache, default 0.99
    - 'epsilon': a small number to avoid dividing by zero, default 1e-8
    - 'cache': the moving average of dw**2, an array of w's shape, default np.zeros_like(w)

    Add epsilon to the square root of the cache (not under it). Store the new cache back
    into config['cache'].
    """
    raise NotImplementedError("rmsprop: write me")


def adam(w, dw, config=None):
    """Adam: moving averages of the gradient and of its square, with bias correction.

    config:
    - 'learning_rate': default 1e-3
    - 'beta1': the decay of the first moment (gradient) average, default 0.9
    - 'beta2': the decay of the second moment (squared gradient) average, default 0.999
    - 'epsilon': a small number to avoid dividing by zero, default 1e-8
    - 'm', 'v': the moment averages, arrays of w's shape, default np.zeros_like(w)
    - 't': the iteration number, default 0

    Increment t BEFORE using it, so the first step uses t = 1 in the bias correction.
    Add epsilon to the square root of the corrected second moment (not under it).
    Store the new m, v and t back into config.
    """
    raise NotImplementedError("adam: write me")
