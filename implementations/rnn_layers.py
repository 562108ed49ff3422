"""Your recurrent layers: the CS231n assignment-3 exercises, one function each.

Replace each `raise NotImplementedError(...)` with your code, then run
`pytest --impl implementations` from the repository root. Functions you have not written
yet are reported as skipped ("not implemented").

Conventions: every forward returns (out, cache); every backward takes (dout, cache), where
cache is whatever your own forward stored. Sequences are batch-first: x[:, t] is time step
t of every sample. Inputs are float64; never change an input array in place (work on
copies or use out-of-place operations).
"""

import numpy as np


# --------------------------------------------------------------------------------------
# Vanilla RNN
# --------------------------------------------------------------------------------------


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """One time step of a vanilla RNN with a tanh activation:

        next_h = tanh(x @ Wx + prev_h @ Wh + b)

    Inputs:
    - x: the input of this step, (N, D)
    - prev_h: the hidden state of the previous step, (N, H)
    - Wx: input-to-hidden weights, (D, H)
    - Wh: hidden-to-hidden weights, (H, H)
    - b: biases, (H,)

    Returns (next_h, cache): next_h of shape (N, H); cache for rnn_step_backward.
    """
    raise NotImplementedError("rnn_step_forward: write me")


def rnn_step_backward(dnext_h, cache):
    """Backward pass of one vanilla RNN step.

    Inputs: dnext_h, the upstream gradient of next_h (N, H); cache from rnn_step_forward.
    Returns (dx, dprev_h, dWx, dWh, db): dx (N, D), dprev_h (N, H), dWx (D, H),
    dWh (H, H), db (H,).
    """
    raise NotImplementedError("rnn_step_backward: write me")


def rnn_forward(x, h0, Wx, Wh, b):
    """A vanilla RNN run over a whole sequence of T steps, calling rnn_step_forward once
    per step; the hidden state of step t is the prev_h of step t + 1.

    Inputs:
    - x: the input sequence, (N, T, D)
    - h0: the initial hidden state, (N, H)
    - Wx: (D, H); Wh: (H, H); b: (H,), shared by every step

    Returns (h, cache): h of shape (N, T, H), h[:, t] the hidden state after step t
    (h0 itself is not included); cache for rnn_backward.
    """
    raise NotImplementedError("rnn_forward: write me")


def rnn_backward(dh, cache):
    """Backward pass of the vanilla RNN over the whole sequence.

    Inputs:
    - dh: the upstream gradient of EVERY hidden state, (N, T, H). h[:, t] also feeds step
      t + 1, so its total gradient is dh[:, t] plus what flows back from step t + 1.
    - cache: what rnn_forward stored

    Returns (dx, dh0, dWx, dWh, db): dx (N, T, D), dh0 (N, H), dWx (D, H), dWh (H, H),
    db (H,); the weights are shared, so their gradients add up over the steps.
    """
    raise NotImplementedError("rnn_backward: write me")


# --------------------------------------------------------------------------------------
# Word embedding
# --------------------------------------------------------------------------------------


def word_embedding_forward(x, W):
    """Word embedding: turns word indices into vectors, out[n, t] = W[x[n, t]].

    Inputs:
    - x: integer word indices, (N, T), each in [0, V)
    - W: the word vectors, (V, D), one row per word of the vocabulary

    Returns (out, cache): out of shape (N, T, D); cache for word_embedding_backward.
    """
    raise NotImplementedError("word_embedding_forward: write me")


def word_embedding_backward(dout, cache):
    """Backward pass of the word embedding. There is no gradient for x (integers).

    Inputs: dout, the upstream gradient (N, T, D); cache from word_embedding_forward.
    The indices may repeat: the same word can occur several times in x.
    Returns dW (V, D): a single array, not a tuple.
    """
    raise NotImplementedError("word_embedding_backward: write me")


# --------------------------------------------------------------------------------------
# LSTM
# --------------------------------------------------------------------------------------


