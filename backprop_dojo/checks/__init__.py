"""The generic check templates, by name. Each runs one example of one exercise: it draws a
case from the spec, calls the learner's functions, and compares with the spec's torch oracle."""

from .common import arguments, as_tensors
from .layers import backward, forward, randomness, state
from .models import model
from .optimizers import steps

CHECKS = {
    "forward": forward,
    "backward": backward,
    "state": state,
    "randomness": randomness,
    "model": model,
    "steps": steps,
}

__all__ = ["CHECKS", "arguments", "as_tensors", *CHECKS]
