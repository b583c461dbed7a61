"""Fixtures of the client tests: a fake Omie at the transport, fast settings, a virtual clock."""
from __future__ import annotations

import asyncio
import time

import pytest

from omie_push.client.pacing import Clock
from omie_push.client.types import Budgets, TargetSettings

from fake_omie import FakeOmie

SECRET = "s3cr3t-never-printed"


class VirtualClock(Clock):
    """Waits the sender decides (retries, redundant window) pass at once, but are recorded and
    move this clock forward, so tests can check them; pacing still runs on real (fast) time."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return time.monotonic() + self.offset

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.sleeps.append(seconds)
            self.offset += seconds
        await asyncio.sleep(0)


def fast_settings(**over) -> TargetSettings:
    budgets = over.pop("budgets", Budgets(calls_per_minute_per_method=60_000,
                                          calls_per_minute_per_ip=240_000))
    base = dict(name="test", base_url="https://omie.test/api/v1", app_key="k-123",
                app_secret=SECRET, budgets=budgets, timeout_seconds=5.0)
    base.update(over)
    return TargetSettings(**base)


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def omie(clock) -> FakeOmie:
    return FakeOmie(now=clock.now)


# The end-to-end tests share the benchmarks' sandbox process and row builders.
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

BENCHMARKS = str(Path(__file__).resolve().parents[2] / "benchmarks")
if BENCHMARKS not in sys.path:
    sys.path.insert(0, BENCHMARKS)
