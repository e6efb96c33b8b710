"""Errors raised by every bus implementation, so callers never see a driver's exceptions.

BusError                 something the bus could not do (a bad stored value, a server error)
└── BusUnavailableError  the backing service cannot be reached, or the adapter is closed
"""

from __future__ import annotations


class BusError(Exception):
    """The bus could not carry out an operation."""


class BusUnavailableError(BusError):
    """The backing service is unreachable (retry later), or the adapter was closed."""
