"""`OmieSender`: the real `Sender`. One instance per target (one app key); several endpoints
may be sent through it at once, in one event loop.

`send` hands each item to the row flow (`rows.send_row`) or, for an endpoint whose lot call
answers per record, to the lot flow (`lots.send_lots`); both make their calls through the
`Caller` it is. Exactly one `ItemResult` per item reaches `on_result`; when a fatal answer
(403, 425) stops the key, every item not yet sent is reported `not_attempted` with the reason.
The pusher checks `sender.stopped_reason` after each `send` to end the run.
"""
from __future__ import annotations

import inspect
from typing import Sequence

from ..catalog import Endpoint
from . import lots, rows
from .caller import Caller, SendStats
from .tasks import run_bounded
from .types import Item, ItemResult, OnResult

__all__ = ["OmieSender", "SendStats"]


class OmieSender(Caller):
    """Sends endpoints' items to Omie at its ceiling without tripping its limits."""

    async def preflight(self):
        """One ListarEmpresas before the run plans: the URL answers, the key is valid, and
        whose company it is (`preflight.check`; raises FatalError naming the URL or key)."""
        from .preflight import check

        return await check(self)

    async def send(self, endpoint: Endpoint, items: Sequence[Item], on_result: OnResult) -> None:
        """Send one endpoint's items; exactly one ItemResult per item through `on_result`."""
        self.start()
        report = _Reporter(on_result)
        try:
            if lots.uses_lots(endpoint, self.settings) and len(items) > 1:
                await lots.send_lots(self, endpoint, items, report)
            else:
                await run_bounded(rows.send_row(self, endpoint, item, report) for item in items)
        finally:
            await report.close_missing(items, self)


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

    async def close_missing(self, items: Sequence[Item], sender: Caller) -> None:
        """Anything left unreported (a bug, a cancellation) is reported, never silently lost."""
        for item in items:
            if item.key not in self.reported:
                note = sender.halted() or "not sent: the sender stopped before reaching this row"
                await self(ItemResult(item.key, "not_attempted", note=note))
