"""Grading many submissions: a sandboxed child process per submission, Gradescope results."""
