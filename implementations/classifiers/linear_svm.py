"""Your structured SVM loss: CS231n assignment 1, `cs231n/classifiers/linear_svm.py`.

A linear classifier scores a minibatch as scores = X @ W. Both functions take
- W: weights, (D, C)
- X: a minibatch of data, (N, D)
- y: integer labels, (N,), with 0 <= y[i] < C
- reg: the regularisation strength (a float)
and return (loss, dW): loss a scalar, dW the gradient of the loss with respect to W, (D, C).

The loss is the multiclass hinge loss with margin 1, summed over the classes j != y[i]
(the correct class is left out), averaged over the N samples, plus reg * np.sum(W * W)
(no factor 0.5 here). Inputs are float64; never change an input array in place.
"""

import numpy as np


def svm_loss_naive(W, X, y, reg):
    """SVM loss and gradient, with explicit loops over the samples and the classes.

    Returns (loss, dW); see the module docstring for the shapes and conventions.
    """
    raise NotImplementedError("svm_loss_naive: write me")


def svm_loss_vectorized(W, X, y, reg):
    """SVM loss and gradient, vectorised: no Python loops.

    Returns (loss, dW), the same values as svm_loss_naive.
    """
    raise NotImplementedError("svm_loss_vectorized: write me")
