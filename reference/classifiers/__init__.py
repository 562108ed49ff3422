"""Reference solutions for the CS231n classifiers: kNN, linear SVM and softmax, the nets."""
