"""The measures of `scripts/bench.py`, one module each, and its report."""
