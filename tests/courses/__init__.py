"""Reconstructions of real CS231n folders, 2016-2025, read as the course wrote them.

Each reconstruction (layouts.py, one builder per YEARS key) is an assignment folder written
here: the year's layout (with or without cs231n/__init__.py and classifiers/__init__.py),
its starter stubs generated from reference/'s signatures in the year's banner style
(sources.py), the course's own files and helper modules (helpers.py: data_utils, vis_utils,
solver, gradient_check, image_utils, setup.py, fast_layers with a missing im2col_cython),
and learner code rewritten from reference/ with bugs (tests/bugs) and side effects applied.
Every registered exercise has an expected verdict in every folder:
test_courses.py checks them in process, test_agreement.py (slow) through pytest and grade.

Folders: 2016/assignment1, 2016/assignment2, 2016/assignment3, 2017/assignment1,
2017/assignment2, 2017/assignment2-no-fast-layers, 2018/assignment2, 2019/assignment2,
2019/assignment3, 2020/assignment1, 2021/assignment2, 2022/assignment1, 2023/assignment2,
2024/assignment3, 2025/assignment1, 2025/assignment2.

What pins each kind of the issue "Real CS231n folders, read as the course wrote them":

| kind | what | pinned by (folder: exercise -> verdict) |
|---|---|---|
| 1 | namespace packages invisible | 2016/assignment1 (no cs231n/__init__.py): KNearestNeighbor.*, svm_loss_* -> passed; 2016/assignment3 (no __init__ anywhere): rnn_*, CaptioningRNN.loss -> passed; 2019/assignment3 likewise; every assignment 2 from 2019 (no classifiers/__init__.py): FullyConnectedNet.loss -> passed |
| 2 | a failing package __init__ hides modules (past/six) | 2016/assignment1, 2017/assignment1, 2020/assignment1, 2022/assignment1: classifiers/__init__.py imports modules starting `from past.builtins import xrange` (data_utils uses six): KNearestNeighbor.*, softmax_loss_* judged (passed/failed as written) |
| 3 | fast-layer stand-in only when fast_layers.py exists | 2017/assignment2-no-fast-layers (layer_utils, fc_net, cnn import the absent cs231n.fast_layers): TwoLayerNet.loss, FullyConnectedNet.loss, ThreeLayerConvNet.loss -> failed, the message naming fast_layers; with fast_layers.py and no im2col_cython (2018/assignment2, 2019/assignment2, 2023/assignment2, and 2016/assignment2 with only im2col_cython.pyd): ThreeLayerConvNet.loss -> passed (2016: failed for its own print statement) |
| 4 | PyTorch modules taken for NumPy exercises | 2025/assignment2 (rnn_layers_pytorch.py, classifiers/rnn_pytorch.py, no rnn_layers.py): rnn_*, lstm_*, word_embedding_*, temporal_*, CaptioningRNN.loss -> not implemented |
| 5 | real starter stubs reported failed | stubs in every year's style: 2017/assignment1 (kNN zeros with `pass` loops, `loss = 0.0; dW = np.zeros_like(W)`, neural_net returning None), 2017/assignment2 and 2021/assignment2 (nets' `(0.0, {})`, optimizers' `(None, config)`), 2022/assignment1 and 2025/assignment1 (assignment 2's stubs untouched: dropout's astype on None, `(None, (x, w, b, conv_param))`, batchnorm's `(None, None)`) -> not implemented |
| 6 | unimportable module must fail with file/line/reason; nothing found is an error | 2016/assignment2: ThreeLayerConvNet.loss (cnn.py has `print "scores:", ...`) -> failed, message with cnn.py, the line and "Python 2 syntax: print statement"; gradient_check.py's print statement hides nothing; tests/harness/test_pytest_runs.py::test_a_folder_where_nothing_is_found_is_an_error_with_a_hint |
| 7 | a backward blamed for its forward | 2017/assignment2: relu_forward (leaky) -> failed, relu_backward -> not checked; batchnorm_backward_alt (forgets gamma) -> failed, spatial_batchnorm_backward (calls it) -> not checked; 2023/assignment2 likewise for the alt; 2018/assignment2: spatial_groupnorm_forward -> failed, spatial_groupnorm_backward -> not checked |
| 8 | the course's efficient Adam | 2016/assignment3, 2019/assignment3, 2024/assignment3 (the course's optim.py, in place): adam -> passed |
| 9 | 2017 Adam t starts at 1 | 2017/assignment2: adam (`config.setdefault('t', 1)`, incremented before use) -> passed under 2017 |
| 10 | RMSProp eps inside or outside the sqrt | 2018/assignment2: rmsprop with eps inside -> passed; every other folder with optim.py: outside -> passed |
| 11 | networks | 2018/assignment2: TwoLayerNet.loss with `self.params["b1"] = 0` -> passed, FullyConnectedNet(dropout=1, normalization=None) -> passed; 2016/assignment2: FullyConnectedNet(dropout=0, use_batchnorm=False) -> passed; 2025/assignment1: FullyConnectedNet without normalization or dropout -> passed; neural_net.TwoLayerNet (2016, 2020) -> passed |
| 12 | side effects with right values -> warned | 2018/assignment2: relu_backward (`dx = dout; dx[x < 0] = 0`), softmax_loss (`logits = x; logits -= ...`); 2019/assignment3: lstm_step_backward (`dnext_c += ...`); 2021/assignment2: affine_backward (db of shape (1, M)) -> warned |
| 13 | fresh strings (`is "rnn"`) | 2019/assignment3: CaptioningRNN.loss -> failed (test_agreement: in pytest and grade too) |
| 14 | conventions by course year | 2016/assignment1: svm_loss_*, softmax_loss_naive with 0.5 * reg, neural_net with 0.5 * reg -> passed under 2016; 2016/assignment2 and 2017/assignment2: dropout_* with p the drop probability -> passed under 2016/2017 |
| 15 | same verdict twice | test_the_same_folder_gets_the_same_verdicts_twice (2017/assignment2); the slow test judges every folder twice |
| 16 | a reproducer the learner can paste | skipped: pinned elsewhere |
| 17 | misleading hints | skipped: pinned elsewhere |

Bugs (one edit each, from tests/bugs) -> failed: softmax_loss_vectorized (2016/a1),
batchnorm_backward_alt (2017/a2, 2023/a2), spatial_groupnorm_forward (2018/a2), svm_loss,
adam (2019/a2), compute_distances_no_loops, predict_labels, softmax_loss_naive (2020/a1),
svm_loss_vectorized (2022/a1). A folder never holds an ambiguous case: wherever a layer fails,
the nets that call it are stubs.
"""
