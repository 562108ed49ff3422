"""The course's helper modules, as each year's folder has them (written here from what they
do, not copied): none holds an exercise, several cannot be imported on a learner's machine
(a missing image library, the compiled im2col_cython, Python 2 syntax), and setup.py must
never be imported at all (it would run a build). Each returns {path inside cs231n/: text}.
"""

from __future__ import annotations

from . import sources

SETUP_PROBE = "SETUP_PY_WAS_IMPORTED"


def data_utils(year: int) -> str:
    if year <= 2016:
        head = "import cPickle as pickle\nimport numpy as np\nimport os\nfrom scipy.misc import imread\n"
    else:
        head = ("from __future__ import print_function\n\nfrom builtins import range\nfrom six.moves import cPickle as pickle\n"
                "import numpy as np\nimport os\nfrom imageio import imread\nimport platform\n")
    return head + '''

def load_pickle(f):
    return pickle.load(f, encoding="latin1")


def load_CIFAR_batch(filename):
    """load a single batch of cifar"""
    with open(filename, "rb") as f:
        datadict = load_pickle(f)
        X = datadict["data"].reshape(10000, 3, 32, 32).transpose(0, 2, 3, 1).astype("float")
        return X, np.array(datadict["labels"])


def load_CIFAR10(ROOT):
    """load all of cifar"""
    xs, ys = [], []
    for b in range(1, 6):
        X, Y = load_CIFAR_batch(os.path.join(ROOT, "data_batch_%d" % b))
        xs.append(X)
        ys.append(Y)
    Xte, Yte = load_CIFAR_batch(os.path.join(ROOT, "test_batch"))
    return np.concatenate(xs), np.concatenate(ys), Xte, Yte


def load_tiny_imagenet(path, dtype=np.float32):
    img = imread(os.path.join(path, "val", "images", "val_0.JPEG"))
    return img.astype(dtype)
'''


VIS_UTILS = '''from builtins import range
from math import sqrt, ceil
import numpy as np


def visualize_grid(Xs, ubound=255.0, padding=1):
    """Lay a 4D tensor of images (N, H, W, C) out on a grid, for display."""
    (N, H, W, C) = Xs.shape
    grid_size = int(ceil(sqrt(N)))
    grid_height = H * grid_size + padding * (grid_size - 1)
    grid_width = W * grid_size + padding * (grid_size - 1)
    grid = np.zeros((grid_height, grid_width, C))
    next_idx = 0
    y0, y1 = 0, H
    for y in range(grid_size):
        x0, x1 = 0, W
        for x in range(grid_size):
            if next_idx < N:
                img = Xs[next_idx]
                low, high = np.min(img), np.max(img)
                grid[y0:y1, x0:x1] = ubound * (img - low) / (high - low)
                next_idx += 1
            x0 += W + padding
            x1 += W + padding
        y0 += H + padding
        y1 += H + padding
    return grid
'''


def gradient_check(year: int) -> str:
    """2016's prints with Python 2 statements: the module cannot be imported, and holds no exercise."""
    report = "print ix, grad[ix]" if year <= 2016 else "print(ix, grad[ix])"
    return f'''import numpy as np
from random import randrange


def eval_numerical_gradient(f, x, verbose=True, h=0.00001):
    """A naive numerical gradient of f at x: f takes one argument, x is a numpy array."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        fxph = f(x)
        x[ix] = oldval - h
        fxmh = f(x)
        x[ix] = oldval
        grad[ix] = (fxph - fxmh) / (2 * h)
        if verbose:
            {report}
        it.iternext()
    return grad


def eval_numerical_gradient_array(f, x, df, h=1e-5):
    """A numerical gradient of a function that takes a numpy array and returns one."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        pos = f(x).copy()
        x[ix] = oldval - h
        neg = f(x).copy()
        x[ix] = oldval
        grad[ix] = np.sum((pos - neg) * df) / (2 * h)
        it.iternext()
    return grad


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5):
    """Compare the numerical and analytic gradients in a few random places."""
    for i in range(num_checks):
        ix = tuple([randrange(m) for m in x.shape])
        oldval = x[ix]
        x[ix] = oldval + h
        fxph = f(x)
        x[ix] = oldval - h
        fxmh = f(x)
        x[ix] = oldval
        grad_numerical = (fxph - fxmh) / (2 * h)
        grad_analytic = analytic_grad[ix]
        rel_error = abs(grad_numerical - grad_analytic) / (abs(grad_numerical) + abs(grad_analytic))
        print("numerical: %f analytic: %f, relative error: %e" % (grad_numerical, grad_analytic, rel_error))
'''


