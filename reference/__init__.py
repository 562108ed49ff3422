"""The answer key: readable NumPy solutions with the CS231n names and signatures."""
