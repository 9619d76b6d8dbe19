"""kamboard: a terminal board for yearly key account workshops."""

__version__ = "0.1.0"
