"""Pacing: every call waits for its method's slot, its method's budget and the IP's budget.

Omie counts calls per minute per app key + method (240) and per IP (960), allows 4 reads in
flight per method and one write at a time (omie-api.md §2). Each method gets a `Lane`: a
semaphore for the calls in flight and a rate limiter; all lanes share the IP's limiter.

The limiters are aiolimiter's `AsyncLimiter` (a small, well-kept leaky bucket on the event
loop's clock, with fair FIFO waiters), drained at 98% of the budget (`HEADROOM`) and only 1% of
the budget deep (`limiter`). A bucket as deep as the budget (AsyncLimiter(240, 60)) would let
240 calls through at once and 240 more during the next minute: up to twice Omie's count in
one sliding minute, a 429. Shallow, any sliding minute holds at most 99% of the budget, and
the spare 1% absorbs latency jitter bunching calls up on their way to Omie.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from aiolimiter import AsyncLimiter

from .types import Budgets

# Fraction of a budget the sender uses: 2% spare absorbs latency jitter and clock skew.
HEADROOM = 0.98

# Depth of the leaky bucket as a fraction of the budget (see `limiter`).
BURST_FRACTION = 0.01

READ_PREFIXES = ("Consultar", "Listar", "Pesquisar")


def is_read(call: str) -> bool:
    """Reads may run 4 in flight; every other call (Upsert, Incluir, Associar...) is a write."""
    return call.startswith(READ_PREFIXES)


def spacing_seconds(per_minute: int) -> float:
    """Seconds between two calls under a per-minute budget, with the headroom."""
    return 60.0 / (per_minute * HEADROOM)


def limiter(per_minute: int) -> AsyncLimiter:
    """A leaky bucket draining at the budget (with headroom), `depth` calls deep.

    Depth 1 spaces calls evenly but loses the event loop's wake-up lateness on every call (at
    2,400 calls a minute, 7% of the pace); a depth of 1% of the budget lets the bucket catch up
    while keeping any sliding minute at or below 99% of the budget (depth + 98%)."""
    depth = max(1, int(per_minute * BURST_FRACTION))
    return AsyncLimiter(depth, depth * spacing_seconds(per_minute))


class Clock:
    """Time for waits the sender decides (retries, the redundant window). Tests swap it;
    pacing itself runs on the event loop's clock, which aiolimiter reads."""

    def now(self) -> float:
        try:
            return asyncio.get_running_loop().time()
        except RuntimeError:
            return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            await asyncio.sleep(seconds)


class Lane:
    """One method's traffic: how many calls in flight and how fast."""

    def __init__(self, call: str, budgets: Budgets, ip_limiter: AsyncLimiter):
        self.call = call
        in_flight = budgets.reads_in_flight_per_method if is_read(call) \
            else budgets.writes_in_flight_per_method
        self.in_flight = max(1, in_flight)
        self._slots = asyncio.Semaphore(self.in_flight)
        self._limiter = limiter(budgets.calls_per_minute_per_method)
        self._ip_limiter = ip_limiter
        self.calls = 0

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Hold one of the method's slots, then wait for both budgets; the call goes at once."""
        async with self._slots:
            await self._limiter.acquire()
            await self._ip_limiter.acquire()
            self.calls += 1
            yield


class Lanes:
    """The lanes of one app key, created on first use, sharing the per-IP limiter: its own, or
    `ip_limiter`, the one every app key calling from this machine shares (`ip_budget`)."""

    def __init__(self, budgets: Budgets, ip_limiter: AsyncLimiter | None = None):
        self.budgets = budgets
        self.ip_limiter = ip_limiter if ip_limiter is not None \
            else limiter(budgets.calls_per_minute_per_ip)
        self._lanes: dict[str, Lane] = {}

    def __getitem__(self, call: str) -> Lane:
        lane = self._lanes.get(call)
        if lane is None:
            lane = self._lanes[call] = Lane(call, self.budgets, self.ip_limiter)
        return lane

    def calls(self) -> dict[str, int]:
        return {call: lane.calls for call, lane in self._lanes.items()}


def ip_budget(per_minute: int) -> AsyncLimiter:
    """The per-IP limiter several senders share: Omie counts the calls of every app key from
    one address together (omie-api.md §2), so companies pushed at once share one budget."""
    return limiter(per_minute)


class RecentRequests:
    """Omie refuses an identical request within 60 s (REDUNDANT, omie-api.md §2), and a refused
    retry restarts the window. This remembers when each request body was last sent so that an
    identical one waits out the window instead."""

    def __init__(self, window_seconds: float, clock: Clock):
        self.window = window_seconds
        self.clock = clock
        self._sent: dict[str, float] = {}

    @staticmethod
    def fingerprint(call: str, param: dict[str, Any]) -> str:
        canonical = json.dumps([call, param], sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def margin(self) -> float:
        """Spare time after the window: Omie starts it when the call arrives, a bit after we
        sent it (1 s at Omie's 60 s window, as for the waits Omie names)."""
        return min(1.0, self.window * 0.05)

    def wait_needed(self, fingerprint: str) -> float:
        last = self._sent.get(fingerprint)
        if last is None:
            return 0.0
        return max(0.0, last + self.window + self.margin - self.clock.now())

    def mark_sent(self, fingerprint: str) -> None:
        now = self.clock.now()
        self._sent[fingerprint] = now
        if len(self._sent) > 4096:
            self._sent = {k: t for k, t in self._sent.items() if t + self.window > now}
