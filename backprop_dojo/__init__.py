"""backprop-dojo: checks hand-written NumPy forward/backward passes against torch.autograd.

In a notebook: `from backprop_dojo import check; check("batchnorm_backward", batchnorm_backward)`.
"""

__version__ = "0.1.0"


def check(what, function=None, **options):
    """See notebook.check; imported on use, so that loading the pytest options stays light."""
    import inspect

    from .notebook import check as run_checks

    options.setdefault("namespace", inspect.currentframe().f_back.f_globals)
    return run_checks(what, function, **options)
