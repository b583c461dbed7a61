"""Omie's limits (omie-api.md §2) as one object: admit a call or answer the refusal Omie would give.

Order of the checks for each call (settles which answer wins when several rules apply):
1. 960/min per client IP, then 240/min per app key + method → HTTP 429 (not recorded in the windows);
2. method blocked for misuse → HTTP 425; the call restarts the 30-minute block;
3. in flight: an identical call, or any write of the method → `Client-1880`; a 5th read → 429;
4. the same (app_key, call, param) within 60 s → `Client-6` REDUNDANT; the hit restarts the window.
A call that passes is "in flight" until `finish`. Errors counted towards the misuse block: answers
the simulator marked `error`, and the `Client-1880` and REDUNDANT refusals (all HTTP 500 faults).
429s and injected infrastructure faults are not counted.
"""
from __future__ import annotations

from collections import Counter

from . import answers
from .answers import Answer
from .config import TrafficConfig
from .request import CallInfo
from .windows import Deadlines, SlidingCounter


class Limits:
    """The live state of Omie's limits for every client of one sandbox."""

    def __init__(self, config: TrafficConfig):
        self.config = config
        self.per_ip = SlidingCounter(config.ip_rate, 60.0)
        self.per_method = SlidingCounter(config.method_rate, 60.0)
        self.errors = SlidingCounter(config.misuse_errors, config.misuse_window_s)
        self.blocks = Deadlines()
        self.redundant = Deadlines()
        self.reads = Counter()
        self.writes = Counter()
        self.identical = Counter()
        self._refusals = 0

    def admit(self, info: CallInfo, now: float) -> Answer | None:
        """None if the call may go on (it is then in flight), else the refusal to answer."""
        key = info.method_key
        if self.per_ip.count(info.ip, now) >= self.per_ip.limit \
                or self.per_method.count(key, now) >= self.per_method.limit:
            return self._too_many(info)
        self.per_ip.add(info.ip, now)
        self.per_method.add(key, now)
        blocked = self.blocks.remaining(key, now)
        if blocked:
            self.blocks.set(key, now + self.config.misuse_block_s, now)
            return answers.misuse_block(blocked)
        if self.identical[info.fingerprint] or (not info.is_read and self.writes[key]
                                                >= self.config.writes_in_flight):
            self.record_error(key, now)
            return answers.method_running()
        if info.is_read and self.reads[key] >= self.config.reads_in_flight:
            return self._too_many(info)
        wait = self.redundant.remaining(info.fingerprint, now)
        if wait:
            self.redundant.set(info.fingerprint, now + self.config.redundant_window_s, now)
            self.record_error(key, now)
            return answers.redundant(wait)
        (self.reads if info.is_read else self.writes)[key] += 1
        self.identical[info.fingerprint] += 1
        return None

    def finish(self, info: CallInfo, started_at: float, now: float, *,
               reached_app: bool, outcome: str | None) -> None:
        """The admitted call has its answer: leave flight, open its REDUNDANT window, count errors."""
        key = info.method_key
        _decrement(self.reads if info.is_read else self.writes, key)
        _decrement(self.identical, info.fingerprint)
        if reached_app:
            self.redundant.set(info.fingerprint, started_at + self.config.redundant_window_s, now)
            if outcome == "error":
                self.record_error(key, now)

    def record_error(self, key, now: float) -> None:
        """One more errored answer; the 10th within the window blocks the method."""
        if self.errors.add(key, now) >= self.config.misuse_errors:
            self.blocks.set(key, now + self.config.misuse_block_s, now)
            self.errors.clear(key)

    def _too_many(self, info: CallInfo) -> Answer:
        self._refusals += 1
        return answers.too_many_requests(f"{self.config.seed}|{info.app_key}|{self._refusals}")


def _decrement(counter: Counter, key) -> None:
    counter[key] -= 1
    if counter[key] <= 0:
        del counter[key]
