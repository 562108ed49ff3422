"""Reference solution for CS231n assignment 1, `cs231n/classifiers/k_nearest_neighbor.py`.

A k-nearest-neighbour classifier with the L2 (Euclidean) distance. The three distance
methods compute the same matrix, dists[i, j] = ||X[i] - X_train[j]||, with two, one and
no Python loops.
"""

import numpy as np


class KNearestNeighbor:
    """A kNN classifier with L2 distance."""

    def __init__(self):
        pass

    def train(self, X, y):
        """Training is memorising the data.

        X: (num_train, D) training points; y: (num_train,) their integer labels.
        """
        self.X_train = X
        self.y_train = y

    def predict(self, X, k=1, num_loops=0):
        """Predict a label for each test point.

        X: (num_test, D); k: the number of neighbours that vote; num_loops: 0, 1 or 2,
        which distance method to use. Returns y_pred (num_test,).
        """
        if num_loops == 0:
            dists = self.compute_distances_no_loops(X)
        elif num_loops == 1:
            dists = self.compute_distances_one_loop(X)
        elif num_loops == 2:
            dists = self.compute_distances_two_loops(X)
        else:
            raise ValueError(f"Invalid value {num_loops} for num_loops")
        return self.predict_labels(dists, k=k)

    def compute_distances_two_loops(self, X):
        """X: (num_test, D). Returns dists (num_test, num_train), one entry at a time."""
        num_test = X.shape[0]
        num_train = self.X_train.shape[0]
        dists = np.zeros((num_test, num_train))
        for i in range(num_test):
            for j in range(num_train):
                diff = X[i] - self.X_train[j]
                dists[i, j] = np.sqrt(np.sum(diff**2))
        return dists

    def compute_distances_one_loop(self, X):
        """X: (num_test, D). Returns dists (num_test, num_train), one test row at a time."""
        num_test = X.shape[0]
        num_train = self.X_train.shape[0]
        dists = np.zeros((num_test, num_train))
        for i in range(num_test):
            diff = self.X_train - X[i]  # (num_train, D), X[i] broadcast over the rows
            dists[i, :] = np.sqrt(np.sum(diff**2, axis=1))
        return dists

    def compute_distances_no_loops(self, X):
        """X: (num_test, D). Returns dists (num_test, num_train) with no Python loop.

        ||x - t||^2 = ||x||^2 + ||t||^2 - 2 x.t, all pairs at once.
        """
        test_sq = np.sum(X**2, axis=1, keepdims=True)  # (num_test, 1)
        train_sq = np.sum(self.X_train**2, axis=1)  # (num_train,)
        cross = X @ self.X_train.T  # (num_test, num_train)
        sq_dists = test_sq + train_sq - 2 * cross
        sq_dists = np.maximum(sq_dists, 0)  # rounding can make a zero distance slightly negative
        dists = np.sqrt(sq_dists)
        return dists

    def predict_labels(self, dists, k=1):
        """dists: (num_test, num_train). Returns y_pred (num_test,).

        Each test point gets the most common label among its k nearest training points
        (a stable sort, so equally distant points keep their training order); a tie
        between labels goes to the smaller label.
        """
        num_test = dists.shape[0]
        y_pred = np.zeros(num_test, dtype=self.y_train.dtype)
        for i in range(num_test):
            nearest = np.argsort(dists[i], kind="stable")[:k]
            closest_y = self.y_train[nearest]
            labels, counts = np.unique(closest_y, return_counts=True)  # labels sorted ascending
            y_pred[i] = labels[np.argmax(counts)]  # argmax takes the first, smallest, of a tie
        return y_pred
