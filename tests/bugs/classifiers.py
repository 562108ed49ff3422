"""Bugs in assignment 1's classifiers: kNN, the linear SVM and softmax."""

from .bug import Bug

KNN = "reference.classifiers.k_nearest_neighbor"
SVM = "reference.classifiers.linear_svm"
SOFTMAX = "reference.classifiers.softmax"

BUGS = [
    Bug(
        "KNearestNeighbor.compute_distances_two_loops",
        "forgets the square root",
        "dists[i, j] = np.sqrt(np.sum(diff**2))",
        "dists[i, j] = np.sum(diff**2)",
        KNN,
    ),
    Bug(
        "KNearestNeighbor.compute_distances_two_loops",
        "L1 instead of L2",
        "dists[i, j] = np.sqrt(np.sum(diff**2))",
        "dists[i, j] = np.sum(np.abs(diff))",
        KNN,
    ),
    Bug(
        "KNearestNeighbor.compute_distances_one_loop",
        "sums over the wrong axis",
        "dists[i, :] = np.sqrt(np.sum(diff**2, axis=1))",
        "dists[i, :] = np.sqrt(np.sum(diff**2, axis=0)).sum()",
        KNN,
    ),
    Bug(
        "KNearestNeighbor.compute_distances_no_loops",
        "adds the cross term instead of subtracting it",
        "sq_dists = test_sq + train_sq - 2 * cross",
        "sq_dists = test_sq + train_sq + 2 * cross",
        KNN,
    ),
    Bug(
        "KNearestNeighbor.compute_distances_no_loops",
        "does not clip: a zero distance can round negative, and its sqrt is NaN",
        "        sq_dists = np.maximum(sq_dists, 0)  # rounding can make a zero distance slightly negative\n",
        "",
        KNN,
    ),
    Bug(
        "KNearestNeighbor.compute_distances_no_loops",
        "a loop over the test points",
        "cross = X @ self.X_train.T",
        "cross = np.array([x @ self.X_train.T for x in X])",
        KNN,
    ),
    Bug(
        "KNearestNeighbor.predict_labels",
        "votes among the k farthest",
        'nearest = np.argsort(dists[i], kind="stable")[:k]',
        'nearest = np.argsort(dists[i], kind="stable")[-k:]',
        KNN,
    ),
    Bug(
        "KNearestNeighbor.predict_labels",
        "a tie goes to the larger label",
        "y_pred[i] = labels[np.argmax(counts)]",
        "y_pred[i] = labels[len(counts) - 1 - np.argmax(counts[::-1])]",
        KNN,
    ),
    Bug("svm_loss_naive", "forgets the correct class's gradient", "                dW[:, y[i]] -= X[i]\n", "", SVM),
    Bug("svm_loss_naive", "does not average dW", "    dW /= num_train\n", "", SVM),
    Bug("svm_loss_naive", "regularisation gradient off by 2", "dW += 2 * reg * W", "dW += reg * W", SVM),
    Bug("svm_loss_vectorized", "counts the correct class's margin", "    margins[rows, y] = 0\n", "", SVM),
    Bug(
        "svm_loss_vectorized",
        "half the regularisation loss (2016's convention)",
        "loss = margins.sum() / num_train + reg * np.sum(W * W)",
        "loss = margins.sum() / num_train + 0.5 * reg * np.sum(W * W)",
        SVM,
    ),
    Bug(
        "softmax_loss_naive",
        "forgets the correct class's -1",
        "dW[:, j] += (prob - (j == y[i])) * X[i]",
        "dW[:, j] += prob * X[i]",
        SOFTMAX,
    ),
    Bug("softmax_loss_naive", "does not average the loss", "    loss /= num_train\n", "", SOFTMAX),
    Bug(
        "softmax_loss_vectorized",
        "regularises without W squared in the gradient",
        "dW = X.T @ dscores / num_train + 2 * reg * W",
        "dW = X.T @ dscores / num_train + 2 * reg",
        SOFTMAX,
    ),
    Bug(
        "softmax_loss_vectorized",
        "does not average dW",
        "dW = X.T @ dscores / num_train + 2 * reg * W",
        "dW = X.T @ dscores + 2 * reg * W",
        SOFTMAX,
    ),
]
