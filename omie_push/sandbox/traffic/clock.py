"""The clock every traffic window reads, so tests can move time instead of waiting for it.

Only the windows (rate limits, REDUNDANT, the misuse block, 429 bursts) read the clock; latency and
slow answers are real `asyncio.sleep`s, because they exist to make a client wait for real.
"""
from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Seconds on a monotonic scale; only differences between readings matter."""

    def now(self) -> float: ...


class SystemClock:
    """The real clock (`time.monotonic`): unaffected by changes to the wall clock."""

    def now(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock that moves only when told, for tests: `clock.advance(61)` instead of a 61 s wait."""

    def __init__(self, start: float = 1000.0):
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        self._now += seconds
