"""The bug catalogue: realistic learner mistakes, each one edit of the reference solution,
each naming the exercise that must catch it. One module per reference module."""

from . import classifiers, extras, layers, nets, optim, rnn_layers
from .bug import Bug

BUGS: list[Bug] = [bug for module in (classifiers, layers, nets, optim, rnn_layers, extras) for bug in module.BUGS]

__all__ = ["BUGS", "Bug"]
