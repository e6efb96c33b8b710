"""Logging, metrics and tracing. A leaf: imports nothing else from rapat."""
