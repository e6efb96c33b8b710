"""Entities, value objects and errors: standard library only."""