def sigmoid(x):
    """A numerically stable version of the logistic sigmoid function (given, not an exercise)."""
    pos_mask = x >= 0
    neg_mask = x < 0
    z = np.zeros_like(x)
    z[pos_mask] = np.exp(-x[pos_mask])
    z[neg_mask] = np.exp(x[neg_mask])
    top = np.ones_like(x)
    top[neg_mask] = z[neg_mask]
    return top / (1 + z)


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """One time step of an LSTM.

    Inputs:
    - x: the input of this step, (N, D)
    - prev_h: the previous hidden state, (N, H)
    - prev_c: the previous cell state, (N, H)
    - Wx: input-to-hidden weights, (D, 4H)
    - Wh: hidden-to-hidden weights, (H, 4H)
    - b: biases, (4H,)

    Compute the activations a = x @ Wx + prev_h @ Wh + b, of shape (N, 4H), and split
    them into four gates IN THIS ORDER: a[:, :H] is the input gate i, a[:, H:2H] the forget
    gate f, a[:, 2H:3H] the output gate o, a[:, 3H:] the block input g. Then
        i = sigmoid(a_i), f = sigmoid(a_f), o = sigmoid(a_o), g = tanh(a_g)
        next_c = f * prev_c + i * g
        next_h = o * tanh(next_c)
    (use the sigmoid above).

    Returns (next_h, next_c, cache): next_h (N, H), next_c (N, H); cache for
    lstm_step_backward.
    """
    raise NotImplementedError("lstm_step_forward: write me")


def lstm_step_backward(dnext_h, dnext_c, cache):
    """Backward pass of one LSTM step.

    Inputs:
    - dnext_h: the upstream gradient of next_h, (N, H)
    - dnext_c: the upstream gradient of next_c, (N, H)
    - cache: what lstm_step_forward stored

    Returns (dx, dprev_h, dprev_c, dWx, dWh, db): dx (N, D), dprev_h (N, H),
    dprev_c (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,).
    """
    raise NotImplementedError("lstm_step_backward: write me")


def lstm_forward(x, h0, Wx, Wh, b):
    """An LSTM run over a whole sequence of T steps, calling lstm_step_forward once per step.

    Inputs:
    - x: the input sequence, (N, T, D)
    - h0: the initial hidden state, (N, H); the initial cell state is all zeros
    - Wx: (D, 4H); Wh: (H, 4H); b: (4H,), shared by every step

    Returns (h, cache): h of shape (N, T, H), h[:, t] the hidden state after step t
    (h0 itself is not included; the cell states are not returned); cache for lstm_backward.
    """
    raise NotImplementedError("lstm_forward: write me")


def lstm_backward(dh, cache):
    """Backward pass of the LSTM over the whole sequence.

    Inputs:
    - dh: the upstream gradient of EVERY hidden state, (N, T, H); as in rnn_backward,
      step t + 1 also sends gradient back to h[:, t], and to the cell state of step t
    - cache: what lstm_forward stored

    Returns (dx, dh0, dWx, dWh, db): dx (N, T, D), dh0 (N, H), dWx (D, 4H), dWh (H, 4H),
    db (4H,).
    """
    raise NotImplementedError("lstm_backward: write me")


# --------------------------------------------------------------------------------------
# Output layer and loss
# --------------------------------------------------------------------------------------


def temporal_affine_forward(x, w, b):
    """The same affine layer applied at every time step: out[:, t] = x[:, t] @ w + b.

    Inputs:
    - x: (N, T, D)
    - w: weights, (D, M)
    - b: biases, (M,)

    Returns (out, cache): out of shape (N, T, M); cache for temporal_affine_backward.
    """
    raise NotImplementedError("temporal_affine_forward: write me")


def temporal_affine_backward(dout, cache):
    """Backward pass of the temporal affine layer.

    Inputs: dout, the upstream gradient (N, T, M); cache from temporal_affine_forward.
    Returns (dx, dw, db): dx (N, T, D), dw (D, M), db (M,).
    """
    raise NotImplementedError("temporal_affine_backward: write me")


def temporal_softmax_loss(x, y, mask, verbose=False):
    """Softmax cross-entropy at every time step, over a vocabulary of V words, counting
    only the steps where mask is True (captions are padded with <NULL> words).

    Inputs:
    - x: scores, (N, T, V)
    - y: integer labels, (N, T), each in [0, V)
    - mask: booleans, (N, T); mask[n, t] says whether step t of sample n counts
    - verbose: if True, you may print debugging information

    loss = -(1 / N) * sum over n and t of mask[n, t] * log(softmax(x[n, t])[y[n, t]])
    Mind the division: by N, the batch size, NOT by the number of True entries in mask.
    Subtract each row's maximum before exponentiating (numerical stability).
    Returns (loss, dx): loss, a scalar; dx (N, T, V), zero at the masked-out steps.
    """
    raise NotImplementedError("temporal_softmax_loss: write me")
