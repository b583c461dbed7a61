"""Latency and injected faults, reproducible from the seed.

Each call's random draws come from a generator seeded with (seed, the call's fingerprint, how many
times that same request was seen before). So the same run against a fresh sandbox gets the same
delays and faults on the same records, whatever order concurrent calls arrive in, and a retry of an
identical request draws afresh (its occurrence number differs).
"""
from __future__ import annotations

import hashlib
import random
from collections import Counter
from dataclasses import dataclass

from .config import TrafficConfig
from .request import CallInfo
from .spec import AFTER_COMMIT_FAULTS, BEFORE_APP_FAULTS
from .windows import Deadlines

_MAX_REMEMBERED = 200_000   # fingerprints whose occurrences are counted before the count restarts


@dataclass(frozen=True)
class Draw:
    """What happens to one call: its delay, the fault before the app, the fault after a commit."""

    latency_s: float
    before: str | None
    after_commit: str | None


class FaultInjector:
    """Draws latency and faults per call, and keeps the 429 bursts in progress per app key."""

    def __init__(self, config: TrafficConfig):
        self.config = config
        self.seen = Counter()
        self.bursts = Deadlines()

    def draw(self, info: CallInfo) -> Draw:
        if len(self.seen) > _MAX_REMEMBERED:
            self.seen.clear()
        occurrence = self.seen[info.fingerprint]
        self.seen[info.fingerprint] += 1
        digest = hashlib.sha256(f"{self.config.seed}|{info.fingerprint}|{occurrence}".encode())
        rng = random.Random(digest.digest())
        latency_draw, before_draw, after_draw = rng.random(), rng.random(), rng.random()
        faults = self.config.faults
        return Draw(latency_s=self.config.latency.seconds(info.call, latency_draw),
                    before=faults.pick(BEFORE_APP_FAULTS, before_draw),
                    after_commit=faults.pick(AFTER_COMMIT_FAULTS, after_draw))

    def in_burst(self, info: CallInfo) -> bool:
        """True while a 429 burst started on this app key lasts."""
        return self.bursts.remaining(info.app_key, self.config.clock.now()) > 0

    def start_burst(self, info: CallInfo) -> None:
        now = self.config.clock.now()
        self.bursts.set(info.app_key, now + self.config.faults.seconds["burst429"], now)
