"""Reference solution for CS231n assignment 3, `cs231n/classifiers/rnn.py`: CaptioningRNN.

An image feature vector (N, D) is projected to the initial hidden state; the caption is
fed in word by word through an embedding, a vanilla RNN or an LSTM, and an affine layer
to scores over the vocabulary. The loss is temporal_softmax_loss with <NULL> tokens masked
out. No regularisation.
"""

import numpy as np

from ..rnn_layers import *


class CaptioningRNN:
    """Image captioning with a recurrent net, on image features of dimension D, word
    vectors of dimension W, hidden size H and a vocabulary of V words.

    params: 'W_embed' (V, W); 'W_proj' (D, H), 'b_proj' (H,); 'Wx' (W, H), 'Wh' (H, H),
    'b' (H,) for "rnn", or (W, 4H), (H, 4H), (4H,) for "lstm"; 'W_vocab' (H, V), 'b_vocab' (V,).
    """

    def __init__(
        self,
        word_to_idx,
        input_dim=512,
        wordvec_dim=128,
        hidden_dim=128,
        cell_type="rnn",
        dtype=np.float32,
    ):
        """word_to_idx: dict from each of the V words to an integer in [0, V), with at least
        "<NULL>" (and usually "<START>" and "<END>"); input_dim: D; wordvec_dim: W;
        hidden_dim: H; cell_type: "rnn" or "lstm"; dtype: every parameter is cast to it.
        """
        if cell_type not in {"rnn", "lstm"}:
            raise ValueError(f'Invalid cell_type "{cell_type}"')

        self.cell_type = cell_type
        self.dtype = dtype
        self.word_to_idx = word_to_idx
        self.idx_to_word = {i: w for w, i in word_to_idx.items()}
        self.params = {}

        vocab_size = len(word_to_idx)

        self._null = word_to_idx["<NULL>"]
        self._start = word_to_idx.get("<START>", None)
        self._end = word_to_idx.get("<END>", None)

        # Word vectors
        self.params["W_embed"] = np.random.randn(vocab_size, wordvec_dim)
        self.params["W_embed"] /= 100

        # Image features -> initial hidden state
        self.params["W_proj"] = np.random.randn(input_dim, hidden_dim)
        self.params["W_proj"] /= np.sqrt(input_dim)
        self.params["b_proj"] = np.zeros(hidden_dim)

        # The recurrent cell; the LSTM has four gates
        dim_mul = {"lstm": 4, "rnn": 1}[cell_type]
        self.params["Wx"] = np.random.randn(wordvec_dim, dim_mul * hidden_dim)
        self.params["Wx"] /= np.sqrt(wordvec_dim)
        self.params["Wh"] = np.random.randn(hidden_dim, dim_mul * hidden_dim)
        self.params["Wh"] /= np.sqrt(hidden_dim)
        self.params["b"] = np.zeros(dim_mul * hidden_dim)

        # Hidden state -> vocabulary scores
        self.params["W_vocab"] = np.random.randn(hidden_dim, vocab_size)
        self.params["W_vocab"] /= np.sqrt(hidden_dim)
        self.params["b_vocab"] = np.zeros(vocab_size)

        for k, v in self.params.items():
            self.params[k] = v.astype(self.dtype)

    def loss(self, features, captions):
        """features: (N, D); captions: (N, T + 1) integers in [0, V).

        The net reads captions[:, :-1] and predicts captions[:, 1:], ignoring the positions
        where the word to predict is <NULL>. Returns (loss, grads), grads keyed like self.params.
        """
        captions_in = captions[:, :-1]
        captions_out = captions[:, 1:]
        mask = captions_out != self._null

        W_proj, b_proj = self.params["W_proj"], self.params["b_proj"]
        W_embed = self.params["W_embed"]
        Wx, Wh, b = self.params["Wx"], self.params["Wh"], self.params["b"]
        W_vocab, b_vocab = self.params["W_vocab"], self.params["b_vocab"]

        # Forward
        h0 = features @ W_proj + b_proj  # (N, H)
        x, embed_cache = word_embedding_forward(captions_in, W_embed)  # (N, T, W)
        if self.cell_type == "rnn":
            h, cell_cache = rnn_forward(x, h0, Wx, Wh, b)  # (N, T, H)
        else:
            h, cell_cache = lstm_forward(x, h0, Wx, Wh, b)
        scores, scores_cache = temporal_affine_forward(h, W_vocab, b_vocab)  # (N, T, V)
        loss, dscores = temporal_softmax_loss(scores, captions_out, mask)

        # Backward
        grads = {}
        dh, grads["W_vocab"], grads["b_vocab"] = temporal_affine_backward(dscores, scores_cache)
        if self.cell_type == "rnn":
            dx, dh0, grads["Wx"], grads["Wh"], grads["b"] = rnn_backward(dh, cell_cache)
        else:
            dx, dh0, grads["Wx"], grads["Wh"], grads["b"] = lstm_backward(dh, cell_cache)
        grads["W_embed"] = word_embedding_backward(dx, embed_cache)
        grads["W_proj"] = features.T @ dh0
        grads["b_proj"] = dh0.sum(axis=0)
        return loss, grads

    def sample(self, features, max_length=30):
        """Greedy decoding: feed <START>, then at every step the highest-scoring word.

        features: (N, D). Returns captions (N, max_length) of integers: captions[:, t] is
        the word chosen at step t (<START> itself is not included). Runs all max_length
        steps, also after <END>. For the LSTM the initial cell state is zero.
        """
        N = features.shape[0]
        captions = self._null * np.ones((N, max_length), dtype=np.int32)

        W_proj, b_proj = self.params["W_proj"], self.params["b_proj"]
        W_embed = self.params["W_embed"]
        Wx, Wh, b = self.params["Wx"], self.params["Wh"], self.params["b"]
        W_vocab, b_vocab = self.params["W_vocab"], self.params["b_vocab"]

        prev_h = features @ W_proj + b_proj  # (N, H)
        prev_c = np.zeros_like(prev_h)
        word = self._start * np.ones(N, dtype=np.int32)
        for t in range(max_length):
            x, _ = word_embedding_forward(word, W_embed)  # (N, W)
            if self.cell_type == "rnn":
                prev_h, _ = rnn_step_forward(x, prev_h, Wx, Wh, b)
            else:
                prev_h, prev_c, _ = lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b)
            scores = prev_h @ W_vocab + b_vocab  # (N, V)
            word = scores.argmax(axis=1)
            captions[:, t] = word
        return captions
