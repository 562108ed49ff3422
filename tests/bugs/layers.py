"""Bugs in assignment 2's layers.py."""

from .bug import Bug

BUGS = [
    Bug("affine_forward", "forgets the bias", "out = x.reshape(N, -1) @ w + b", "out = x.reshape(N, -1) @ w"),
    Bug("affine_backward", "dx keeps the flattened shape", "dx = (dout @ w.T).reshape(x.shape)", "dx = dout @ w.T"),
    Bug("affine_backward", "averages db over the batch", "db = dout.sum(axis=0)", "db = dout.mean(axis=0)"),
    Bug("relu_forward", "lets negatives leak", "out = np.maximum(0, x)", "out = np.where(x > 0, x, 0.01 * x)"),
    Bug("relu_backward", "forgets to multiply by dout", "dx = dout * (x > 0)", "dx = 1.0 * (x > 0)"),
    Bug("softmax_loss", "sums the loss instead of averaging", "loss = -log_probs[rows, y].mean()", "loss = -log_probs[rows, y].sum()"),
    Bug("softmax_loss", "does not average dx", "    dx /= N\n", ""),
    Bug("svm_loss", "counts the correct class's margin", "    margins[rows, y] = 0\n", ""),
    Bug("svm_loss", "forgets the correct class's gradient", "positive[rows, y] = -positive.sum(axis=1)", "positive[rows, y] = 0"),
    Bug("batchnorm_forward", "unbiased variance", "var = x.var(axis=0)", "var = x.var(axis=0, ddof=1)"),
    Bug("batchnorm_forward", "eps outside the sqrt", "x_hat = (x - mean) / np.sqrt(var + eps)", "x_hat = (x - mean) / (np.sqrt(var) + eps)"),
    Bug(
        "batchnorm_forward",
        "momentum weighs the batch",
        "running_mean = momentum * running_mean + (1 - momentum) * mean",
        "running_mean = (1 - momentum) * running_mean + momentum * mean",
    ),
    Bug(
        "batchnorm_forward",
        "test mode uses the batch statistics",
        "x_hat = (x - running_mean) / np.sqrt(running_var + eps)",
        "x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)",
    ),
    Bug("batchnorm_forward", "running_var not written back", '    bn_param["running_var"] = running_var\n', ""),
    Bug("batchnorm_backward", "forgets the term through the mean", "dx = dcentered + dmean / N", "dx = dcentered"),
    Bug(
        "batchnorm_backward",
        "forgets the term through the variance",
        "dcentered = dcentered + 2.0 * centered * dvar / N",
        "dcentered = dcentered",
    ),
    Bug("batchnorm_backward_alt", "forgets the term through the mean", "N * dout - dout.sum(axis=0)", "N * dout"),
    Bug("batchnorm_backward_alt", "forgets gamma", "(1.0 / N) * gamma * inv_std", "(1.0 / N) * inv_std"),
    Bug(
        "layernorm_forward",
        "normalises over the batch",
        "mean = x.mean(axis=1, keepdims=True)",
        "mean = x.mean(axis=0, keepdims=True)",
    ),
    Bug(
        "layernorm_forward",
        "eps outside the sqrt",
        "inv_std = 1.0 / np.sqrt(var + eps)\n    x_hat = (x - mean) * inv_std",
        "inv_std = 1.0 / (np.sqrt(var) + eps)\n    x_hat = (x - mean) * inv_std",
    ),
    Bug(
        "layernorm_backward",
        "forgets the term through the variance",
        "dx = inv_std / D * (D * dx_hat - row_sum - x_hat * row_dot)",
        "dx = inv_std / D * (D * dx_hat - row_sum)",
    ),
    Bug(
        "dropout_forward",
        "non-inverted dropout",
        "mask = (np.random.rand(*x.shape) < p) / p",
        "mask = (np.random.rand(*x.shape) < p) * 1.0",
    ),
    Bug("dropout_forward", "p read as the drop probability", "(np.random.rand(*x.shape) < p)", "(np.random.rand(*x.shape) > p)"),
    Bug("dropout_forward", "ignores the seed", 'np.random.seed(dropout_param["seed"])', "pass"),
    Bug("dropout_forward", "scales in test mode", "out = x.copy()", "out = x * p"),
    Bug(
        "dropout_backward",
        "draws a fresh mask",
        "dx = dout * mask",
        'dx = dout * (np.random.rand(*dout.shape) < dropout_param["p"]) / dropout_param["p"]',
    ),
    Bug("conv_forward_naive", "forgets the bias", 'np.einsum("nchw,fchw->nf", window, w) + b', 'np.einsum("nchw,fchw->nf", window, w)'),
    Bug(
        "conv_forward_naive",
        "ignores the stride",
        "top, left = i * stride, j * stride\n            window = x_pad[:, :, top:top + HH, left:left + WW]  # (N, C, HH, WW)\n            out",
        "top, left = i, j\n            window = x_pad[:, :, top:top + HH, left:left + WW]  # (N, C, HH, WW)\n            out",
    ),
    Bug("conv_backward_naive", "crops dx without the padding offset", "dx = dx_pad[:, :, pad:pad + H, pad:pad + W]", "dx = dx_pad[:, :, :H, :W]"),
    Bug(
        "conv_backward_naive",
        "ignores the stride",
        "top, left = i * stride, j * stride\n            window = x_pad[:, :, top:top + HH, left:left + WW]  # (N, C, HH, WW)\n            d =",
        "top, left = i, j\n            window = x_pad[:, :, top:top + HH, left:left + WW]  # (N, C, HH, WW)\n            d =",
    ),
    Bug(
        "max_pool_forward_naive",
        "steps by the pool size instead of the stride",
        "top, left = i * stride, j * stride\n            window = x[:, :, top:top + ph, left:left + pw]  # (N, C, ph, pw)\n            out",
        "top, left = i * ph, j * pw\n            window = x[:, :, top:top + ph, left:left + pw]  # (N, C, ph, pw)\n            out",
    ),
    Bug(
        "max_pool_backward_naive",
        "overwrites instead of adding where windows overlap",
        "dx[n, c, top + row, left + col] += dout[:, :, i, j]",
        "dx[n, c, top + row, left + col] = dout[:, :, i, j]",
    ),
    Bug(
        "spatial_batchnorm_forward",
        "reshapes to (N*H*W, C) without moving C last",
        "x_rows = x.transpose(0, 2, 3, 1).reshape(-1, C)",
        "x_rows = x.reshape(-1, C)",
    ),
    Bug(
        "spatial_batchnorm_backward",
        "reshapes dout without moving C last",
        "dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, C)",
        "dout_rows = dout.reshape(-1, C)",
    ),
    Bug(
        "spatial_groupnorm_forward",
        "unbiased variance",
        "var = groups.var(axis=2, keepdims=True)",
        "var = groups.var(axis=2, keepdims=True, ddof=1)",
    ),
    Bug(
        "spatial_groupnorm_backward",
        "dgamma of shape (C,)",
        "dgamma = (dout * x_hat).sum(axis=(0, 2, 3), keepdims=True)",
        "dgamma = (dout * x_hat).sum(axis=(0, 2, 3))",
    ),
    Bug(
        "softmax_loss",
        "an unstable softmax: no shift by the row's maximum",
        "shifted = x - x.max(axis=1, keepdims=True)",
        "shifted = x",
    ),
    Bug(
        "dropout_forward",
        "one mask shared by every sample of the batch",
        "mask = (np.random.rand(*x.shape) < p) / p",
        "mask = (np.random.rand(*x.shape[1:]) < p) / p",
    ),
    Bug(
        "max_pool_backward_naive",
        "sends dout to every tied maximum",
        "flat_argmax = window.reshape(N, C, -1).argmax(axis=2)\n"
        "            row, col = np.unravel_index(flat_argmax, (ph, pw))\n"
        "            dx[n, c, top + row, left + col] += dout[:, :, i, j]",
        "is_max = window == window.max(axis=(2, 3), keepdims=True)\n"
        "            dx[:, :, top:top + ph, left:left + pw] += is_max * dout[:, :, i, j][:, :, None, None]",
    ),
]
