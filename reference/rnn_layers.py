"""Reference solutions for CS231n assignment 3, `cs231n/rnn_layers.py`.

Every layer returns (out, cache) and every backward pass takes (dout, cache), where cache
is whatever the matching forward pass stored. Sequences are batch-first: (N, T, ...).
Written to be read: plain NumPy, one step per line, a Python loop over the time steps.
"""

import numpy as np


# --------------------------------------------------------------------------------------
# Vanilla RNN
# --------------------------------------------------------------------------------------


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """One time step of a vanilla RNN: next_h = tanh(x @ Wx + prev_h @ Wh + b).

    x: (N, D); prev_h: (N, H); Wx: (D, H); Wh: (H, H); b: (H,).
    Returns next_h (N, H) and cache (x, prev_h, Wx, Wh, next_h).
    """
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)
    cache = (x, prev_h, Wx, Wh, next_h)
    return next_h, cache


def rnn_step_backward(dnext_h, cache):
    """dnext_h: (N, H). Returns dx (N, D), dprev_h (N, H), dWx (D, H), dWh (H, H), db (H,)."""
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - next_h**2)  # tanh'(a) = 1 - tanh(a)^2
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    return dx, dprev_h, dWx, dWh, db


def rnn_forward(x, h0, Wx, Wh, b):
    """A vanilla RNN over a whole sequence, one rnn_step_forward per time step.

    x: (N, T, D); h0: (N, H); Wx: (D, H); Wh: (H, H); b: (H,).
    Returns h (N, T, H), the hidden state of every step, and cache (one cache per step).
    """
    N, T, D = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H), dtype=h0.dtype)
    cache = []
    prev_h = h0
    for t in range(T):
        prev_h, step_cache = rnn_step_forward(x[:, t], prev_h, Wx, Wh, b)
        h[:, t] = prev_h
        cache.append(step_cache)
    return h, cache


