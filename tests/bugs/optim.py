"""Bugs in assignment 2's optim.py."""

from .bug import Bug

OPTIM = "reference.optim"

BUGS = [
    Bug(
        "sgd",
        "steps up the gradient",
        'next_w = w - config["learning_rate"] * dw\n',
        'next_w = w + config["learning_rate"] * dw\n',
        OPTIM,
    ),
    Bug(
        "sgd_momentum",
        "velocity not written back",
        '    config["velocity"] = v\n',
        "",
        OPTIM,
    ),
    Bug(
        "sgd_momentum",
        "momentum applied to the gradient",
        'v = config["momentum"] * config["velocity"] - config["learning_rate"] * dw',
        'v = config["velocity"] - config["momentum"] * config["learning_rate"] * dw',
        OPTIM,
    ),
    Bug(
        "rmsprop",
        "decay applied to the new gradient instead of the cache",
        'cache = decay * config["cache"] + (1 - decay) * dw**2',
        'cache = (1 - decay) * config["cache"] + decay * dw**2',
        OPTIM,
    ),
    Bug(
        "rmsprop",
        "gradient not squared",
        'cache = decay * config["cache"] + (1 - decay) * dw**2',
        'cache = decay * config["cache"] + (1 - decay) * np.abs(dw)',
        OPTIM,
    ),
    Bug("rmsprop", "cache not written back", '    config["cache"] = cache\n', "", OPTIM),
    Bug(
        "adam",
        "no bias correction",
        'next_w = w - config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"])',
        'next_w = w - config["learning_rate"] * m / (np.sqrt(v) + config["epsilon"])',
        OPTIM,
    ),
    Bug("adam", "t not incremented: the first step divides by 1 - beta1**0 = 0",
        't = config["t"] + 1', 't = config["t"]', OPTIM),
    Bug(
        "adam",
        "m instead of m-hat in the update",
        'config["learning_rate"] * mt / (np.sqrt(vt)',
        'config["learning_rate"] * m / (np.sqrt(vt)',
        OPTIM,
    ),
    Bug(
        "adam",
        "v not squared",
        'v = beta2 * config["v"] + (1 - beta2) * dw**2',
        'v = beta2 * config["v"] + (1 - beta2) * np.abs(dw)',
        OPTIM,
    ),
    Bug("adam", "v bias-corrected with beta1", "vt = v / (1 - beta2**t)", "vt = v / (1 - beta1**t)", OPTIM),
    Bug("adam", "t not written back", '    config["t"] = t\n', "", OPTIM),
    Bug("adam", "m not written back", '    config["m"] = m\n', "", OPTIM),
]
