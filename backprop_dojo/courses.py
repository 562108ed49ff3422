"""What each CS231n course year decided, in one table: its conventions, which assignment each
exercise belongs to, and the shape of its assignment 1. Light on purpose (no torch): the
command-line options read it.

    >>> course(2017).conventions["adam-t"]
    '1'
    >>> course(2025).assignments["FullyConnectedNet.loss"], course(2025).plain_fully_connected_net
    ('assignment1', True)

Checked on the course's assignment pages (cs231n.github.io/assignments/YEAR) and public
learner folders of 2017, 2021 and 2025. Best knowledge, not checked against an official
starter: the 2016 and 2018-2025 starters' Adam start t at 0; 2025 has no linear SVM (its
assignment-1 page lists kNN, a fully connected net, softmax, a two-layer net and features,
and the 2025 folders seen have no linear_svm.py); assignment 2 of 2016-2020 also has
fc_net.TwoLayerNet beside assignment 1's neural_net.TwoLayerNet.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Course:
    year: int
    conventions: dict[str, str]  # the choice of every convention in conventions.CONVENTIONS
    # exercise name -> the assignment where that year's learner first writes it; an exercise
    # missing here is not in that year's course
    assignments: dict[str, str]
    two_layer_net: str  # the module of assignment 1's TwoLayerNet
    plain_fully_connected_net: bool  # assignment 1 has FullyConnectedNet, without normalization or dropout
    in_pytorch: frozenset[str]  # exercises the year's starter has written with torch tensors, forward only


KNN = tuple(f"KNearestNeighbor.{method}" for method in (
    "compute_distances_two_loops", "compute_distances_one_loop", "compute_distances_no_loops", "predict_labels"))
LINEAR_CLASSIFIERS = ("svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive", "softmax_loss_vectorized")
LAYERS = ("affine_forward", "affine_backward", "relu_forward", "relu_backward", "softmax_loss", "svm_loss")
OPTIMIZERS = ("sgd", "sgd_momentum", "rmsprop", "adam")
ASSIGNMENT_2 = (
    "batchnorm_forward", "batchnorm_backward", "batchnorm_backward_alt", "dropout_forward", "dropout_backward",
    "conv_forward_naive", "conv_backward_naive", "max_pool_forward_naive", "max_pool_backward_naive",
    "spatial_batchnorm_forward", "spatial_batchnorm_backward", "ThreeLayerConvNet.loss",
)
NORMALIZATIONS = ("layernorm_forward", "layernorm_backward", "spatial_groupnorm_forward", "spatial_groupnorm_backward")
RECURRENT_FORWARD = (
    "rnn_step_forward", "rnn_forward", "word_embedding_forward", "lstm_step_forward", "lstm_forward",
    "temporal_affine_forward", "temporal_softmax_loss", "CaptioningRNN.loss",
)
RECURRENT_BACKWARD = (
    "rnn_step_backward", "rnn_backward", "word_embedding_backward", "lstm_step_backward", "lstm_backward",
    "temporal_affine_backward",
)


def _course(year: int) -> Course:
    fc_in_1 = year >= 2021  # assignment 1 builds TwoLayerNet from layers.py's affine and relu
    modern = year >= 2025  # fully connected nets and optimizers in assignment 1, recurrent nets in 2, in PyTorch
    assignments = dict.fromkeys(KNN + LINEAR_CLASSIFIERS + ("TwoLayerNet.loss",), "assignment1")
    if modern:
        del assignments["svm_loss_naive"], assignments["svm_loss_vectorized"]
    assignments |= dict.fromkeys(LAYERS, "assignment1" if fc_in_1 else "assignment2")
    assignments |= dict.fromkeys(OPTIMIZERS + ("FullyConnectedNet.loss",), "assignment1" if modern else "assignment2")
    assignments |= dict.fromkeys(ASSIGNMENT_2 + (NORMALIZATIONS if year >= 2018 else ()), "assignment2")
    assignments |= dict.fromkeys(RECURRENT_FORWARD + (() if modern else RECURRENT_BACKWARD),
                                 "assignment2" if modern else "assignment3")
    return Course(
        year,
        conventions={
            "dropout-p": "drop" if year <= 2017 else "keep",
            "linear-reg": "half" if year <= 2016 else "full",
            "adam-t": "1" if year == 2017 else "0",  # the 2017 starter has config.setdefault('t', 1)
        },
        assignments=assignments,
        two_layer_net="classifiers/fc_net.py" if fc_in_1 else "classifiers/neural_net.py",
        plain_fully_connected_net=modern,
        in_pytorch=frozenset(RECURRENT_FORWARD if modern else ()),  # rnn_layers_pytorch.py, rnn_pytorch.py
    )


COURSES: dict[int, Course] = {year: _course(year) for year in range(2016, 2026)}


def course(year: int) -> Course:
    """The course of that year; a ValueError names the known years."""
    if year not in COURSES:
        raise ValueError(f"no CS231n course year {year}; known: {min(COURSES)}-{max(COURSES)}")
    return COURSES[year]
