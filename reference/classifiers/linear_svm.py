"""Reference solutions for CS231n assignment 1, `cs231n/classifiers/linear_svm.py`.

Structured SVM loss of a linear classifier, scores = X @ W:
W (D, C) weights; X (N, D) a minibatch; y (N,) labels in [0, C); reg the L2 strength.
Loss = mean over the N samples of sum_{j != y_i} max(0, s_j - s_{y_i} + 1) + reg * sum(W * W).
Both versions return (loss, dW) with dW of W's shape.
"""

import numpy as np


def svm_loss_naive(W, X, y, reg):
    """SVM loss and gradient, with loops over the samples and the classes."""
    dW = np.zeros_like(W)
    num_classes = W.shape[1]
    num_train = X.shape[0]
    loss = 0.0
    for i in range(num_train):
        scores = X[i] @ W
        correct_class_score = scores[y[i]]
        for j in range(num_classes):
            if j == y[i]:
                continue
            margin = scores[j] - correct_class_score + 1
            if margin > 0:
                loss += margin
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]

    loss /= num_train
    dW /= num_train
    loss += reg * np.sum(W * W)
    dW += 2 * reg * W
    return loss, dW


def svm_loss_vectorized(W, X, y, reg):
    """SVM loss and gradient, without loops."""
    num_train = X.shape[0]
    rows = np.arange(num_train)
    scores = X @ W  # (N, C)
    correct_scores = scores[rows, y][:, np.newaxis]  # (N, 1)
    margins = np.maximum(0, scores - correct_scores + 1.0)
    margins[rows, y] = 0
    loss = margins.sum() / num_train + reg * np.sum(W * W)

    dscores = (margins > 0).astype(W.dtype)
    dscores[rows, y] = -dscores.sum(axis=1)  # the correct score is subtracted once per violation
    dW = X.T @ dscores / num_train + 2 * reg * W
    return loss, dW
