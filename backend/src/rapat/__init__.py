"""Rapat: self-hosted video meetings."""

__version__ = "0.1.0"
