"""`OmieSender`: the real `Sender`. One instance per target (one app key); several endpoints
may be sent through it at once, in one event loop.

Every call goes through `OmieSender.call`: the redundant-window guard, the method's lane
(slots + per-method budget + per-IP budget), the POST, the fault classification and the
method's breaker. What a row does with the answer (retry, look up, link, give up) lives in
`rows.py`; contas a receber lots in `lots.py`.

Stopping: a fatal answer (HTTP 403 bad credentials, HTTP 425 misuse block) stops every call on
the key at once. `stopped_reason` then says why (None while the run may go on), `fatal` holds
the `FatalError`, and every item not yet sent is reported `not_attempted` with the reason in
its note. The pusher checks `sender.stopped_reason` after each `send` to end the run.
"""
from __future__ import annotations

import asyncio
import inspect
from collections import Counter, defaultdict
from typing import Any, Awaitable, Iterable, Sequence

import httpx

from ..catalog import Endpoint
from ..errors import FatalError
from .breaker import Breaker
from .faults import Fault, FaultClass, classify
from .pacing import Clock, Lanes, RecentRequests
from .transport import Answer, make_client, post
from .types import Item, ItemResult, OnResult, TargetSettings

# Rows of one endpoint being worked on at once; the rest wait their turn. Rows waiting out a
# retry do not hold a lane slot, so this only bounds memory and keeps the order roughly FIFO.
ROWS_IN_PROGRESS = 256


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


class OmieSender:
    """Sends endpoints' items to Omie at its ceiling without tripping its limits."""

    def __init__(self, settings: TargetSettings, *,
                 transport: httpx.AsyncBaseTransport | None = None,
                 clock: Clock | None = None):
        self.settings = settings
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

    def __repr__(self) -> str:
        return f"<OmieSender target={self.settings.name!r} app_key={self.settings.app_key!r}>"

    # ---- lifecycle -------------------------------------------------------------------
    async def __aenter__(self) -> "OmieSender":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _start(self) -> None:
        """Loop-bound objects are made inside the running loop, on first use."""
        if self._client is None:
            self._client = make_client(self.settings, self._transport)
            self._lanes = Lanes(self.settings.budgets)
            self._stop_event = asyncio.Event()

    # ---- state -----------------------------------------------------------------------
    def breaker(self, call: str) -> Breaker:
        if call not in self._breakers:
            self._breakers[call] = Breaker(call, self.settings.breaker_threshold,
                                           self.settings.budgets)
        return self._breakers[call]

    def halted(self, *calls: str) -> str | None:
        """Why these calls must not be made now (run stopped or a breaker open), or None."""
        if self.stopped_reason:
            return f"run stopped: {self.stopped_reason}"
        for call in calls:
            if self.breaker(call).open:
                return self.breaker(call).reason
        return None

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

    # ---- one call --------------------------------------------------------------------
    async def call(self, path: str, call: str, param: dict[str, Any]) -> tuple[Answer, Fault | None]:
        """One paced Omie call, no retry: (answer, None) on success, (answer, fault) otherwise."""
        self._start()
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

    # ---- one endpoint ----------------------------------------------------------------
    async def send(self, endpoint: Endpoint, items: Sequence[Item], on_result: OnResult) -> None:
        """Send one endpoint's items; exactly one ItemResult per item through `on_result`."""
        from . import lots, rows  # the row and lot flows call back into this sender

        self._start()
        report = _Reporter(on_result)
        try:
            if lots.uses_lots(endpoint, self.settings) and len(items) > 1:
                await lots.send_lots(self, endpoint, items, report)
            else:
                await run_bounded(rows.send_row(self, endpoint, item, report) for item in items)
        finally:
            await report.close_missing(items, self)

    def lot_number(self) -> int:
        return next(self._lot_numbers)


class _Reporter:
    """Passes results to the pusher as soon as they are known; one per item, never two."""

    def __init__(self, on_result: OnResult):
        self.on_result = on_result
        self.reported: set[str] = set()

    async def __call__(self, result: ItemResult) -> None:
        if result.key in self.reported:
            return
        self.reported.add(result.key)
        outcome = self.on_result(result)
        if inspect.isawaitable(outcome):
            await outcome

    async def close_missing(self, items: Sequence[Item], sender: OmieSender) -> None:
        """Anything left unreported (a bug, a cancellation) is reported, never silently lost."""
        for item in items:
            if item.key not in self.reported:
                note = sender.halted() or "not sent: the sender stopped before reaching this row"
                await self(ItemResult(item.key, "not_attempted", note=note))


async def run_bounded(jobs: Iterable[Awaitable[None]], limit: int = ROWS_IN_PROGRESS) -> None:
    """Run the jobs as tasks, at most `limit` at once, in order; wait for all."""
    gate = asyncio.Semaphore(limit)
    tasks: list[asyncio.Task] = []

    async def guarded(job: Awaitable[None]) -> None:
        try:
            await job
        finally:
            gate.release()

    try:
        for job in jobs:
            await gate.acquire()
            tasks.append(asyncio.ensure_future(guarded(job)))
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        raise
