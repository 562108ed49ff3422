"""Your classifiers: kNN, linear SVM and softmax (assignment 1), the nets (assignment 2)."""