SOLVER = '''from __future__ import print_function, division
from builtins import range, object
import os
import pickle as pickle

import numpy as np

from cs231n import optim


class Solver(object):
    """Trains a model with an update rule from optim.py (the course's, not an exercise)."""

    def __init__(self, model, data, **kwargs):
        self.model = model
        self.X_train, self.y_train = data["X_train"], data["y_train"]
        self.update_rule = kwargs.pop("update_rule", "sgd")
        self.optim_config = kwargs.pop("optim_config", {})
        self.batch_size = kwargs.pop("batch_size", 100)
        if not hasattr(optim, self.update_rule):
            raise ValueError('Invalid update_rule "%s"' % self.update_rule)
        self.update_rule = getattr(optim, self.update_rule)
        self._reset()

    def _reset(self):
        self.loss_history = []
        self.optim_configs = {p: dict(self.optim_config) for p in self.model.params}

    def _step(self):
        num_train = self.X_train.shape[0]
        batch_mask = np.random.choice(num_train, self.batch_size)
        loss, grads = self.model.loss(self.X_train[batch_mask], self.y_train[batch_mask])
        self.loss_history.append(loss)
        for p, w in self.model.params.items():
            next_w, next_config = self.update_rule(w, grads[p], self.optim_configs[p])
            self.model.params[p] = next_w
            self.optim_configs[p] = next_config
'''


def image_utils(year: int) -> str:
    imports = "from scipy.misc import imread, imresize\n" if year <= 2018 else "from imageio import imread\nfrom PIL import Image\n"
    return f'''from __future__ import print_function
from builtins import range
import urllib.request, urllib.error, urllib.parse, os, tempfile

import numpy as np
{imports}
SQUEEZENET_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
SQUEEZENET_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def blur_image(X):
    """A very gentle blur, for the saliency notebooks."""
    return X


def preprocess_image(img):
    return (img.astype(np.float32) / 255.0 - SQUEEZENET_MEAN) / SQUEEZENET_STD


def image_from_url(url):
    f = urllib.request.urlopen(url)
    _, fname = tempfile.mkstemp()
    with open(fname, "wb") as ff:
        ff.write(f.read())
    img = imread(fname)
    os.remove(fname)
    return img
'''


# A probe: a harness that imports setup.py leaves this file behind (besides running a build).
SETUP = f'''import os
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "{SETUP_PROBE}"), "w").close()

from distutils.core import setup
from distutils.extension import Extension
from Cython.Build import cythonize
import numpy

extensions = [
    Extension("im2col_cython", ["im2col_cython.pyx"], include_dirs=[numpy.get_include()]),
]

setup(ext_modules=cythonize(extensions))
'''


IM2COL = '''from builtins import range
import numpy as np


def get_im2col_indices(x_shape, field_height, field_width, padding=1, stride=1):
    N, C, H, W = x_shape
    out_height = (H + 2 * padding - field_height) // stride + 1
    out_width = (W + 2 * padding - field_width) // stride + 1
    i0 = np.tile(np.repeat(np.arange(field_height), field_width), C)
    i1 = stride * np.repeat(np.arange(out_height), out_width)
    j0 = np.tile(np.arange(field_width), field_height * C)
    j1 = stride * np.tile(np.arange(out_width), out_height)
    i = i0.reshape(-1, 1) + i1.reshape(1, -1)
    j = j0.reshape(-1, 1) + j1.reshape(1, -1)
    k = np.repeat(np.arange(C), field_height * field_width).reshape(-1, 1)
    return (k, i, j)


def im2col_indices(x, field_height, field_width, padding=1, stride=1):
    p = padding
    x_padded = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), mode="constant")
    k, i, j = get_im2col_indices(x.shape, field_height, field_width, padding, stride)
    cols = x_padded[:, k, i, j]
    C = x.shape[1]
    return cols.transpose(1, 2, 0).reshape(field_height * field_width * C, -1)
'''


