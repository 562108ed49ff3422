"""Correct assignment-1 classifiers written unlike the reference: einsum and norm distances,
bincount votes, one-hot losses, and assignment 1's older TwoLayerNet with loss(X, y, reg)."""

import numpy as np


class KNearestNeighbor:
    def train(self, X, y):
        self.X_train, self.y_train = X, y

    def compute_distances_two_loops(self, X):
        dists = np.empty((len(X), len(self.X_train)))
        for i, x in enumerate(X):
            for j, t in enumerate(self.X_train):
                dists[i, j] = np.linalg.norm(x - t)
        return dists

    def compute_distances_one_loop(self, X):
        return np.stack([np.linalg.norm(self.X_train - x, axis=1) for x in X])

    def compute_distances_no_loops(self, X):
        squared = (
            np.einsum("id,id->i", X, X)[:, None]
            + np.einsum("jd,jd->j", self.X_train, self.X_train)[None, :]
            - 2 * np.einsum("id,jd->ij", X, self.X_train)
        )
        return np.sqrt(np.clip(squared, 0, None))

    def predict_labels(self, dists, k=1):
        nearest = np.argsort(dists, axis=1, kind="stable")[:, :k]
        return np.array([np.bincount(self.y_train[row]).argmax() for row in nearest])


def svm_loss_vectorized(W, X, y, reg):
    n, classes = X.shape[0], W.shape[1]
    one_hot = np.eye(classes)[y]
    scores = X @ W
    margins = (scores - (scores * one_hot).sum(axis=1, keepdims=True) + 1) * (1 - one_hot)
    active = (margins > 0).astype(float)
    dscores = active - one_hot * active.sum(axis=1, keepdims=True)
    return np.maximum(margins, 0).sum() / n + reg * np.sum(W**2), X.T @ dscores / n + 2 * reg * W


def softmax_loss_vectorized(W, X, y, reg):
    n = X.shape[0]
    scores = X @ W
    log_z = np.logaddexp.reduce(scores, axis=1)
    probs = np.exp(scores - log_z[:, None])
    probs[np.arange(n), y] -= 1
    return (log_z - scores[np.arange(n), y]).mean() + reg * (W**2).sum(), X.T @ probs / n + 2 * reg * W


class TwoLayerNet:
    """neural_net.TwoLayerNet of assignment 1 (2017-2020): reg is given to loss, not to the
    constructor, and the regularisation follows the linear classifiers, reg * sum(W * W)."""

    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {
            "W1": std * np.random.randn(input_size, hidden_size),
            "b1": np.zeros(hidden_size),
            "W2": std * np.random.randn(hidden_size, output_size),
            "b2": np.zeros(output_size),
        }

    def loss(self, X, y=None, reg=0.0):
        W1, b1, W2, b2 = (self.params[name] for name in ("W1", "b1", "W2", "b2"))
        hidden = np.maximum(0, X @ W1 + b1)
        scores = hidden @ W2 + b2
        if y is None:
            return scores
        n = len(X)
        probs = np.exp(scores - scores.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        loss = -np.log(probs[np.arange(n), y]).mean() + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        dscores = probs
        dscores[np.arange(n), y] -= 1
        dscores /= n
        dhidden = (dscores @ W2.T) * (hidden > 0)
        grads = {
            "W2": hidden.T @ dscores + 2 * reg * W2,
            "b2": dscores.sum(axis=0),
            "W1": X.T @ dhidden + 2 * reg * W1,
            "b1": dhidden.sum(axis=0),
        }
        return loss, grads
