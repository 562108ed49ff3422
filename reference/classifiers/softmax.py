"""Reference solutions for CS231n assignment 1, `cs231n/classifiers/softmax.py`.

Softmax (cross-entropy) loss of a linear classifier, scores = X @ W:
W (D, C) weights; X (N, D) a minibatch; y (N,) labels in [0, C); reg the L2 strength.
Loss = mean over the N samples of -log softmax(scores)_{y_i} + reg * sum(W * W).
Both versions return (loss, dW) with dW of W's shape.
"""

import numpy as np


def softmax_loss_naive(W, X, y, reg):
    """Softmax loss and gradient, with loops over the samples and the classes."""
    dW = np.zeros_like(W)
    num_classes = W.shape[1]
    num_train = X.shape[0]
    loss = 0.0
    for i in range(num_train):
        scores = X[i] @ W
        shifted = scores - np.max(scores)  # for numerical stability
        exp_scores = np.exp(shifted)
        sum_exp = np.sum(exp_scores)
        loss += np.log(sum_exp) - shifted[y[i]]
        for j in range(num_classes):
            prob = exp_scores[j] / sum_exp
            dW[:, j] += (prob - (j == y[i])) * X[i]

    loss /= num_train
    dW /= num_train
    loss += reg * np.sum(W * W)
    dW += 2 * reg * W
    return loss, dW


def softmax_loss_vectorized(W, X, y, reg):
    """Softmax loss and gradient, without loops."""
    num_train = X.shape[0]
    rows = np.arange(num_train)
    scores = X @ W  # (N, C)
    shifted = scores - scores.max(axis=1, keepdims=True)  # for numerical stability
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[rows, y].mean() + reg * np.sum(W * W)

    dscores = np.exp(log_probs)  # the probabilities
    dscores[rows, y] -= 1
    dW = X.T @ dscores / num_train + 2 * reg * W
    return loss, dW