def fast_layers(year: int) -> str:
    """2016 imports the compiled im2col_cython unguarded (the module fails to import); later
    years catch the ImportError, print advice, and fail at the first call."""
    if year <= 2016:
        head = "import numpy as np\nfrom cs231n.im2col_cython import col2im_cython, im2col_cython\n"
    else:
        head = ('from __future__ import print_function\nimport numpy as np\ntry:\n'
                "    from cs231n.im2col_cython import col2im_cython, im2col_cython\n"
                "    from cs231n.im2col_cython import col2im_6d_cython\nexcept ImportError:\n"
                '    print("""=========== You can safely ignore the message below if this is your first time\n'
                '    running this notebook ===========""")\n'
                "    print('run the following from the cs231n directory and try again:')\n"
                "    print('python setup.py build_ext --inplace')\n")
    return head + '''from cs231n.im2col import *


def conv_forward_im2col(x, w, b, conv_param):
    N, C, H, W = x.shape
    num_filters, _, filter_height, filter_width = w.shape
    stride, pad = conv_param["stride"], conv_param["pad"]
    out_height = (H + 2 * pad - filter_height) // stride + 1
    out_width = (W + 2 * pad - filter_width) // stride + 1
    x_cols = im2col_cython(x, w.shape[2], w.shape[3], pad, stride)
    res = w.reshape((w.shape[0], -1)).dot(x_cols) + b.reshape(-1, 1)
    out = res.reshape(w.shape[0], out_height, out_width, x.shape[0]).transpose(3, 0, 1, 2)
    return out, (x, w, b, conv_param, x_cols)


def conv_backward_im2col(dout, cache):
    x, w, b, conv_param, x_cols = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    db = np.sum(dout, axis=(0, 2, 3))
    num_filters, _, filter_height, filter_width = w.shape
    dout_reshaped = dout.transpose(1, 2, 3, 0).reshape(num_filters, -1)
    dw = dout_reshaped.dot(x_cols.T).reshape(w.shape)
    dx_cols = w.reshape(num_filters, -1).T.dot(dout_reshaped)
    dx = col2im_cython(dx_cols, x.shape[0], x.shape[1], x.shape[2], x.shape[3], filter_height, filter_width, pad, stride)
    return dx, dw, db


conv_forward_fast = conv_forward_im2col
conv_backward_fast = conv_backward_im2col


def max_pool_forward_fast(x, pool_param):
    N, C, H, W = x.shape
    pool_height, pool_width, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    x_split = x.reshape(N * C, 1, H, W)
    x_cols = im2col_cython(x_split, pool_height, pool_width, padding=0, stride=stride)
    x_cols_argmax = np.argmax(x_cols, axis=0)
    out = x_cols[x_cols_argmax, np.arange(x_cols.shape[1])]
    return out, (x, x_cols, x_cols_argmax, pool_param)


def max_pool_backward_fast(dout, cache):
    x, x_cols, x_cols_argmax, pool_param = cache
    dx_cols = np.zeros_like(x_cols)
    dx_cols[x_cols_argmax, np.arange(dx_cols.shape[1])] = dout.transpose(2, 3, 0, 1).flatten()
    N, C, H, W = x.shape
    return col2im_cython(dx_cols, N * C, 1, H, W, pool_param["pool_height"], pool_param["pool_width"], 0,
                         pool_param["stride"]).reshape(x.shape)
'''


def layer_utils() -> str:
    """The course's layer_utils.py: the sandwich layers, on the fast conv and pool layers."""
    fast = [(f"{kind}_naive", f"{kind}_fast") for kind in ("conv_forward", "conv_backward", "max_pool_forward", "max_pool_backward")]
    text = sources.reference_source("layer_utils")
    for naive, quick in fast:
        text = text.replace(naive, quick)
    return text.replace("from cs231n.layers import *\n", "from cs231n.layers import *\nfrom cs231n.fast_layers import *\n", 1)


def common(year: int, *, fast: bool = True, setup: bool = True) -> dict[str, str]:
    """The helpers every assignment folder of `year` ships."""
    files = {
        "data_utils.py": data_utils(year),
        "vis_utils.py": VIS_UTILS,
        "gradient_check.py": gradient_check(year),
    }
    if fast:
        files["fast_layers.py"] = fast_layers(year)
        files["im2col.py"] = IM2COL
    if setup:
        files["setup.py"] = SETUP
    return files
