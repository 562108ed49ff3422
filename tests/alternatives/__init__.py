"""Correct solutions written differently from reference/: the harness must pass all of them."""
