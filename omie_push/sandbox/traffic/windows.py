"""Sliding windows on a Clock: the building blocks of Omie's limits.

Sliding logs (one timestamp per event) rather than fixed minute buckets: a fixed bucket lets a
client send twice the rate across a minute boundary, which Omie's "per minute" does not promise.
"""
from __future__ import annotations

from collections import deque


class SlidingCounter:
    """At most `limit` events per `period` seconds per key."""

    def __init__(self, limit: int, period: float):
        self.limit, self.period = limit, period
        self._events: dict[object, deque[float]] = {}

    def count(self, key, now: float) -> int:
        events = self._events.get(key)
        if events is None:
            return 0
        while events and events[0] <= now - self.period:
            events.popleft()
        if not events:
            del self._events[key]
            return 0
        return len(events)

    def try_add(self, key, now: float) -> bool:
        """Record an event if the key is under its limit; False (nothing recorded) if not."""
        if self.count(key, now) >= self.limit:
            return False
        self.add(key, now)
        return True

    def add(self, key, now: float) -> int:
        """Record an event whatever the count; returns the count in the window after it."""
        self.count(key, now)
        self._events.setdefault(key, deque()).append(now)
        return len(self._events[key])

    def clear(self, key) -> None:
        self._events.pop(key, None)


class Deadlines:
    """A deadline per key (a REDUNDANT window, a block, a 429 burst), swept as they pass."""

    def __init__(self):
        self._until: dict[object, float] = {}
        self._sweep_at = 10_000     # swept when it grows past this; doubles so sweeps stay rare

    def remaining(self, key, now: float) -> float:
        """Seconds left before the key's deadline; 0 when there is none (or it passed)."""
        until = self._until.get(key)
        if until is None:
            return 0.0
        if until <= now:
            del self._until[key]
            return 0.0
        return until - now

    def set(self, key, until: float, now: float) -> None:
        self._until[key] = until
        if len(self._until) > self._sweep_at:
            self._sweep(now)

    def _sweep(self, now: float) -> None:
        for key in [k for k, until in self._until.items() if until <= now]:
            del self._until[key]
        self._sweep_at = max(10_000, 2 * len(self._until))
