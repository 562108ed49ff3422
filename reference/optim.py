"""Reference solutions for CS231n assignment 2, `cs231n/optim.py`.

Every update rule has the same interface:

    next_w, config = update(w, dw, config=None)

w is the current weights, dw the gradient of the loss with respect to w (same shape), and
config a dict of hyperparameters and state (moving averages and the like) that the caller
passes back in on the next step. A missing config, or a missing key, gets its default.
w is never changed in place: next_w is a new array.
"""

import numpy as np


def sgd(w, dw, config=None):
    """Vanilla stochastic gradient descent: next_w = w - learning_rate * dw.

    config: 'learning_rate' (1e-2).
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)

    next_w = w - config["learning_rate"] * dw
    return next_w, config


def sgd_momentum(w, dw, config=None):
    """SGD with momentum.

    config: 'learning_rate' (1e-2), 'momentum' (0.9), 'velocity' (np.zeros_like(w)).
        v = momentum * v - learning_rate * dw;  next_w = w + v
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("velocity", np.zeros_like(w))

    v = config["momentum"] * config["velocity"] - config["learning_rate"] * dw
    next_w = w + v
    config["velocity"] = v
    return next_w, config


def rmsprop(w, dw, config=None):
    """RMSProp: a per-parameter step size from a moving average of squared gradients.

    config: 'learning_rate' (1e-2), 'decay_rate' (0.99), 'epsilon' (1e-8),
    'cache' (np.zeros_like(w)).
        cache = decay_rate * cache + (1 - decay_rate) * dw**2
        next_w = w - learning_rate * dw / (sqrt(cache) + epsilon)
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))

    decay = config["decay_rate"]
    cache = decay * config["cache"] + (1 - decay) * dw**2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    config["cache"] = cache
    return next_w, config


def adam(w, dw, config=None):
    """Adam: moving averages of the gradient and its square, with bias correction.

    config: 'learning_rate' (1e-3), 'beta1' (0.9), 'beta2' (0.999), 'epsilon' (1e-8),
    'm' and 'v' (np.zeros_like(w)), 't' (0, the number of steps taken).
    t is incremented BEFORE it is used, so the first step uses t = 1.
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)

    beta1, beta2 = config["beta1"], config["beta2"]
    t = config["t"] + 1
    m = beta1 * config["m"] + (1 - beta1) * dw  # first moment
    v = beta2 * config["v"] + (1 - beta2) * dw**2  # second moment
    mt = m / (1 - beta1**t)  # bias-corrected
    vt = v / (1 - beta2**t)
    next_w = w - config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"])

    config["m"] = m
    config["v"] = v
    config["t"] = t
    return next_w, config
