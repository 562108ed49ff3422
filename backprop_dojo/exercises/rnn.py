"""Specs of assignment 3's `rnn_layers.py` (NumPy, 2016-2024) and of CaptioningRNN.

The oracles run torch's own recurrent cells (torch.rnn_tanh_cell, torch.lstm_cell). Torch
orders an LSTM's gates i, f, g, o and CS231n i, f, o, g: the oracle reorders CS231n's weights.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import strategies as st

from ..specs import Model, Spec
from ..strategies import generators, labels, normal, scales

sizes = st.integers(1, 4)


def _weights(rng, dims, hidden, gates):
    return {
        "Wx": normal(rng, dims, gates * hidden, scale=1 / np.sqrt(dims)),
        "Wh": normal(rng, hidden, gates * hidden, scale=1 / np.sqrt(hidden)),
        "b": normal(rng, gates * hidden, scale=0.5),
    }


@st.composite
def recurrent_cases(draw, gates=1, sequence=False):
    """One step (x, prev_h[, prev_c]) or a whole sequence (x of shape (N, T, D), h0)."""
    rng, scale = draw(generators), draw(scales)
    n, dims, hidden = draw(sizes), draw(sizes), draw(sizes)
    case = _weights(rng, dims, hidden, gates)
    if sequence:
        case["x"] = normal(rng, n, draw(sizes), dims, scale=scale)
        case["h0"] = normal(rng, n, hidden)
    else:
        case["x"] = normal(rng, n, dims, scale=scale)
        case["prev_h"] = normal(rng, n, hidden)
        if gates == 4:
            case["prev_c"] = normal(rng, n, hidden)
    return case


def _torch_gates(weight):
    """CS231n's gates i, f, o, g in torch's order i, f, g, o, along the last axis."""
    i, f, o, g = weight.chunk(4, dim=-1)
    return torch.cat([i, f, g, o], dim=-1)


def rnn_step(x, prev_h, Wx, Wh, b):
    return torch.rnn_tanh_cell(x, prev_h, Wx.T, Wh.T, b)


def lstm_step(x, prev_h, prev_c, Wx, Wh, b):
    return torch.lstm_cell(x, (prev_h, prev_c), _torch_gates(Wx).T, _torch_gates(Wh).T, _torch_gates(b))


def rnn_sequence(x, h0, Wx, Wh, b):
    h, states = h0, []
    for t in range(x.shape[1]):
        h = rnn_step(x[:, t], h, Wx, Wh, b)
        states.append(h)
    return torch.stack(states, dim=1)


def lstm_sequence(x, h0, Wx, Wh, b):
    """The cell state starts at zeros."""
    h, c, states = h0, torch.zeros_like(h0), []
    for t in range(x.shape[1]):
        h, c = lstm_step(x[:, t], h, c, Wx, Wh, b)
        states.append(h)
    return torch.stack(states, dim=1)


@st.composite
def embedding_cases(draw):
    rng = draw(generators)
    vocab, n, steps = draw(st.integers(1, 6)), draw(sizes), draw(sizes)
    return {"x": labels(rng, n * steps, vocab).reshape(n, steps), "W": normal(rng, vocab, draw(sizes))}


@st.composite
def temporal_affine_cases(draw):
    rng, scale = draw(generators), draw(scales)
    n, steps, dims, m = draw(sizes), draw(sizes), draw(sizes), draw(sizes)
    return {"x": normal(rng, n, steps, dims, scale=scale), "w": normal(rng, dims, m), "b": normal(rng, m)}


@st.composite
def temporal_loss_cases(draw):
    rng, scale = draw(generators), draw(scales)
    n, steps, vocab = draw(sizes), draw(sizes), draw(st.integers(2, 5))
    return {
        "x": normal(rng, n, steps, vocab, scale=scale),
        "y": labels(rng, n * steps, vocab).reshape(n, steps),
        "mask": rng.random((n, steps)) < 0.7,
    }


def temporal_softmax_loss(x, y, mask):
    """Cross-entropy summed over the unmasked steps, divided by N (not by the mask's count)."""
    n, steps, vocab = x.shape
    losses = F.cross_entropy(x.reshape(-1, vocab), y.reshape(-1), reduction="none")
    return (losses * mask.reshape(-1)).sum() / n


NULL, START, END = 0, 1, 2


@st.composite
def captioning_cases(draw):
    rng = draw(generators)
    cell = draw(st.sampled_from(["rnn", "lstm"]))
    n, steps, vocab = draw(sizes), draw(st.integers(2, 5)), draw(st.integers(4, 7))
    dims, wordvec, hidden = draw(sizes), draw(sizes), draw(sizes)
    params = {
        "W_embed": normal(rng, vocab, wordvec),
        "W_proj": normal(rng, dims, hidden, scale=1 / np.sqrt(dims)),
        "b_proj": normal(rng, hidden, scale=0.1),
        **_weights(rng, wordvec, hidden, 4 if cell == "lstm" else 1),
        "W_vocab": normal(rng, hidden, vocab, scale=1 / np.sqrt(hidden)),
        "b_vocab": normal(rng, vocab, scale=0.1),
    }
    captions = labels(rng, n * steps, vocab).reshape(n, steps)
    captions[:, 0] = START
    lengths = rng.integers(1, steps + 1, n)
    captions[np.arange(steps) >= lengths[:, None]] = NULL  # padding after each caption
    words = {"<NULL>": NULL, "<START>": START, "<END>": END, **{f"word{i}": i for i in range(3, vocab)}}
    init = {"word_to_idx": words, "input_dim": dims, "wordvec_dim": wordvec, "hidden_dim": hidden,
            "cell_type": cell, "dtype": np.float64}
    return {"init": init, "params": params, "features": normal(rng, n, dims), "captions": captions}


def captioning_oracle(params, init, inputs, dropout, convention):
    """Project the features to h0, feed captions[:, :-1], predict captions[:, 1:]; <NULL>
    targets are masked out."""
    captions = torch.as_tensor(inputs["captions"])
    words_in, words_out = captions[:, :-1], captions[:, 1:]
    h0 = torch.as_tensor(inputs["features"]) @ params["W_proj"] + params["b_proj"]
    sequence = lstm_sequence if init["cell_type"] == "lstm" else rnn_sequence
    hidden = sequence(F.embedding(words_in, params["W_embed"]), h0, params["Wx"], params["Wh"], params["b"])
    scores = hidden @ params["W_vocab"] + params["b_vocab"]
    return temporal_softmax_loss(scores, words_out, words_out != NULL)


def _captioning_adapt(init_parameters, loss_parameters, case, convention):
    return case["init"], {"features": case["features"], "captions": case["captions"]}


SPECS = [
    Spec(
        forward="rnn_step_forward",
        backward=("rnn_step_backward",),
        signature=("x", "prev_h", "Wx", "Wh", "b"),
        cases=recurrent_cases(),
        oracle=rnn_step,
        outputs=("next_h",),
        grads=("x", "prev_h", "Wx", "Wh", "b"),
        conventions=("next_h = tanh(x @ Wx + prev_h @ Wh + b)",),
    ),
    Spec(
        forward="rnn_forward",
        backward=("rnn_backward",),
        signature=("x", "h0", "Wx", "Wh", "b"),
        cases=recurrent_cases(sequence=True),
        oracle=rnn_sequence,
        outputs=("h",),
        grads=("x", "h0", "Wx", "Wh", "b"),
        conventions=("dh holds the upstream gradient of every hidden state; the gradient from step t + 1 is carried back",),
    ),
    Spec(
        forward="word_embedding_forward",
        backward=("word_embedding_backward",),
        signature=("x", "W"),
        cases=embedding_cases(),
        oracle=lambda x, W: F.embedding(x, W),
        grads=("W",),
        conventions=("indices repeat: every occurrence adds its gradient to its row of dW",),
    ),
    Spec(
        forward="lstm_step_forward",
        backward=("lstm_step_backward",),
        signature=("x", "prev_h", "prev_c", "Wx", "Wh", "b"),
        cases=recurrent_cases(gates=4),
        oracle=lstm_step,
        outputs=("next_h", "next_c"),
        grads=("x", "prev_h", "prev_c", "Wx", "Wh", "b"),
        conventions=("the 4H activations split into gates in the order i, f, o, g",),
    ),
    Spec(
        forward="lstm_forward",
        backward=("lstm_backward",),
        signature=("x", "h0", "Wx", "Wh", "b"),
        cases=recurrent_cases(gates=4, sequence=True),
        oracle=lstm_sequence,
        outputs=("h",),
        grads=("x", "h0", "Wx", "Wh", "b"),
        conventions=("gates in the order i, f, o, g; the cell state starts at zeros",),
    ),
    Spec(
        forward="temporal_affine_forward",
        backward=("temporal_affine_backward",),
        signature=("x", "w", "b"),
        cases=temporal_affine_cases(),
        oracle=lambda x, w, b: x @ w + b,
        grads=("x", "w", "b"),
    ),
    Spec(
        forward="temporal_softmax_loss",
        signature=("x", "y", "mask"),
        cases=temporal_loss_cases(),
        oracle=temporal_softmax_loss,
        grads=("x",),
        loss=True,
        conventions=("the masked losses are summed and divided by N, not by the number of unmasked steps",),
    ),
    Model(
        "CaptioningRNN",
        cases=captioning_cases(),
        adapt=_captioning_adapt,
        oracle=captioning_oracle,
        conventions=("h0 = features @ W_proj + b_proj; the loss is temporal_softmax_loss over captions[:, 1:], <NULL> masked",),
    ),
]
