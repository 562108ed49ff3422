"""The bug catalogue: realistic learner mistakes, each one edit of the reference solution,
each naming the exercise that must catch it. One module per reference module."""

from . import classifiers, layers, nets, optim
from .bug import Bug

BUGS: list[Bug] = [bug for module in (classifiers, layers, nets, optim) for bug in module.BUGS]

__all__ = ["BUGS", "Bug"]
