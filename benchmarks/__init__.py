"""Benchmarks: `python -m benchmarks` prints ratios measured side by side in one run."""
