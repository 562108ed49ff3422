"""Your k-nearest-neighbour classifier: CS231n assignment 1,
`cs231n/classifiers/k_nearest_neighbor.py`.

`train` and `predict` are given; write the three distance methods and `predict_labels`.
Distances are L2 (Euclidean, with the square root): dists[i, j] = ||X[i] - X_train[j]||.
Inputs are float64; never change an input array in place.
"""

import numpy as np


class KNearestNeighbor:
    """A kNN classifier with L2 distance."""

    def __init__(self):
        pass

    def train(self, X, y):
        """Train the classifier: for kNN this is just memorising the training data.

        Inputs:
        - X: training points, (num_train, D)
        - y: their integer labels, (num_train,); y[i] is the label of X[i]
        """
        self.X_train = X
        self.y_train = y

    def predict(self, X, k=1, num_loops=0):
        """Predict a label for each test point.

        Inputs:
        - X: test points, (num_test, D)
        - k: the number of nearest neighbours that vote for the label
        - num_loops: which distance method to use, 0, 1 or 2 (Python loops)

        Returns y_pred, (num_test,): y_pred[i] is the predicted label of X[i].
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
        """L2 distance between each test point and each training point, with a nested
        loop over the test points and the training points.

        Input: X, test points, (num_test, D).
        Returns dists, (num_test, num_train): dists[i, j] = ||X[i] - X_train[j]||.
        """
        raise NotImplementedError("KNearestNeighbor.compute_distances_two_loops: write me")

    def compute_distances_one_loop(self, X):
        """The same distances as compute_distances_two_loops, with exactly one Python
        loop, over the test points.

        Input: X, test points, (num_test, D).
        Returns dists, (num_test, num_train).
        """
        raise NotImplementedError("KNearestNeighbor.compute_distances_one_loop: write me")

    def compute_distances_no_loops(self, X):
        """The same distances as compute_distances_two_loops, with no Python loop or
        comprehension at all: basic NumPy operations on whole arrays only (not scipy,
        np.linalg.norm or np.vectorize).

        Input: X, test points, (num_test, D).
        Returns dists, (num_test, num_train), with no NaN, also where a test point equals a
        training point (the distance is then 0).
        """
        raise NotImplementedError("KNearestNeighbor.compute_distances_no_loops: write me")

    def predict_labels(self, dists, k=1):
        """Predict a label for each test point from its distances to the training points.

        Input:
        - dists: (num_test, num_train); dists[i, j] is the distance between the i-th test
          point and the j-th training point
        - k: the number of nearest neighbours that vote

        Returns y_pred, (num_test,): the most common label among the k training points
        nearest to each test point. Conventions:
        - equally distant training points are taken in their training order (use a stable
          sort, np.argsort(..., kind="stable"));
        - a tie between labels (several labels with the most votes) goes to the SMALLER label.
        """
        raise NotImplementedError("KNearestNeighbor.predict_labels: write me")
