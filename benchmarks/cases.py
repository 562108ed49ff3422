"""The benchmarks' inputs: the CS231n notebooks' gradient checks, scalable along the batch,
and realistic training sizes."""

import numpy as np

rng = np.random.default_rng(231)


def _normal(*shape):
    return rng.standard_normal(shape)


def notebook_case(name: str, scale: int = 1) -> dict:
    """The case the assignment-2 notebook checks `name` on; `scale` multiplies N."""

    def n(base: int) -> int:
        return base * scale

    builders = {
        "affine_forward": lambda: {"x": _normal(n(10), 2, 3), "w": _normal(6, 5), "b": _normal(5)},
        "relu_forward": lambda: {"x": _normal(n(10), 10)},
        "batchnorm_forward": lambda: {
            "x": 5 * _normal(n(4), 5) + 12,
            "gamma": _normal(5),
            "beta": _normal(5),
            "bn_param": {"mode": "train"},
        },
        "layernorm_forward": lambda: {
            "x": 5 * _normal(n(4), 5) + 12,
            "gamma": _normal(5),
            "beta": _normal(5),
            "ln_param": {},
        },
        "dropout_forward": lambda: {"x": _normal(n(10), 10) + 10, "dropout_param": {"mode": "train", "p": 0.2, "seed": 123}},
        "conv_forward_naive": lambda: {
            "x": _normal(n(4), 3, 5, 5),
            "w": _normal(2, 3, 3, 3),
            "b": _normal(2),
            "conv_param": {"stride": 1, "pad": 1},
        },
        "max_pool_forward_naive": lambda: {
            "x": _normal(n(3), 2, 8, 8),
            "pool_param": {"pool_height": 2, "pool_width": 2, "stride": 2},
        },
        "spatial_batchnorm_forward": lambda: {
            "x": 4 * _normal(n(2), 3, 4, 5) + 10,
            "gamma": _normal(3),
            "beta": _normal(3),
            "bn_param": {"mode": "train"},
        },
        "spatial_groupnorm_forward": lambda: {
            "x": 4 * _normal(n(2), 6, 4, 5) + 10,
            "gamma": _normal(1, 6, 1, 1),
            "beta": _normal(1, 6, 1, 1),
            "G": 2,
            "gn_param": {},
        },
    }
    return builders[name]()


NOTEBOOK_EXERCISES = (
    "affine_forward",
    "relu_forward",
    "batchnorm_forward",
    "layernorm_forward",
    "dropout_forward",
    "conv_forward_naive",
    "max_pool_forward_naive",
    "spatial_batchnorm_forward",
    "spatial_groupnorm_forward",
)

# Training-size inputs, as a CIFAR-10 network sees them.
REALISTIC = {
    "affine_forward": lambda: {"x": _normal(128, 3, 32, 32), "w": _normal(3072, 100), "b": _normal(100)},
    "relu_forward": lambda: {"x": _normal(128, 4096)},
    "batchnorm_forward": lambda: {
        "x": _normal(128, 1024),
        "gamma": _normal(1024),
        "beta": _normal(1024),
        "bn_param": {"mode": "train"},
    },
    "layernorm_forward": lambda: {"x": _normal(128, 1024), "gamma": _normal(1024), "beta": _normal(1024), "ln_param": {}},
    "dropout_forward": lambda: {"x": _normal(128, 4096), "dropout_param": {"mode": "train", "p": 0.5, "seed": 1}},
    "conv_forward_naive": lambda: {
        "x": _normal(16, 3, 32, 32),
        "w": _normal(16, 3, 3, 3),
        "b": _normal(16),
        "conv_param": {"stride": 1, "pad": 1},
    },
    "max_pool_forward_naive": lambda: {
        "x": _normal(16, 16, 32, 32),
        "pool_param": {"pool_height": 2, "pool_width": 2, "stride": 2},
    },
    "spatial_batchnorm_forward": lambda: {
        "x": _normal(16, 16, 32, 32),
        "gamma": _normal(16),
        "beta": _normal(16),
        "bn_param": {"mode": "train"},
    },
    "spatial_groupnorm_forward": lambda: {
        "x": _normal(16, 16, 32, 32),
        "gamma": _normal(1, 16, 1, 1),
        "beta": _normal(1, 16, 1, 1),
        "G": 4,
        "gn_param": {},
    },
}
