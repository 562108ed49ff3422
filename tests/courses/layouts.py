"""Reconstructions of CS231n assignment folders, year by year, with the verdict every
registered exercise must get in each.

`build(year_key, root)` writes the folders of one YEARS key under `root` and returns their
Reconstructions. Learner code is reference/ rewritten as a learner fills the year's starter
in (sources.module), with bugs from tests/bugs and side effects applied as one-text edits;
starter stubs are generated in the year's banner style; the course's own files (helpers.py,
the course-written optim.py of assignment 3, the given losses) are written here.

The expectations follow the issue's rules:
- correct code, in any valid form, passes; the course's efficient Adam and RMSProp with eps
  inside the sqrt too; the 2016 half reg and drop-p dropout pass under --course-year 2016;
- right values with a side effect (an input changed in place, a (1, D) db) are "warned";
- a one-edit bug fails; `is "rnn"` fails; a function in a module that cannot be imported fails;
- a backward whose forward fails, or that calls a failing backward, is "not checked";
- a starter stub, an absent exercise, or one only in a *_pytorch.py module is "not implemented".
A folder never mixes in an ambiguous case: a net is a stub wherever one of its layers fails.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from backprop_dojo.exercises import EXERCISES
from tests.bugs import BUGS

from . import helpers
from .sources import banner, line_of, module, python2, reference_source

STATUSES = ("passed", "warned", "failed", "not implemented", "not checked")


@dataclass
class Reconstruction:
    name: str  # "2017/assignment2"
    folder: Path  # the assignment folder, holding cs231n/
    year: int  # its --course-year
    expected: dict[str, str]  # every registered exercise's verdict
    messages: dict[str, tuple[str, ...]] = field(default_factory=dict)  # words a verdict's message must hold

    def __str__(self) -> str:
        return self.name

    def counts(self) -> dict[str, int]:
        return {status: n for status in STATUSES if (n := list(self.expected.values()).count(status))}


# --------------------------------------------------------------------------------------
# Exercise groups and expectations
# --------------------------------------------------------------------------------------

KNN = tuple(f"KNearestNeighbor.{m}" for m in (
    "compute_distances_two_loops", "compute_distances_one_loop", "compute_distances_no_loops", "predict_labels"))
LINEAR = ("svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive", "softmax_loss_vectorized")
BASIC = ("affine_forward", "affine_backward", "relu_forward", "relu_backward", "softmax_loss", "svm_loss")
BATCHNORM = ("batchnorm_forward", "batchnorm_backward", "batchnorm_backward_alt")
LAYERNORM = ("layernorm_forward", "layernorm_backward")
DROPOUT = ("dropout_forward", "dropout_backward")
CONV = ("conv_forward_naive", "conv_backward_naive", "max_pool_forward_naive", "max_pool_backward_naive")
SPATIAL_BN = ("spatial_batchnorm_forward", "spatial_batchnorm_backward")
GROUPNORM = ("spatial_groupnorm_forward", "spatial_groupnorm_backward")
NETS = ("TwoLayerNet.loss", "FullyConnectedNet.loss", "ThreeLayerConvNet.loss")
OPTIM = ("sgd", "sgd_momentum", "rmsprop", "adam")
RNN = ("rnn_step_forward", "rnn_step_backward", "rnn_forward", "rnn_backward", "word_embedding_forward", "word_embedding_backward")
LSTM = ("lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward")
TEMPORAL = ("temporal_affine_forward", "temporal_affine_backward", "temporal_softmax_loss")
A2_LAYERS = BASIC + BATCHNORM + LAYERNORM + DROPOUT + CONV + SPATIAL_BN + GROUPNORM
A2_ONLY = BATCHNORM + LAYERNORM + DROPOUT + CONV + SPATIAL_BN + GROUPNORM  # the stubs assignment 1 carries from 2022


def expect(passed=(), warned=(), failed=(), not_checked=()) -> dict[str, str]:
    """Every registered exercise's verdict: the ones named, "not implemented" for the rest."""
    expected = dict.fromkeys(EXERCISES, "not implemented")
    for status, names in (("passed", passed), ("warned", warned), ("failed", failed), ("not checked", not_checked)):
        for name in names:
            assert name in EXERCISES, name
            expected[name] = status
    return expected


def minus(group, *names) -> tuple[str, ...]:
    return tuple(name for name in group if name not in names)


def bug(exercise: str, mistake: str) -> tuple[str, str]:
    """The edit of a catalogued bug (tests/bugs), to apply to a learner's module."""
    (found,) = [b for b in BUGS if b.exercise == exercise and b.mistake == mistake]
    return found.old, found.new


