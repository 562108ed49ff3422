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
        "epsilon inside the sqrt",
        'next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])',
        'next_w = w - config["learning_rate"] * dw / np.sqrt(cache + config["epsilon"])',
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
    Bug("adam", "t not written back", '    config["t"] = t\n', "", OPTIM),
    Bug("adam", "m not written back", '    config["m"] = m\n', "", OPTIM),
]
