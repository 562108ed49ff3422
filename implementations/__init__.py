"""Your CS231n exercises: see README.md here. Laid out like an assignment's cs231n/ package."""
