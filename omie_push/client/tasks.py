"""Running many coroutines as tasks, a bounded number at a time."""
from __future__ import annotations

import asyncio
from typing import Awaitable, Iterable

# Rows of one endpoint being worked on at once; the rest wait their turn. Rows waiting out a
# retry do not hold a lane slot, so this only bounds memory and keeps the order roughly FIFO.
ROWS_IN_PROGRESS = 256


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
