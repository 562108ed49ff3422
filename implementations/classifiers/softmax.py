"""Your softmax loss: CS231n assignment 1, `cs231n/classifiers/softmax.py`.

A linear classifier scores a minibatch as scores = X @ W. Both functions take
- W: weights, (D, C)
- X: a minibatch of data, (N, D)
- y: integer labels, (N,), with 0 <= y[i] < C
- reg: the regularisation strength (a float)
and return (loss, dW): loss a scalar, dW the gradient of the loss with respect to W, (D, C).

The loss is the cross-entropy of the softmax of the scores, averaged over the N samples,
plus reg * np.sum(W * W) (no factor 0.5 here). Keep it numerically stable: large scores
must not give inf or NaN. Inputs are float64; never change an input array in place.
"""

import numpy as np


def softmax_loss_naive(W, X, y, reg):
    """Softmax loss and gradient, with explicit loops over the samples and the classes.

    Returns (loss, dW); see the module docstring for the shapes and conventions.
    """
    raise NotImplementedError("softmax_loss_naive: write me")


def softmax_loss_vectorized(W, X, y, reg):
    """Softmax loss and gradient, vectorised: no Python loops.

    Returns (loss, dW), the same values as softmax_loss_naive.
    """
    raise NotImplementedError("softmax_loss_vectorized: write me")
