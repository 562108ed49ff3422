"""Specs of the networks of assignments 1 and 2: TwoLayerNet, FullyConnectedNet and
ThreeLayerConvNet, each checked as a whole against a torch forward pass and autograd.

A network is built with CS231n's constructor, adapted to the signature the learner's course
year used, then given drawn parameters; its `loss` must return torch's loss and every
parameter's gradient. The nets regularise with 0.5 * reg * sum(W * W).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import strategies as st

from ..specs import Model
from ..strategies import generators, labels, normal, seeds

EPS = 1e-5  # the default eps of batchnorm_forward and layernorm_forward


def _penalty(params, reg):
    return 0.5 * reg * sum((w * w).sum() for name, w in params.items() if name.startswith("W"))


def _data_loss(scores, y):
    return F.cross_entropy(scores, torch.as_tensor(y))


def _layer(rng, params, index, fan_in, fan_out):
    params[f"W{index}"] = normal(rng, fan_in, fan_out, scale=1 / np.sqrt(fan_in))
    params[f"b{index}"] = normal(rng, fan_out, scale=0.1)


@st.composite
def two_layer_cases(draw):
    rng = draw(generators)
    n, dims, hidden, classes = draw(st.integers(1, 5)), draw(st.integers(1, 6)), draw(st.integers(1, 6)), draw(st.integers(2, 5))
    params = {}
    _layer(rng, params, 1, dims, hidden)
    _layer(rng, params, 2, hidden, classes)
    init = {"input_dim": dims, "hidden_dim": hidden, "num_classes": classes, "weight_scale": 1e-3,
            "reg": draw(st.sampled_from([0.1, 0.0, 1.0]))}
    return {"init": init, "params": params, "X": normal(rng, n, dims), "y": labels(rng, n, classes)}


def two_layer_adapt(init_parameters, loss_parameters, case, convention):
    """fc_net.TwoLayerNet (2017 on) takes reg in its constructor; neural_net.TwoLayerNet
    (assignment 1, 2016-2020) takes it in loss(X, y, reg) and names its sizes differently."""
    init, inputs = case["init"], {"X": case["X"], "y": case["y"]}
    if "reg" in loss_parameters:
        renamed = {"input_size": init["input_dim"], "hidden_size": init["hidden_dim"],
                   "output_size": init["num_classes"], "std": init["weight_scale"]}
        return renamed, {**inputs, "reg": init["reg"]}
    return init, inputs


def two_layer_oracle(params, init, inputs, dropout, convention):
    hidden = F.relu(torch.as_tensor(inputs["X"]) @ params["W1"] + params["b1"])
    scores = hidden @ params["W2"] + params["b2"]
    if "reg" in inputs:  # neural_net.TwoLayerNet follows the linear classifiers' convention
        factor = 1.0 if convention == "full" else 0.5
        return _data_loss(scores, inputs["y"]) + factor * inputs["reg"] * (
            (params["W1"] ** 2).sum() + (params["W2"] ** 2).sum()
        )
    return _data_loss(scores, inputs["y"]) + _penalty(params, init["reg"])


@st.composite
def fully_connected_cases(draw):
    rng = draw(generators)
    normalization = draw(st.sampled_from([None, "batchnorm", "layernorm"]))
    n = draw(st.integers(2, 5))
    sizes = [draw(st.integers(1, 5)) for _ in range(draw(st.integers(3, 4)))]  # one or two hidden layers
    params = {}
    for index, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:]), 1):
        _layer(rng, params, index, fan_in, fan_out)
        if normalization and index < len(sizes) - 1:
            params[f"gamma{index}"] = 1 + normal(rng, fan_out, scale=0.3)
            params[f"beta{index}"] = normal(rng, fan_out, scale=0.3)
    init = {
        "hidden_dims": sizes[1:-1],
        "input_dim": sizes[0],
        "num_classes": sizes[-1],
        "dropout_keep_ratio": draw(st.sampled_from([1, 0.5, 0.8])),
        "normalization": normalization,
        "reg": draw(st.sampled_from([0.1, 0.0])),
        "weight_scale": 1e-2,
        "dtype": np.float64,
        "seed": draw(seeds) % 2**31,
    }
    return {"init": init, "params": params, "X": normal(rng, n, sizes[0]), "y": labels(rng, n, sizes[-1])}


def fully_connected_adapt(init_parameters, loss_parameters, case, convention):
    """2019 on: dropout_keep_ratio and normalization. 2018: `dropout`, a keep probability.
    2016-2017: `dropout`, a drop probability (0 turns it off), and `use_batchnorm`. A
    constructor without such a parameter builds a net without that layer: it gets none."""
    drawn = case["init"]
    init = {key: value for key, value in drawn.items() if key not in ("dropout_keep_ratio", "normalization")}
    keep, normalization = drawn["dropout_keep_ratio"], drawn["normalization"]
    if "dropout_keep_ratio" in init_parameters:
        init["dropout_keep_ratio"] = keep
    elif "dropout" in init_parameters and keep != 1:  # without dropout, `dropout` keeps its default, off in every year
        init["dropout"] = keep if convention == "keep" else 1 - keep
    if "normalization" in init_parameters:
        init["normalization"] = normalization
    elif "use_batchnorm" in init_parameters:
        init["use_batchnorm"] = normalization is not None
    return init, {"X": case["X"], "y": case["y"]}


def fully_connected_oracle(params, init, inputs, dropout, convention):
    """{affine - [batch/layer norm] - relu - [dropout]} x (L - 1) - affine - softmax."""
    normalization = init.get("normalization") or ("batchnorm" if init.get("use_batchnorm") else None)
    p = init.get("dropout_keep_ratio", init.get("dropout", 1))
    keep = p if "dropout" not in init or convention == "keep" else 1 - p
    out = torch.as_tensor(inputs["X"])
    layers = len(init["hidden_dims"]) + 1
    for i in range(1, layers):
        out = out @ params[f"W{i}"] + params[f"b{i}"]
        if normalization == "batchnorm":
            out = F.batch_norm(out, None, None, params[f"gamma{i}"], params[f"beta{i}"], training=True, eps=EPS)
        elif normalization == "layernorm":
            out = F.layer_norm(out, out.shape[1:], params[f"gamma{i}"], params[f"beta{i}"], eps=EPS)
        out = F.relu(out)
        if keep != 1:
            mask = dropout(tuple(out.shape), {"p": p, "seed": init["seed"]})
            out = out * torch.as_tensor(mask, dtype=out.dtype) / keep
    scores = out @ params[f"W{layers}"] + params[f"b{layers}"]
    return _data_loss(scores, inputs["y"]) + _penalty(params, init["reg"])


@st.composite
def conv_net_cases(draw):
    rng = draw(generators)
    n, channels = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    height, width = 2 * draw(st.integers(1, 2)), 2 * draw(st.integers(1, 2))
    filters, size = draw(st.integers(1, 2)), draw(st.sampled_from([3, 1]))
    hidden, classes = draw(st.integers(1, 4)), draw(st.integers(2, 4))
    params = {
        "W1": normal(rng, filters, channels, size, size, scale=0.5),
        "b1": normal(rng, filters, scale=0.1),
    }
    _layer(rng, params, 2, filters * height * width // 4, hidden)
    _layer(rng, params, 3, hidden, classes)
    init = {
        "input_dim": (channels, height, width),
        "num_filters": filters,
        "filter_size": size,
        "hidden_dim": hidden,
        "num_classes": classes,
        "weight_scale": 1e-3,
        "reg": draw(st.sampled_from([0.1, 0.0])),
        "dtype": np.float64,
    }
    X = normal(rng, n, channels, height, width)
    return {"init": init, "params": params, "X": X, "y": labels(rng, n, classes)}


def conv_net_oracle(params, init, inputs, dropout, convention):
    """conv (stride 1, size-preserving padding) - relu - 2x2 max pool - affine - relu - affine - softmax."""
    pad = (init["filter_size"] - 1) // 2
    out = F.conv2d(torch.as_tensor(inputs["X"]), params["W1"], params["b1"], padding=pad)
    out = F.max_pool2d(F.relu(out), 2, stride=2).flatten(1)
    out = F.relu(out @ params["W2"] + params["b2"])
    scores = out @ params["W3"] + params["b3"]
    return _data_loss(scores, inputs["y"]) + _penalty(params, init["reg"])


def _plain(init_parameters, loss_parameters, case, convention):
    return case["init"], {"X": case["X"], "y": case["y"]}


SPECS = [
    Model(
        "TwoLayerNet",
        cases=two_layer_cases(),
        adapt=two_layer_adapt,
        oracle=two_layer_oracle,
        course_convention="linear-reg",
        conventions=("affine - relu - affine - softmax; fc_net's TwoLayerNet adds 0.5 * reg * sum(W * W), "
                     "neural_net's (loss(X, y, reg)) follows the linear classifiers",),
    ),
    Model(
        "FullyConnectedNet",
        cases=fully_connected_cases(),
        adapt=fully_connected_adapt,
        oracle=fully_connected_oracle,
        masks=True,
        course_convention="dropout-p",
        conventions=(
            "{affine - [batch/layer norm] - relu - [dropout]} x (L - 1) - affine - softmax, + 0.5 * reg * sum(W * W)",
            "normalisation in train mode with eps 1e-5; dropout masks are your dropout_forward's with the net's seed",
        ),
    ),
    Model(
        "ThreeLayerConvNet",
        cases=conv_net_cases(),
        adapt=_plain,
        oracle=conv_net_oracle,
        conventions=("conv - relu - 2x2 max pool - affine - relu - affine - softmax, + 0.5 * reg * sum(W * W)",),
    ),
]
