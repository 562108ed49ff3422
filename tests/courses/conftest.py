"""The `slow` marker of the reconstruction tests (pyproject registers none): `-m "not slow"`
leaves out the runs on the default number of examples and the subprocess agreement runs."""


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: judges every reconstruction on the default examples, or in subprocesses")
