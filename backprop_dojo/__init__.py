"""backprop-dojo: checks hand-written NumPy forward/backward passes against torch.autograd."""

__version__ = "0.1.0"
