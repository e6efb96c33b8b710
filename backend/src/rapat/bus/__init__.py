"""Cache, presence, pub/sub and rate-limit counters: in-process or on Redis.

``app.py`` picks ``memory_bus()`` or ``redis_bus(url)``; everything else sees the
Protocols in ``interfaces``.
"""

from rapat.bus.bundle import Bus, memory_bus, redis_bus
from rapat.bus.errors import BusError, BusUnavailableError
from rapat.bus.interfaces import Clock, KeyValue, Presence, PubSub, Subscription

__all__ = [
    "Bus",
    "BusError",
    "BusUnavailableError",
    "Clock",
    "KeyValue",
    "Presence",
    "PubSub",
    "Subscription",
    "memory_bus",
    "redis_bus",
]
