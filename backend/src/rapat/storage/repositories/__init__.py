"""Queries by use, one module per aggregate. They add, query and flush; they never commit."""