def rnn_backward(dh, cache):
    """dh: (N, T, H), the upstream gradient of every hidden state.

    Returns dx (N, T, D), dh0 (N, H), dWx (D, H), dWh (H, H), db (H,).
    """
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.zeros((N, T, D), dtype=dh.dtype)
    dWx = np.zeros((D, H), dtype=dh.dtype)
    dWh = np.zeros((H, H), dtype=dh.dtype)
    db = np.zeros(H, dtype=dh.dtype)
    dprev_h = np.zeros((N, H), dtype=dh.dtype)  # what step t + 1 sends back to h[:, t]
    for t in reversed(range(T)):
        dnext_h = dh[:, t] + dprev_h
        dx[:, t], dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(dnext_h, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    dh0 = dprev_h
    return dx, dh0, dWx, dWh, db


# --------------------------------------------------------------------------------------
# Word embedding
# --------------------------------------------------------------------------------------


def word_embedding_forward(x, W):
    """Looks up the vector of every word: out[n, t] = W[x[n, t]].

    x: (N, T) integers in [0, V); W: (V, D). Returns out (N, T, D) and cache (x, W).
    """
    out = W[x]
    cache = (x, W)
    return out, cache


def word_embedding_backward(dout, cache):
    """dout: (N, T, D). Returns dW (V, D); a word used several times gets the sum."""
    x, W = cache
    dW = np.zeros_like(W)
    np.add.at(dW, x, dout)  # unlike dW[x] += dout, adds once per occurrence of a repeated index
    return dW


# --------------------------------------------------------------------------------------
# LSTM
# --------------------------------------------------------------------------------------


def sigmoid(x):
    """A numerically stable version of the logistic sigmoid function."""
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

    x: (N, D); prev_h, prev_c: (N, H); Wx: (D, 4H); Wh: (H, 4H); b: (4H,).
    a = x @ Wx + prev_h @ Wh + b is split into the gates i, f, o, g, in that order;
    next_c = f * prev_c + i * g; next_h = o * tanh(next_c).
    Returns next_h (N, H), next_c (N, H) and cache.
    """
    H = prev_h.shape[1]
    a = x @ Wx + prev_h @ Wh + b  # (N, 4H)
    i = sigmoid(a[:, :H])  # input gate
    f = sigmoid(a[:, H:2 * H])  # forget gate
    o = sigmoid(a[:, 2 * H:3 * H])  # output gate
    g = np.tanh(a[:, 3 * H:])  # candidate cell
    next_c = f * prev_c + i * g
    tanh_c = np.tanh(next_c)
    next_h = o * tanh_c
    cache = (x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c)
    return next_h, next_c, cache


def lstm_step_backward(dnext_h, dnext_c, cache):
    """dnext_h, dnext_c: (N, H).

    Returns dx (N, D), dprev_h (N, H), dprev_c (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,).
    """
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c = cache

    # next_h = o * tanh(next_c): next_c gets gradient from next_h as well as from dnext_c
    do = dnext_h * tanh_c
    dc = dnext_c + dnext_h * o * (1 - tanh_c**2)

    # next_c = f * prev_c + i * g
    df = dc * prev_c
    dprev_c = dc * f
    di = dc * g
    dg = dc * i

    # the gates: sigmoid'(a) = s * (1 - s), tanh'(a) = 1 - tanh(a)^2; same order i, f, o, g
    da = np.hstack((
        di * i * (1 - i),
        df * f * (1 - f),
        do * o * (1 - o),
        dg * (1 - g**2),
    ))  # (N, 4H)

    # a = x @ Wx + prev_h @ Wh + b
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    return dx, dprev_h, dprev_c, dWx, dWh, db


def lstm_forward(x, h0, Wx, Wh, b):
    """An LSTM over a whole sequence, one lstm_step_forward per time step.

    x: (N, T, D); h0: (N, H); Wx: (D, 4H); Wh: (H, 4H); b: (4H,). The initial cell state
    is zero. Returns h (N, T, H), the hidden state of every step, and cache (one per step).
    """
    N, T, D = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H), dtype=h0.dtype)
    cache = []
    prev_h = h0
    prev_c = np.zeros_like(h0)
    for t in range(T):
        prev_h, prev_c, step_cache = lstm_step_forward(x[:, t], prev_h, prev_c, Wx, Wh, b)
        h[:, t] = prev_h
        cache.append(step_cache)
    return h, cache


def lstm_backward(dh, cache):
    """dh: (N, T, H), the upstream gradient of every hidden state.

    Returns dx (N, T, D), dh0 (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,).
    """
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.zeros((N, T, D), dtype=dh.dtype)
    dWx = np.zeros((D, 4 * H), dtype=dh.dtype)
    dWh = np.zeros((H, 4 * H), dtype=dh.dtype)
    db = np.zeros(4 * H, dtype=dh.dtype)
    dprev_h = np.zeros((N, H), dtype=dh.dtype)  # what step t + 1 sends back to h[:, t]
    dprev_c = np.zeros((N, H), dtype=dh.dtype)  # and to the cell state c[:, t]
    for t in reversed(range(T)):
        dnext_h = dh[:, t] + dprev_h
        dx[:, t], dprev_h, dprev_c, dWx_t, dWh_t, db_t = lstm_step_backward(dnext_h, dprev_c, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    dh0 = dprev_h
    return dx, dh0, dWx, dWh, db


# --------------------------------------------------------------------------------------
# Output layer and loss
# --------------------------------------------------------------------------------------


def temporal_affine_forward(x, w, b):
    """The same affine layer at every time step: out[:, t] = x[:, t] @ w + b.

    x: (N, T, D); w: (D, M); b: (M,). Returns out (N, T, M) and cache (x, w, b).
    """
    N, T, D = x.shape
    M = b.shape[0]
    out = (x.reshape(N * T, D) @ w).reshape(N, T, M) + b
    cache = (x, w, b)
    return out, cache


def temporal_affine_backward(dout, cache):
    """dout: (N, T, M). Returns dx (N, T, D), dw (D, M), db (M,)."""
    x, w, b = cache
    N, T, D = x.shape
    M = b.shape[0]
    dout_rows = dout.reshape(N * T, M)
    dx = (dout_rows @ w.T).reshape(N, T, D)
    dw = x.reshape(N * T, D).T @ dout_rows
    db = dout_rows.sum(axis=0)
    return dx, dw, db


def temporal_softmax_loss(x, y, mask, verbose=False):
    """Softmax cross-entropy at every time step, counting only the steps where mask is True.

    x: (N, T, V) scores; y: (N, T) labels in [0, V); mask: (N, T) booleans.
    loss = -sum over n, t of mask[n, t] * log softmax(x[n, t])[y[n, t]], divided by N
    (the batch size, not the number of unmasked steps). Returns loss (scalar), dx (N, T, V).
    """
    N, T, V = x.shape
    x_flat = x.reshape(N * T, V)
    y_flat = y.reshape(N * T)
    mask_flat = mask.reshape(N * T)
    rows = np.arange(N * T)

    shifted = x_flat - x_flat.max(axis=1, keepdims=True)  # for numerical stability
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -np.sum(mask_flat * log_probs[rows, y_flat]) / N

    dx_flat = np.exp(log_probs)
    dx_flat[rows, y_flat] -= 1
    dx_flat /= N
    dx_flat *= mask_flat[:, np.newaxis]
    if verbose:
        print("dx_flat: ", dx_flat.shape)
    dx = dx_flat.reshape(N, T, V)
    return loss, dx
