"""Where a run's outcomes go: the results store, with Omie's answers written on a thread.

Outcomes known before any call (unchanged, rejected, held, not attempted) go in at once, in
bulk. Each of Omie's answers is written (with its ledger entry) before the row counts as done,
on the writer thread's own DuckDB cursor: a commit costs ~5 ms, which on the event loop would
stall every endpoint's pacing.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

from ..store.connect import connect
from ..store.ledger import Ledger, LedgerEntry, RowRecord


class Recorder:
    """The results store of one run, for one Omie company (app key)."""

    def __init__(self, results_path: Path, company: str, shared=None):
        # also the connection views are read through; `shared`: a connection to the results
        # that several companies' recorders of one run use (each on a cursor of its own)
        self.con = connect(results_path) if shared is None else shared.cursor()
        self.ledger = Ledger(self.con, company)
        self._answers = Ledger(self.con.cursor(), company)   # used by the writer thread only
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="omie-push-ledger")

    def accepted(self, endpoint: str) -> dict[str, LedgerEntry]:
        return self.ledger.accepted(endpoint)

    def begin(self, run_id: str, target: str, dry_run: bool, full_refresh: bool,
              options: dict[str, Any], started_at: datetime) -> None:
        self.ledger.begin_run(run_id, target, dry_run, full_refresh, options, started_at)

    def finish(self, run_id: str, counts: dict[str, Any], outcome: str, exit_code: int,
               finished_at: datetime, duration: float) -> None:
        self.ledger.finish_run(run_id, counts, outcome, exit_code, finished_at, duration)

    def known(self, run_id: str, records: Iterable[RowRecord]) -> None:
        self.ledger.record(run_id, records)

    async def answer(self, run_id: str, record: RowRecord, response: dict[str, Any] | None,
                     forget: tuple[str, str | None, str | None] | None) -> None:
        await asyncio.get_running_loop().run_in_executor(
            self._writer, self._answers.record_answer, run_id, record, response, forget)

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self._answers.con.close()
        self.con.close()
