"""`Caller`: one paced Omie call at a time, for one target (one app key).

Every call goes through `Caller.call`: the redundant-window guard, the method's lane (slots +
per-method budget + per-IP budget), the POST, the fault classification and the method's
breaker. It holds what a target's calls share: the lanes, the breakers, the stop signal and
the statistics. What a row does with an answer (retry, look up, link, give up) lives in
`rows.py`, contas a receber lots in `lots.py`; `sender.OmieSender` puts them together.

Stopping: a fatal answer (HTTP 403 bad credentials, HTTP 425 misuse block) stops every call on
the key at once. `stopped_reason` then says why (None while the run may go on) and `fatal`
holds the `FatalError`.
"""
from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from typing import Any

import httpx

from ..errors import FatalError
from .breaker import Breaker
from .faults import Fault, FaultClass, classify
from .pacing import Clock, Lanes, RecentRequests
from .transport import Answer, make_client, post
from .types import TargetSettings


class SendStats:
    """What the sender did, for the run summary and the benchmarks."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()          # by fault kind
        self.faults_by_call: dict[str, Counter[str]] = defaultdict(Counter)
        self.call_times: dict[str, list[float]] = defaultdict(list)
        self.answer_seconds: dict[str, list[float]] = defaultdict(list)   # send to answer
        self.lookups = 0
        self.links = 0

    def record(self, call: str, started: float, answered: float, fault: Fault | None) -> None:
        self.calls[call] += 1
        self.call_times[call].append(started)
        self.answer_seconds[call].append(answered - started)
        if fault is not None:
            self.faults[fault.kind] += 1
            self.faults_by_call[call][fault.kind] += 1


class Caller:
    """Makes one target's Omie calls at its ceiling without tripping its limits."""

    def __init__(self, settings: TargetSettings, *,
                 transport: httpx.AsyncBaseTransport | None = None,
                 clock: Clock | None = None, ip_limiter: Any = None):
        self.settings = settings
        self._ip_limiter = ip_limiter    # shared with other app keys (pacing.ip_budget), or None
        self.clock = clock or Clock()
        self.stats = SendStats()
        self.stopped_reason: str | None = None
        self.fatal: FatalError | None = None
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._lanes: Lanes | None = None
        self._stop_event: asyncio.Event | None = None
        self._recent = RecentRequests(settings.budgets.redundant_window_seconds, self.clock)
        self._breakers: dict[str, Breaker] = {}
        self._lot_numbers = iter(range(1, 10**9))
        self.category_sweeps = 0
        # The pusher's write-ahead journal: awaited before every write call goes out, with
        # (endpoint, items, call), so a write's intent is durable before Omie can commit it.
        self.before_write = None
        # The run's preflight (push.run): awaited once, before the first call of the run, so a
        # run with nothing to ask or write makes no call at all (issue 16).
        self.before_first_call = None
        self._first_call_lock: asyncio.Lock | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} target={self.settings.name!r} app_key={self.settings.app_key!r}>"

    # ---- lifecycle -------------------------------------------------------------------
    async def __aenter__(self) -> "Caller":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def start(self) -> None:
        """Loop-bound objects are made inside the running loop, on first use."""
        if self._client is None:
            self._client = make_client(self.settings, self._transport)
            self._lanes = Lanes(self.settings.budgets, self._ip_limiter)
            self._stop_event = asyncio.Event()

    # ---- state -----------------------------------------------------------------------
    def breaker(self, call: str) -> Breaker:
        if call not in self._breakers:
            self._breakers[call] = Breaker(call, self.settings.breaker_threshold,
                                           self.settings.budgets)
        return self._breakers[call]

    def remember(self, ages_by_call: dict[str, list[float]]) -> None:
        """Seed the breakers with the errors earlier runs met, `ages` seconds ago per call."""
        now = self.clock.now()
        for call, ages in ages_by_call.items():
            self.breaker(call).remember(ages, now)

    def halted(self, *calls: str) -> str | None:
        """Why these calls must not be made now (run stopped or a breaker open), or None."""
        if self.stopped_reason:
            return f"run stopped: {self.stopped_reason}"
        for call in calls:
            if self.breaker(call).open:
                return self.breaker(call).reason
        return None

    def stop(self, reason: str) -> None:
        """Stop every call on this key (the preflight found the URL or the key wrong)."""
        if self.stopped_reason is None:
            self.stopped_reason = reason
            if self._stop_event is not None:
                self._stop_event.set()

    async def _before_first_call(self) -> None:
        if self._first_call_lock is None:
            self._first_call_lock = asyncio.Lock()
        async with self._first_call_lock:      # a second call waits for the first's preflight
            hook = self.before_first_call
            if hook is not None:
                try:
                    await hook()
                finally:
                    self.before_first_call = None

    def _stop_run(self, fault: Fault, call: str) -> None:
        if self.stopped_reason is None:
            self.stopped_reason = (f"{call} answered HTTP {fault.http_status} "
                                   f"\"{fault.faultstring}\"; every call on this app key stopped")
            self.fatal = fault.error(call)  # type: ignore[assignment]
            if self._stop_event is not None:
                self._stop_event.set()

    async def sleep(self, seconds: float) -> None:
        """Wait, but wake at once if the run is stopped."""
        if seconds <= 0 or self._stop_event is None:
            await self.clock.sleep(seconds)
            return
        stop = asyncio.ensure_future(self._stop_event.wait())
        nap = asyncio.ensure_future(self.clock.sleep(seconds))
        try:
            await asyncio.wait({stop, nap}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
            nap.cancel()

    async def write_ahead(self, endpoint, items, call: str) -> None:
        """Make the intent of a write durable (the pusher's journal) before it goes out."""
        if self.before_write is not None:
            await self.before_write(endpoint, items, call)

    # ---- one call --------------------------------------------------------------------
    async def call(self, path: str, call: str, param: dict[str, Any]) -> tuple[Answer, Fault | None]:
        """One paced Omie call, no retry: (answer, None) on success, (answer, fault) otherwise."""
        self.start()
        if self.before_first_call is not None:
            await self._before_first_call()
        fingerprint = RecentRequests.fingerprint(call, param)
        await self._wait_window(fingerprint)
        assert self._lanes is not None and self._client is not None
        async with self._lanes[call].turn():
            halted = self.halted(call)   # the breaker may have opened while this call queued
            if halted:
                return Answer(None), Fault(FaultClass.FATAL, "stopped", halted)
            self._recent.mark_sent(fingerprint)
            started = self.clock.now()
            answer = await post(self._client, self.settings, path, call, param)
            answered = self.clock.now()
            fault = classify(answer.status_code, answer.payload)
            if fault is not None and fault.kind == "timeout" and fault.maybe_committed:
                # Omie may still be running the call we gave up on: keep its slot a while, or
                # the next write of the method would meet Client-1880 (and count as an error).
                await self.sleep(self.settings.timeout_seconds)
        self.stats.record(call, started, answered, fault)
        if fault is None:
            self.breaker(call).succeeded()
        else:
            self.breaker(call).failed(fault, self.clock.now())
            if fault.fault_class is FaultClass.FATAL:
                self._stop_run(fault, call)
        return answer, fault

    async def _wait_window(self, fingerprint: str) -> None:
        while (wait := self._recent.wait_needed(fingerprint)) > 0 and not self.stopped_reason:
            await self.sleep(wait)

    def lot_number(self) -> int:
        return next(self._lot_numbers)
