"""cupure: a self-hostable news aggregation platform."""

__version__ = "0.1.0"
