"""Your image-captioning net: CS231n `cs231n/classifiers/rnn.py`, CaptioningRNN.

The net turns an image feature vector into the initial hidden state, then reads a
caption word by word through a word embedding, a vanilla RNN or an LSTM, and a temporal
affine layer giving scores over the vocabulary at every step. __init__ is given (as in the
assignment); write loss and sample, from your layers in `rnn_layers.py`. No regularisation.
"""

import numpy as np

from ..rnn_layers import *


class CaptioningRNN:
    """Image captioning with a recurrent net, on image features of dimension D, word
    vectors of dimension W, hidden size H and a vocabulary of V words.

    self.params:
    - 'W_embed': (V, W), the word vectors
    - 'W_proj': (D, H), 'b_proj': (H,), image features -> initial hidden state h0
    - 'Wx': (W, H), 'Wh': (H, H), 'b': (H,) for cell_type "rnn";
      (W, 4H), (H, 4H), (4H,) for "lstm"
    - 'W_vocab': (H, V), 'b_vocab': (V,), hidden states -> vocabulary scores
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
        """Given, not an exercise.

        Inputs:
        - word_to_idx: dict from each of the V words of the vocabulary to an integer in
          [0, V); it has "<NULL>" (the padding word) and usually "<START>" and "<END>"
        - input_dim: D, the size of an image feature vector
        - wordvec_dim: W, the size of a word vector
        - hidden_dim: H, the size of the hidden state
        - cell_type: "rnn" or "lstm"
        - dtype: every parameter is cast to this NumPy dtype (float64 for gradient checks)
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
        """The training loss and its gradients.

        Inputs:
        - features: image features, (N, D)
        - captions: ground-truth captions, (N, T + 1), integers in [0, V)

        The net reads captions_in = captions[:, :-1] and must predict
        captions_out = captions[:, 1:] (the next word at every step). Positions where
        captions_out is <NULL> (self._null) do not count: pass mask = captions_out != self._null
        to temporal_softmax_loss.
        Steps: h0 = features @ W_proj + b_proj; embed captions_in with W_embed; run the RNN
        or the LSTM (self.cell_type) from h0; temporal affine to vocabulary scores with
        W_vocab, b_vocab; temporal softmax loss; then the backward pass through all of it.

        Returns (loss, grads): loss, a scalar; grads, a dict with the same keys as
        self.params, grads[name] of the same shape as self.params[name].
        """
        raise NotImplementedError("CaptioningRNN.loss: write me")

    def sample(self, features, max_length=30):
        """Greedy captioning at test time, one word per step.

        Inputs:
        - features: image features, (N, D)
        - max_length: T, the number of words to generate

        h0 = features @ W_proj + b_proj (and, for the LSTM, a zero initial cell state).
        At the first step feed the <START> word (self._start); at every step embed the
        current word, take one RNN or LSTM step, compute the vocabulary scores from the new
        hidden state, and choose the highest-scoring word, which is the next step's input.
        Keep going for all max_length steps, even after an <END> word.

        Returns captions, an integer array (N, max_length): captions[:, t] is the word
        chosen at step t (the <START> fed in first is not part of it).
        """
        # Given, not an exercise: it runs your step functions once they pass.
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