def write(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def package(files: dict[str, str | bytes], prefix: str = "cs231n/") -> dict[str, str | bytes]:
    return {prefix + name: text for name, text in files.items()}


# --------------------------------------------------------------------------------------
# Edits: conventions of older years, side effects, learner slips
# --------------------------------------------------------------------------------------

HALF_REG_SVM = [  # 2016: 0.5 * reg * sum(W * W), gradient reg * W
    ("loss += reg * np.sum(W * W)\n    dW += 2 * reg * W", "loss += 0.5 * reg * np.sum(W * W)\n    dW += reg * W"),
    ("loss = margins.sum() / num_train + reg * np.sum(W * W)", "loss = margins.sum() / num_train + 0.5 * reg * np.sum(W * W)"),
    ("dW = X.T @ dscores / num_train + 2 * reg * W", "dW = X.T.dot(dscores) / num_train + reg * W"),
]
HALF_REG_SOFTMAX = [
    ("loss += reg * np.sum(W * W)\n    dW += 2 * reg * W", "loss += 0.5 * reg * np.sum(W * W)\n    dW += reg * W"),
    ("loss = -log_probs[rows, y].mean() + reg * np.sum(W * W)", "loss = -log_probs[rows, y].mean() + 0.5 * reg * np.sum(W * W)"),
]
DROP_P = [  # 2016-2017: p is the probability of dropping a unit
    ("mask = (np.random.rand(*x.shape) < p) / p", "mask = (np.random.rand(*x.shape) >= p) / (1 - p)"),
]
FCNET_2017 = [  # FullyConnectedNet(..., dropout=0, use_batchnorm=False, ...): dropout a drop probability
    ("dropout_keep_ratio=1,\n        normalization=None,", "dropout=0,\n        use_batchnorm=False,"),
    ("self.normalization = normalization\n        self.use_dropout = dropout_keep_ratio != 1",
     'self.normalization = "batchnorm" if use_batchnorm else None\n        self.use_dropout = dropout > 0'),
    ('"p": dropout_keep_ratio}', '"p": dropout}'),
]
FCNET_2018 = [  # FullyConnectedNet(..., dropout=1, normalization=None, ...): dropout a keep probability
    ("dropout_keep_ratio=1,", "dropout=1,"),
    ("self.use_dropout = dropout_keep_ratio != 1", "self.use_dropout = dropout != 1"),
    ('"p": dropout_keep_ratio}', '"p": dropout}'),
]
FCNET_PLAIN = [  # 2025 assignment 1: no normalization, no dropout
    ("dropout_keep_ratio=1,\n        normalization=None,\n", ""),
    ("self.normalization = normalization\n        self.use_dropout = dropout_keep_ratio != 1",
     "self.normalization = None\n        self.use_dropout = False"),
    ('"p": dropout_keep_ratio}', '"p": 1.0}'),
]
SCALAR_ZERO_BIAS = [('self.params["b1"] = np.zeros(hidden_dim)', 'self.params["b1"] = 0')]
# Right values, an input changed in place.
RELU_BACKWARD_IN_PLACE = [("dx = dout * (x > 0)", "dx = dout\n    dx[x < 0] = 0")]
SOFTMAX_IN_PLACE = [(
    "shifted = x - x.max(axis=1, keepdims=True)  # for numerical stability",
    "logits = x\n    logits -= np.max(logits, axis=1, keepdims=True)\n    shifted = logits",
)]
LSTM_IN_PLACE = [(
    "dc = dnext_c + dnext_h * o * (1 - tanh_c**2)",
    "dnext_c += dnext_h * o * (1 - tanh_c**2)\n    dc = dnext_c",
)]
DB_KEEPDIMS = [("    db = dout.sum(axis=0)\n", "    db = np.sum(dout, axis=0, keepdims=True)\n")]
# A slip not in the catalogue: a leaky relu where relu was asked for.
RELU_LEAKY = [("out = np.maximum(0, x)\n", "out = np.maximum(0.01 * x, x)\n")]
SPATIAL_BN_ON_ALT = [("batchnorm_backward(dout_rows, cache)", "batchnorm_backward_alt(dout_rows, cache)")]
IS_RNN = [
    ('if self.cell_type == "rnn":\n            h, cell_cache', 'if self.cell_type is "rnn":\n            h, cell_cache'),
    ('if self.cell_type == "rnn":\n            dx, dh0', 'if self.cell_type is "rnn":\n            dx, dh0'),
]
RMSPROP_EPS_INSIDE = [(
    'next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])',
    'next_w = w - config["learning_rate"] * dw / np.sqrt(cache + config["epsilon"])',
)]
COURSE_SGD = [(  # the starter's own sgd, in place
    'next_w = w - config["learning_rate"] * dw\n    return next_w, config',
    'w -= config["learning_rate"] * dw\n    return w, config',
)]


# --------------------------------------------------------------------------------------
# Modules written here: the course's, and learners' of a shape reference/ does not have
# --------------------------------------------------------------------------------------


def course_optim_a3(year: int) -> str:
    """Assignment 3's optim.py, written by the course: its adam is Kingma & Ba's efficient
    form (the step size carries the bias corrections), updating x in place."""
    return textwrap.dedent('''\
        import numpy as np

        """
        This file implements various first-order update rules that are commonly used for
        training neural networks. Each update rule accepts current weights and the
        gradient of the loss with respect to those weights and produces the next set of
        weights: def update(w, dw, config=None) -> next_w, config.
        """


        def sgd(w, dw, config=None):
            """Vanilla stochastic gradient descent. config: learning_rate."""
            if config is None:
                config = {}
            config.setdefault("learning_rate", 1e-2)

            w -= config["learning_rate"] * dw
            return w, config


        def sgd_momentum(w, dw, config=None):
            """SGD with momentum. config: learning_rate, momentum, velocity."""
            if config is None:
                config = {}
            config.setdefault("learning_rate", 1e-2)
            config.setdefault("momentum", 0.9)
            v = config.get("velocity", np.zeros_like(w))

            v = config["momentum"] * v - config["learning_rate"] * dw
            next_w = w + v
            config["velocity"] = v
            return next_w, config


        def rmsprop(x, dx, config=None):
            """RMSProp. config: learning_rate, decay_rate, epsilon, cache."""
            if config is None:
                config = {}
            config.setdefault("learning_rate", 1e-2)
            config.setdefault("decay_rate", 0.99)
            config.setdefault("epsilon", 1e-8)
            config.setdefault("cache", np.zeros_like(x))

            cache = config["cache"]
            decay_rate, learning_rate, epsilon = config["decay_rate"], config["learning_rate"], config["epsilon"]
            cache = decay_rate * cache + (1 - decay_rate) * dx**2
            next_x = x - learning_rate * dx / (np.sqrt(cache) + epsilon)
            config["cache"] = cache
            return next_x, config


        def adam(x, dx, config=None):
            """Adam. config: learning_rate, beta1, beta2, epsilon, m, v, t."""
            if config is None:
                config = {}
            config.setdefault("learning_rate", 1e-3)
            config.setdefault("beta1", 0.9)
            config.setdefault("beta2", 0.999)
            config.setdefault("epsilon", 1e-8)
            config.setdefault("m", np.zeros_like(x))
            config.setdefault("v", np.zeros_like(x))
            config.setdefault("t", 0)

            next_x = None
            beta1, beta2, eps = config["beta1"], config["beta2"], config["epsilon"]
            t, m, v = config["t"], config["m"], config["v"]
            m = beta1 * m + (1 - beta1) * dx
            v = beta2 * v + (1 - beta2) * (dx * dx)
            t += 1
            alpha = config["learning_rate"] * np.sqrt(1 - beta2**t) / (1 - beta1**t)
            x -= alpha * (m / (np.sqrt(v) + eps))
            config["t"] = t
            config["m"] = m
            config["v"] = v
            next_x = x

            return next_x, config
        ''')


def course_layers_a3() -> str:
    """Assignment 3's layers.py: the course's own affine, relu and losses."""
    return module(reference_source("layers"), 2017, keep=set(BASIC), learner_style=False)


ADAM_2017 = '''

def adam(w, dw, config=None):
    """
    Uses the Adam update rule, which incorporates moving averages of both the
    gradient and its square and a bias correction term.

    config format:
    - learning_rate: Scalar learning rate.
    - beta1: Decay rate for moving average of first moment of gradient.
    - beta2: Decay rate for moving average of second moment of gradient.
    - epsilon: Small scalar used for smoothing to avoid dividing by zero.
    - m: Moving average of gradient.
    - v: Moving average of squared gradient.
    - t: Iteration number.
    """
    if config is None: config = {}
    config.setdefault('learning_rate', 1e-3)
    config.setdefault('beta1', 0.9)
    config.setdefault('beta2', 0.999)
    config.setdefault('epsilon', 1e-8)
    config.setdefault('m', np.zeros_like(w))
    config.setdefault('v', np.zeros_like(w))
    config.setdefault('t', 1)

    next_w = None
    #############################################################################
    # TODO: Implement the Adam update formula, storing the next value of w in   #
    # the next_w variable. Don't forget to update the m, v, and t variables     #
    # stored in config.                                                         #
    #############################################################################
    config['t'] += 1
    t = config['t']
    config['m'] = config['beta1'] * config['m'] + (1 - config['beta1']) * dw
    config['v'] = config['beta2'] * config['v'] + (1 - config['beta2']) * dw ** 2
    mb = config['m'] / (1 - config['beta1'] ** t)
    vb = config['v'] / (1 - config['beta2'] ** t)
    next_w = w - config['learning_rate'] * mb / (np.sqrt(vb) + config['epsilon'])
    #############################################################################
    #                             END OF YOUR CODE                              #
    #############################################################################

    return next_w, config
'''


def neural_net(year: int, stub: bool = False) -> str:
    """Assignment 1's classifiers/neural_net.py (2016-2020): TwoLayerNet(input_size,
    hidden_size, output_size, std) with loss(X, y, reg); its reg follows the linear
    classifiers (0.5 * reg in 2016, reg from 2017)."""
    half = year <= 2016
    loss_reg = "0.5 * reg" if half else "reg"
    grad_reg = "reg" if half else "2 * reg"
    head = "from __future__ import print_function\n\nfrom builtins import range\nfrom builtins import object\n" if year > 2016 else ""
    if stub:
        todo = textwrap.indent(banner(year), " " * 8)
        forward = f"        scores = None\n{todo}\n        if y is None:\n            return scores\n\n        loss = None\n{todo}\n\n        grads = {{}}\n{todo}\n\n        return loss, grads\n"
    else:
        forward = textwrap.dedent(f'''\
            hidden = np.maximum(0, X.dot(W1) + b1)
            scores = hidden.dot(W2) + b2
            if y is None:
                return scores

            shifted = scores - np.max(scores, axis=1, keepdims=True)
            probs = np.exp(shifted)
            probs /= np.sum(probs, axis=1, keepdims=True)
            loss = -np.sum(np.log(probs[np.arange(N), y])) / N
            loss += {loss_reg} * (np.sum(W1 * W1) + np.sum(W2 * W2))

            grads = {{}}
            dscores = probs.copy()
            dscores[np.arange(N), y] -= 1
            dscores /= N
            grads["W2"] = hidden.T.dot(dscores) + {grad_reg} * W2
            grads["b2"] = np.sum(dscores, axis=0)
            dhidden = dscores.dot(W2.T)
            dhidden[hidden <= 0] = 0
            grads["W1"] = X.T.dot(dhidden) + {grad_reg} * W1
            grads["b1"] = np.sum(dhidden, axis=0)
            return loss, grads
            ''')
        forward = textwrap.indent(forward, " " * 8)
    return head + f'''import numpy as np


class TwoLayerNet(object):
    """
    A two-layer fully-connected neural network. The net has an input dimension of
    N, a hidden layer dimension of H, and performs classification over C classes.
    input - fully connected layer - ReLU - fully connected layer - softmax
    """

    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {{}}
        self.params["W1"] = std * np.random.randn(input_size, hidden_size)
        self.params["b1"] = np.zeros(hidden_size)
        self.params["W2"] = std * np.random.randn(hidden_size, output_size)
        self.params["b2"] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        """Loss and gradients; scores if y is None."""
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        N, D = X.shape

{forward}
    def predict(self, X):
        return np.argmax(self.loss(X), axis=1)
'''


LINEAR_CLASSIFIER = '''from __future__ import print_function

from builtins import range
from builtins import object
import numpy as np
from cs231n.classifiers.linear_svm import *
from cs231n.classifiers.softmax import *
from past.builtins import xrange


class LinearClassifier(object):
    def __init__(self):
        self.W = None

    def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, verbose=False):
        num_train, dim = X.shape
        num_classes = np.max(y) + 1
        if self.W is None:
            self.W = 0.001 * np.random.randn(dim, num_classes)
        loss_history = []
        for it in xrange(num_iters):
            idx = np.random.choice(num_train, batch_size)
            loss, grad = self.loss(X[idx], y[idx], reg)
            loss_history.append(loss)
            self.W -= learning_rate * grad
            if verbose and it % 100 == 0:
                print("iteration %d / %d: loss %f" % (it, num_iters, loss))
        return loss_history

    def predict(self, X):
        return np.argmax(X.dot(self.W), axis=1)

    def loss(self, X_batch, y_batch, reg):
        pass


class LinearSVM(LinearClassifier):
    """ A subclass that uses the Multiclass SVM loss function """

    def loss(self, X_batch, y_batch, reg):
        return svm_loss_vectorized(self.W, X_batch, y_batch, reg)


class Softmax(LinearClassifier):
    """ A subclass that uses the Softmax + Cross-entropy loss function """

    def loss(self, X_batch, y_batch, reg):
        return softmax_loss_vectorized(self.W, X_batch, y_batch, reg)
'''


RNN_LAYERS_PYTORCH = '''"""This file defines layer types that are commonly used for recurrent neural networks,
written with PyTorch tensors (forward passes only: autograd computes the backward)."""

import torch


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = torch.tanh(x @ Wx + prev_h @ Wh + b)
    return next_h


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    hs, prev_h = [], h0
    for t in range(T):
        prev_h = rnn_step_forward(x[:, t], prev_h, Wx, Wh, b)
        hs.append(prev_h)
    return torch.stack(hs, dim=1)


def word_embedding_forward(x, W):
    return W[x]


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    a = x @ Wx + prev_h @ Wh + b
    i, f, o, g = a.chunk(4, dim=1)
    next_c = torch.sigmoid(f) * prev_c + torch.sigmoid(i) * torch.tanh(g)
    next_h = torch.sigmoid(o) * torch.tanh(next_c)
    return next_h, next_c


def lstm_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    hs, prev_h, prev_c = [], h0, torch.zeros_like(h0)
    for t in range(T):
        prev_h, prev_c = lstm_step_forward(x[:, t], prev_h, prev_c, Wx, Wh, b)
        hs.append(prev_h)
    return torch.stack(hs, dim=1)


def temporal_affine_forward(x, w, b):
    return x @ w + b


def temporal_softmax_loss(x, y, mask, verbose=False):
    N, T, V = x.shape
    losses = torch.nn.functional.cross_entropy(x.reshape(N * T, V), y.reshape(N * T), reduction="none")
    return (losses * mask.reshape(N * T)).sum() / N
'''


RNN_PYTORCH = '''import numpy as np
import torch

from ..rnn_layers_pytorch import *


class CaptioningRNN:
    """A CaptioningRNN on PyTorch tensors: loss is the forward pass; autograd does the rest."""

    def __init__(self, word_to_idx, input_dim=512, wordvec_dim=128, hidden_dim=128, cell_type="rnn", dtype=torch.float32):
        self.cell_type = cell_type
        self.word_to_idx = word_to_idx
        self._null = word_to_idx["<NULL>"]
        vocab_size = len(word_to_idx)
        dim_mul = {"lstm": 4, "rnn": 1}[cell_type]
        self.params = {
            "W_embed": torch.randn(vocab_size, wordvec_dim, dtype=dtype) / 100,
            "W_proj": torch.randn(input_dim, hidden_dim, dtype=dtype) / np.sqrt(input_dim),
            "b_proj": torch.zeros(hidden_dim, dtype=dtype),
            "Wx": torch.randn(wordvec_dim, dim_mul * hidden_dim, dtype=dtype) / np.sqrt(wordvec_dim),
            "Wh": torch.randn(hidden_dim, dim_mul * hidden_dim, dtype=dtype) / np.sqrt(hidden_dim),
            "b": torch.zeros(dim_mul * hidden_dim, dtype=dtype),
            "W_vocab": torch.randn(hidden_dim, vocab_size, dtype=dtype) / np.sqrt(hidden_dim),
            "b_vocab": torch.zeros(vocab_size, dtype=dtype),
        }

    def loss(self, features, captions):
        captions_in, captions_out = captions[:, :-1], captions[:, 1:]
        mask = captions_out != self._null
        h0 = features @ self.params["W_proj"] + self.params["b_proj"]
        x = word_embedding_forward(captions_in, self.params["W_embed"])
        forward = rnn_forward if self.cell_type == "rnn" else lstm_forward
        h = forward(x, h0, self.params["Wx"], self.params["Wh"], self.params["b"])
        scores = temporal_affine_forward(h, self.params["W_vocab"], self.params["b_vocab"])
        return temporal_softmax_loss(scores, captions_out, mask)
'''

PYD = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 8  # a Windows DLL's start, and noise


def optim(year: int, stubs=(), edits=(), drop=()) -> str:
    """The year's optim.py: sgd as the starter gives it, the other rules the learner's."""
    return module(reference_source("optim"), year, stubs=stubs, drop=drop, edits=COURSE_SGD + list(edits), given=("sgd",))


def layers(year: int, stubs=(), drop=(), edits=()) -> str:
    """The learner's layers.py; the losses are the course's until 2018 (given in the starter)."""
    given = ("softmax_loss", "svm_loss") if year <= 2018 else ()
    return module(reference_source("layers"), year, stubs=stubs, drop=drop, edits=edits, given=given)


def rnn_layers(year: int, stubs=(), edits=()) -> str:
    """The learner's rnn_layers.py; the temporal layers and loss come with the starter."""
    return module(reference_source("rnn_layers"), year, stubs=stubs, edits=edits, given=TEMPORAL)


# --------------------------------------------------------------------------------------
# The years
# --------------------------------------------------------------------------------------


def y2016(root: Path) -> list[Reconstruction]:
    out = []
    # assignment 1: no cs231n/__init__.py; classifiers/__init__.py imports its modules
    a1 = root / "2016" / "assignment1"
    files = {
        "classifiers/__init__.py": "from cs231n.classifiers.k_nearest_neighbor import *\nfrom cs231n.classifiers.linear_classifier import *\n",
        "classifiers/k_nearest_neighbor.py": python2(module(reference_source("classifiers/k_nearest_neighbor"), 2016)),
        "classifiers/linear_svm.py": python2(module(reference_source("classifiers/linear_svm"), 2016, edits=HALF_REG_SVM)),
        "classifiers/softmax.py": python2(module(
            reference_source("classifiers/softmax"), 2016,
            edits=HALF_REG_SOFTMAX + [bug("softmax_loss_vectorized", "does not average dW")])),
        "classifiers/linear_classifier.py": LINEAR_CLASSIFIER,
        "classifiers/neural_net.py": neural_net(2016),
        "features.py": "import matplotlib\nimport numpy as np\nfrom scipy.ndimage import uniform_filter\n",
        **{k: v for k, v in helpers.common(2016, fast=False, setup=False).items()},
    }
    write(a1, package(files))
    out.append(Reconstruction("2016/assignment1", a1, 2016, expect(
        passed=KNN + ("svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive", "TwoLayerNet.loss"),
        failed=("softmax_loss_vectorized",),
    )))

    # assignment 2: Python 2 habits; fast layers only as a Windows .pyd; cnn.py holds a print statement
    a2 = root / "2016" / "assignment2"
    cnn = module(reference_source("classifiers/cnn"), 2016, edits=[(
        "        if y is None:\n            return scores",
        '        print "scores:", scores.shape\n        if y is None:\n            return scores')])
    files = {
        "__init__.py": "",
        "layers.py": python2(layers(2016, drop=LAYERNORM + GROUPNORM, edits=DROP_P)),
        "layer_utils.py": helpers.layer_utils(),
        "optim.py": optim(2016),
        "solver.py": helpers.SOLVER,
        "classifiers/__init__.py": "",
        "classifiers/fc_net.py": module(reference_source("classifiers/fc_net"), 2016, edits=FCNET_2017),
        "classifiers/cnn.py": cnn,
        "im2col_cython.pyd": PYD,
        **helpers.common(2016),
    }
    write(a2, package(files))
    out.append(Reconstruction(
        "2016/assignment2", a2, 2016,
        expect(passed=BASIC + BATCHNORM + DROPOUT + CONV + SPATIAL_BN + ("TwoLayerNet.loss", "FullyConnectedNet.loss") + OPTIM,
               failed=("ThreeLayerConvNet.loss",)),
        messages={"ThreeLayerConvNet.loss": ("cnn.py", str(line_of(cnn, 'print "scores:"')), "Python 2 syntax: print statement")},
    ))

    # assignment 3: a namespace package all the way down; the course's optim.py and layers.py
    a3 = root / "2016" / "assignment3"
    files = {
        "rnn_layers.py": python2(rnn_layers(2016, stubs=())),
        "classifiers/rnn.py": module(reference_source("classifiers/rnn"), 2016),
        "layers.py": course_layers_a3(),
        "optim.py": course_optim_a3(2016),
        "image_utils.py": helpers.image_utils(2016),
        "coco_utils.py": "import os, json\nimport numpy as np\nimport h5py\n",
        "gradient_check.py": helpers.gradient_check(2016),
    }
    write(a3, package(files))
    out.append(Reconstruction("2016/assignment3", a3, 2016, expect(
        passed=BASIC + RNN + LSTM + TEMPORAL + ("CaptioningRNN.loss",) + OPTIM)))
    return out


def y2017(root: Path) -> list[Reconstruction]:
    out = []
    a1 = root / "2017" / "assignment1"
    knn = module(reference_source("classifiers/k_nearest_neighbor"), 2017,
                 stubs=("KNearestNeighbor.compute_distances_one_loop", "KNearestNeighbor.compute_distances_no_loops"))
    files = {
        "__init__.py": "",
        "classifiers/__init__.py": "from cs231n.classifiers.k_nearest_neighbor import *\nfrom cs231n.classifiers.linear_classifier import *\n",
        "classifiers/k_nearest_neighbor.py": "from builtins import range\nfrom builtins import object\nimport numpy as np\nfrom past.builtins import xrange\n" + knn,
        "classifiers/linear_svm.py": python2(module(reference_source("classifiers/linear_svm"), 2017, stubs=("svm_loss_vectorized",))),
        "classifiers/softmax.py": python2(module(reference_source("classifiers/softmax"), 2017, stubs=("softmax_loss_naive",))),
        "classifiers/linear_classifier.py": LINEAR_CLASSIFIER,
        "classifiers/neural_net.py": neural_net(2017, stub=True),
        **helpers.common(2017, fast=False, setup=False),
    }
    write(a1, package(files))
    out.append(Reconstruction("2017/assignment1", a1, 2017, expect(
        passed=("KNearestNeighbor.compute_distances_two_loops", "KNearestNeighbor.predict_labels",
                "svm_loss_naive", "softmax_loss_vectorized"))))

    # assignment 2: Adam's t from 1; a failing forward, a backward calling a failing backward; the nets not started
    a2 = root / "2017" / "assignment2"
    optim_2017 = optim(2017, drop=("adam",)) + ADAM_2017
    files = {
        "__init__.py": "",
        "layers.py": layers(2017, drop=LAYERNORM + GROUPNORM, edits=DROP_P + RELU_LEAKY + SPATIAL_BN_ON_ALT
                            + [bug("batchnorm_backward_alt", "forgets gamma")]),
        "layer_utils.py": helpers.layer_utils(),
        "optim.py": optim_2017,
        "solver.py": helpers.SOLVER,
        "classifiers/__init__.py": "",
        "classifiers/fc_net.py": module(reference_source("classifiers/fc_net"), 2017, edits=FCNET_2017,
                                        stubs=("TwoLayerNet.loss", "FullyConnectedNet.loss")),
        "classifiers/cnn.py": module(reference_source("classifiers/cnn"), 2017, stubs=("ThreeLayerConvNet.loss",)),
        "im2col_cython.pyx": "import numpy as np\ncimport numpy as np\ncimport cython\n",
        **helpers.common(2017),
    }
    write(a2, package(files))
    out.append(Reconstruction("2017/assignment2", a2, 2017, expect(
        passed=minus(BASIC + BATCHNORM + DROPOUT + CONV + SPATIAL_BN, "relu_forward",
                     "batchnorm_backward_alt", "spatial_batchnorm_backward") + OPTIM,  # relu_backward is right on its cache
        failed=("relu_forward", "batchnorm_backward_alt"),
        not_checked=("spatial_batchnorm_backward",),
    )))

    # assignment 2 without fast_layers.py, which layer_utils imports: the naive layers stand in, so the nets are
    # judged (here on stubs of the layers they need)
    a2b = root / "2017" / "assignment2-no-fast-layers"
    files = {
        "__init__.py": "",
        "layers.py": layers(2017, stubs=A2_ONLY, drop=LAYERNORM + GROUPNORM),
        "layer_utils.py": helpers.layer_utils(),
        "optim.py": optim(2017, stubs=OPTIM[1:]),
        "classifiers/__init__.py": "",
        "classifiers/fc_net.py": module(reference_source("classifiers/fc_net"), 2017, edits=FCNET_2017),
        "classifiers/cnn.py": module(reference_source("classifiers/cnn"), 2017),
        **helpers.common(2017, fast=False),
    }
    write(a2b, package(files))
    out.append(Reconstruction(
        "2017/assignment2-no-fast-layers", a2b, 2017,
        expect(passed=BASIC + ("sgd", "TwoLayerNet.loss"), not_checked=NETS[1:]),
        messages={"FullyConnectedNet.loss": ("batchnorm_forward", "not implemented"),
                  "ThreeLayerConvNet.loss": ("conv_forward_naive", "not implemented")},
    ))
    return out


def y2018(root: Path) -> list[Reconstruction]:
    """2018: FullyConnectedNet(..., dropout=1, normalization=None); layer and group norm;
    2019: no classifiers/__init__.py, dropout_keep_ratio, START / END markers; assignment 3
    without cs231n/__init__.py."""
    out = []
    a2 = root / "2018" / "assignment2"
    files = {
        "__init__.py": "",
        "layers.py": layers(2018, edits=RELU_BACKWARD_IN_PLACE + SOFTMAX_IN_PLACE
                            + [bug("spatial_groupnorm_forward", "unbiased variance")]),
        "layer_utils.py": helpers.layer_utils(),
        "optim.py": optim(2018, edits=RMSPROP_EPS_INSIDE),
        "solver.py": helpers.SOLVER,
        "classifiers/__init__.py": "",
        "classifiers/fc_net.py": module(reference_source("classifiers/fc_net"), 2018, edits=FCNET_2018 + SCALAR_ZERO_BIAS),
        "classifiers/cnn.py": module(reference_source("classifiers/cnn"), 2018),
        **helpers.common(2018),
    }
    write(a2, package(files))
    out.append(Reconstruction("2018/assignment2", a2, 2018, expect(
        passed=minus(A2_LAYERS, "relu_backward", "softmax_loss", *GROUPNORM) + NETS + OPTIM,
        warned=("relu_backward", "softmax_loss"),
        failed=("spatial_groupnorm_forward",),
        not_checked=("spatial_groupnorm_backward",),
    )))

    a2 = root / "2019" / "assignment2"
    files = {
        "__init__.py": "",
        "layers.py": layers(2019, edits=[bug("svm_loss", "forgets the correct class's gradient")]),
        "layer_utils.py": helpers.layer_utils(),
        "optim.py": optim(2019, edits=[bug("adam", "v bias-corrected with beta1")]),
        "solver.py": helpers.SOLVER,
        "classifiers/fc_net.py": module(reference_source("classifiers/fc_net"), 2019),
        "classifiers/cnn.py": module(reference_source("classifiers/cnn"), 2019),
        **helpers.common(2019),
    }
    write(a2, package(files))
    out.append(Reconstruction("2019/assignment2", a2, 2019, expect(
        passed=minus(A2_LAYERS, "svm_loss") + NETS + minus(OPTIM, "adam"),
        failed=("svm_loss", "adam"),
    )))

    a3 = root / "2019" / "assignment3"
    files = {
        "rnn_layers.py": rnn_layers(2019, edits=LSTM_IN_PLACE),
        "classifiers/rnn.py": module(reference_source("classifiers/rnn"), 2019, edits=IS_RNN),
        "layers.py": course_layers_a3(),
        "optim.py": course_optim_a3(2019),
        "image_utils.py": helpers.image_utils(2019),
        "gradient_check.py": helpers.gradient_check(2019),
        "setup.py": helpers.SETUP,
    }
    write(a3, package(files))
    out.append(Reconstruction("2019/assignment3", a3, 2019, expect(
        passed=BASIC + RNN + minus(LSTM, "lstm_step_backward") + TEMPORAL + OPTIM,
        warned=("lstm_step_backward",),
        failed=("CaptioningRNN.loss",),
    )))
    return out


def y2020(root: Path) -> list[Reconstruction]:
    out = []
    a1 = root / "2020" / "assignment1"
    files = {
        "__init__.py": "",
        "classifiers/__init__.py": "from .k_nearest_neighbor import *\nfrom .linear_classifier import *\n",
        "classifiers/k_nearest_neighbor.py": python2(module(
            reference_source("classifiers/k_nearest_neighbor"), 2020,
            edits=[bug("KNearestNeighbor.compute_distances_no_loops", "adds the cross term instead of subtracting it"),
                   bug("KNearestNeighbor.predict_labels", "votes among the k farthest")])),
        "classifiers/linear_svm.py": python2(module(reference_source("classifiers/linear_svm"), 2020)),
        "classifiers/softmax.py": python2(module(reference_source("classifiers/softmax"), 2020,
                                                 edits=[bug("softmax_loss_naive", "forgets the correct class's -1")])),
        "classifiers/linear_classifier.py": LINEAR_CLASSIFIER,
        "classifiers/neural_net.py": neural_net(2020),
        **helpers.common(2020, fast=False, setup=False),
    }
    write(a1, package(files))
    out.append(Reconstruction("2020/assignment1", a1, 2020, expect(
        passed=KNN[:2] + ("svm_loss_naive", "svm_loss_vectorized", "softmax_loss_vectorized", "TwoLayerNet.loss"),
        failed=KNN[2:] + ("softmax_loss_naive",),
    )))

    # 2021 assignment 2: a (1, D) db; the nets and most update rules not started
    a2 = root / "2021" / "assignment2"
    files = {
        "__init__.py": "",
        "layers.py": layers(2021, edits=DB_KEEPDIMS),
        "layer_utils.py": helpers.layer_utils(),
        "optim.py": optim(2021, stubs=OPTIM[1:]),
        "solver.py": helpers.SOLVER,
        "classifiers/fc_net.py": module(reference_source("classifiers/fc_net"), 2021, drop=("TwoLayerNet",),
                                        stubs=("FullyConnectedNet.loss",)),
        "classifiers/cnn.py": module(reference_source("classifiers/cnn"), 2021, stubs=("ThreeLayerConvNet.loss",)),
        **helpers.common(2021),
    }
    write(a2, package(files))
    out.append(Reconstruction("2021/assignment2", a2, 2021, expect(
        passed=minus(A2_LAYERS, "affine_backward") + ("sgd",),
        warned=("affine_backward",),
    )))
    return out


def y2022(root: Path) -> list[Reconstruction]:
    out = []
    # assignment 1 with layers.py carrying assignment 2's stubs untouched, and fc_net.TwoLayerNet
    a1 = root / "2022" / "assignment1"
    files = {
        "__init__.py": "",
        "classifiers/__init__.py": "from .k_nearest_neighbor import *\nfrom .linear_classifier import *\n",
        "classifiers/k_nearest_neighbor.py": python2(module(reference_source("classifiers/k_nearest_neighbor"), 2022)),
        "classifiers/linear_svm.py": python2(module(reference_source("classifiers/linear_svm"), 2022,
                                                    edits=[bug("svm_loss_vectorized", "counts the correct class's margin")])),
        "classifiers/softmax.py": python2(module(reference_source("classifiers/softmax"), 2022)),
        "classifiers/linear_classifier.py": LINEAR_CLASSIFIER,
        "classifiers/fc_net.py": module(reference_source("classifiers/fc_net"), 2022, drop=("FullyConnectedNet",)),
        "layers.py": layers(2022, stubs=A2_ONLY),
        "layer_utils.py": module(reference_source("layer_utils"), 2022, keep={"affine_relu_forward", "affine_relu_backward"},
                                 learner_style=False),
        "optim.py": optim(2022, drop=OPTIM[1:]),
        "solver.py": helpers.SOLVER,
        **helpers.common(2022, fast=False, setup=False),
    }
    write(a1, package(files))
    out.append(Reconstruction("2022/assignment1", a1, 2022, expect(
        passed=KNN + ("svm_loss_naive", "softmax_loss_naive", "softmax_loss_vectorized") + BASIC + ("TwoLayerNet.loss", "sgd"),
        failed=("svm_loss_vectorized",),
    )))

    a2 = root / "2023" / "assignment2"
    files = {
        "__init__.py": "",
        "layers.py": layers(2023, edits=SPATIAL_BN_ON_ALT
                            + [bug("batchnorm_backward_alt", "forgets the term through the mean")]),
        "layer_utils.py": helpers.layer_utils(),
        "optim.py": optim(2023),
        "solver.py": helpers.SOLVER,
        "classifiers/fc_net.py": module(reference_source("classifiers/fc_net"), 2023, drop=("TwoLayerNet",)),
        "classifiers/cnn.py": module(reference_source("classifiers/cnn"), 2023),
        **helpers.common(2023),
    }
    write(a2, package(files))
    out.append(Reconstruction("2023/assignment2", a2, 2023, expect(
        passed=minus(A2_LAYERS, "batchnorm_backward_alt", "spatial_batchnorm_backward") + NETS[1:] + OPTIM,
        failed=("batchnorm_backward_alt",),
        not_checked=("spatial_batchnorm_backward",),
    )))

    a3 = root / "2024" / "assignment3"
    files = {
        "__init__.py": "",
        "rnn_layers.py": rnn_layers(2024),
        "classifiers/rnn.py": module(reference_source("classifiers/rnn"), 2024),
        "layers.py": course_layers_a3(),
        "optim.py": course_optim_a3(2024),
        "image_utils.py": helpers.image_utils(2024),
        "gradient_check.py": helpers.gradient_check(2024),
    }
    write(a3, package(files))
    out.append(Reconstruction("2024/assignment3", a3, 2024, expect(
        passed=BASIC + RNN + LSTM + TEMPORAL + ("CaptioningRNN.loss",) + OPTIM)))
    return out


def y2025(root: Path) -> list[Reconstruction]:
    out = []
    a1 = root / "2025" / "assignment1"
    files = {
        "__init__.py": "",
        "classifiers/k_nearest_neighbor.py": module(reference_source("classifiers/k_nearest_neighbor"), 2025),
        "classifiers/softmax.py": module(reference_source("classifiers/softmax"), 2025),
        "classifiers/linear_classifier.py": LINEAR_CLASSIFIER.replace("from cs231n.classifiers.linear_svm import *\n", "")
        .replace("return svm_loss_vectorized", "return softmax_loss_vectorized"),
        "classifiers/fc_net.py": module(reference_source("classifiers/fc_net"), 2025, edits=FCNET_PLAIN),
        "layers.py": layers(2025, stubs=A2_ONLY),
        "layer_utils.py": module(reference_source("layer_utils"), 2025, keep={"affine_relu_forward", "affine_relu_backward"},
                                 learner_style=False),
        "solver.py": helpers.SOLVER.replace("from cs231n import optim", "from cs231n import optim  # noqa"),
        **helpers.common(2025, fast=False, setup=False),
    }
    write(a1, package(files))
    out.append(Reconstruction("2025/assignment1", a1, 2025, expect(
        passed=KNN + ("softmax_loss_naive", "softmax_loss_vectorized") + BASIC + ("TwoLayerNet.loss", "FullyConnectedNet.loss"))))

    # assignment 2: the recurrent exercises only in torch (*_pytorch.py); convolutions not started
    a2 = root / "2025" / "assignment2"
    files = {
        "__init__.py": "",
        "layers.py": layers(2025, stubs=CONV + SPATIAL_BN + GROUPNORM),
        "layer_utils.py": helpers.layer_utils(),
        "optim.py": optim(2025),
        "solver.py": helpers.SOLVER,
        "classifiers/fc_net.py": module(reference_source("classifiers/fc_net"), 2025, drop=("TwoLayerNet",)),
        "classifiers/cnn.py": module(reference_source("classifiers/cnn"), 2025, stubs=("ThreeLayerConvNet.loss",)),
        "rnn_layers_pytorch.py": RNN_LAYERS_PYTORCH,
        "classifiers/rnn_pytorch.py": RNN_PYTORCH,
        "captioning_solver_pytorch.py": "import torch\n\nfrom .classifiers.rnn_pytorch import CaptioningRNN\n",
        **helpers.common(2025),
    }
    write(a2, package(files))
    out.append(Reconstruction("2025/assignment2", a2, 2025, expect(
        passed=BASIC + BATCHNORM + LAYERNORM + DROPOUT + ("FullyConnectedNet.loss",) + OPTIM)))
    return out


YEARS = {"2016": y2016, "2017": y2017, "2018-2019": y2018, "2020-2021": y2020, "2022-2024": y2022, "2025": y2025}


def build(year_key: str, root: Path) -> list[Reconstruction]:
    return YEARS[year_key](Path(root))


def build_all(root: Path) -> list[Reconstruction]:
    return [r for key in YEARS for r in build(key, root)]


def empty_folder(root: Path) -> Path:
    """An assignment folder in which nothing can be found: datasets and notebooks only."""
    folder = root / "empty" / "assignment1"
    write(folder, {
        "cs231n/datasets/get_datasets.sh": "wget http://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz\n",
        "knn.ipynb": '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 2}\n',
        "README.md": "Assignment 1\n",
    })
    return folder
