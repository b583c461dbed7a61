"""Where a run's outcomes go: the results store, in short writes, Omie's answers on a thread.

The results file is opened only for each write and closed at once (store.results), so
`dbt build` and the notebooks can read it while a push runs for hours. Outcomes known before
any call (unchanged, rejected, held, not attempted) go in at once, in bulk. A write's intent
(the journal) is durable before its call goes out; each of Omie's answers is written with its
ledger entry and the intent's resolution before the row counts as done. Both go through the
writer thread, which takes whatever is queued in one open of the file and one transaction
of a few bulk statements: the thread keeps an in-memory DuckDB connection and attaches the file
to it per drain (~2 ms of CPU, where a new connection costs ~25 ms), a statement per answer
cost ~2 ms each, and a drain writes all its intents in one statement (a plain insert for the
rows this run had not journaled yet) and then its answers in three, each row a list element
(store.backend.unnested), ~25 ms for a drain of 100 rows on the 2-core build machine (issue 16:
the call path's CPU; benchmarks/call_cpu.py).
"""
from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from itertools import groupby
from typing import Any, Callable, Iterable, Iterator

from ..store import bulk, journal, locks
from ..store.ledger import Answered, Ledger, LedgerEntry, RowRecord, now
from ..store.backend import PostgresResults
from ..store.results import ResultsFile


INTEND, ANSWER = "intend", "answer"
# When the writer thread writes: a lone write QUIET seconds after it was queued (writes made
# one after the other, as fail-fast makes them, wait no longer); once a second write is
# queued beside it, LINGER after the oldest (a busy push then writes a few times a second, in
# bulk, where one open and transaction per answer kept the thread busy on a core); at
# MAX_JOBS at once.
QUIET_SECONDS = 0.01
LINGER_SECONDS = 0.4
MAX_JOBS = 2000


class Recorder:
    """The results store of one run, for one Omie company (app key)."""

    def __init__(self, results, company: str):
        # the DuckDB results file, or the results schema of a PostgreSQL warehouse
        # (store.backend.PostgresResults: the same create / connection / transaction)
        self.file = results if isinstance(results, PostgresResults) else ResultsFile(results)
        self.company = company
        self.new = self.file.create()
        with self.file.connection(read_only=True) as con:
            self.had_ledger = Ledger(con, company, create=False).has_any()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="omie-push-ledger")
        # (INTEND, intent rows) or (ANSWER, Answered), with the caller's future and loop
        self._queue: list[tuple[str, Any, asyncio.Future, asyncio.AbstractEventLoop]] = []
        self._queue_lock = threading.Condition()
        self._oldest = 0.0                # when the oldest queued write was queued (monotonic)
        self.linger, self.quiet = LINGER_SECONDS, QUIET_SECONDS
        self._host = None                 # the writer thread's in-memory DuckDB connection
        self._journaled: set[tuple[str, str, str]] = set()   # intents written (run, endpoint, key)
        self.drains = self.written = 0    # opens of the file by the writer, writes in them
        self.locked_run: str | None = None

    def _write(self, job: Callable[[Ledger], Any]) -> Any:
        """One short transaction now, on the calling thread."""
        with self.file.connection() as con:
            ledger = Ledger(con, self.company, create=False)
            con.execute("begin")
            try:
                out = job(ledger)
            except BaseException:
                con.execute("rollback")
                raise
            con.execute("commit")
            return out

    def _read(self, job: Callable[[Ledger], Any]) -> Any:
        with self.file.connection(read_only=True) as con:
            return job(Ledger(con, self.company, create=False))

    @property
    def con(self) -> "ShortSql":
        """Statements on the results, each in a short connection of its own (the drift store,
        the refusals read back): nothing holds the file between them."""
        return ShortSql(self.file)

    def accepted(self, endpoint: str) -> dict[str, LedgerEntry]:
        return self._read(lambda ledger: ledger.accepted(endpoint))

    def has_accepted(self, endpoint: str) -> bool:
        """Whether Omie ever accepted a record of this endpoint for this company."""
        sql = ("select count(*) from (select 1 from ledger where company = ? and endpoint = ? "
               "limit 1) as found")        # PostgreSQL names every subquery
        return bool(self._read(lambda ledger: ledger.con.execute(sql, [self.company, endpoint]).fetchone()[0]))

    def pushed_lately(self, base_url: str, since: datetime) -> bool:
        """Whether a push (not a dry run) of this company to this URL finished, not stopped,
        at or after `since`: its target answered then (push.run's preflight timing)."""
        sql = ("select count(*) from runs where company = ? and not dry_run and finished_at >= ? "
               "and outcome in ('success', 'finished with refused rows') "
               "and options->>'base_url' = ?")
        return bool(self._read(lambda ledger: ledger.con.execute(
            sql, [self.company, since, base_url]).fetchone()[0]))

    def accepted_frame(self, endpoint: str):
        """The same ledger as a Polars frame (key, payload_hash, omie_id): the diff's join."""
        return self._read(lambda ledger: bulk.accepted_frame(ledger.con, self.company, endpoint))

    def lock(self, run_id: str) -> locks.Holder | None:
        """One pushing run per store and company; returns a stale lock it cleared."""
        stale = self._write(lambda ledger: locks.acquire(ledger.con, self.company, run_id, now()))
        self.locked_run = run_id
        return stale

    def unlock(self) -> None:
        if self.locked_run is not None:
            run_id, self.locked_run = self.locked_run, None
            self._write(lambda ledger: locks.release(ledger.con, self.company, run_id))

    def open_intents(self) -> list[journal.Intent]:
        return self._read(lambda ledger: journal.open_intents(ledger.con, self.company))

    def begin(self, run_id: str, target: str, dry_run: bool, full_refresh: bool,
              options: dict[str, Any], started_at: datetime) -> None:
        self._write(lambda ledger: ledger.begin_run(run_id, target, dry_run, full_refresh,
                                                    options, started_at))

    def finish(self, run_id: str, counts: dict[str, Any], outcome: str, exit_code: int,
               finished_at: datetime, duration: float) -> None:
        self._write(lambda ledger: ledger.finish_run(run_id, counts, outcome, exit_code,
                                                     finished_at, duration))

    def known(self, run_id: str, records: Iterable[RowRecord]) -> None:
        records = list(records)
        if records:
            with self.file.connection() as con:
                Ledger(con, self.company, create=False).record(run_id, records)

    def known_frame(self, run_id: str, endpoint: str, view: str, status: str, frame) -> None:
        """Outcomes known before any call, as one frame of one status (unchanged rows, a dry
        run's rows that would be sent): one insert, no object per row."""
        if frame.height:
            at = now()
            with self.file.connection() as con:
                Ledger(con, self.company, create=False)
                bulk.record_frame(con, run_id, endpoint, view, status, frame, at)

    def resolved(self, intent: journal.Intent, resolution: str, record: RowRecord | None,
                 answer: dict[str, Any] | None, forget=()) -> None:
        """What a later run found in Omie for an open intent: its row result in the killed run
        and its ledger entry (if it landed), with the intent closed, in one transaction."""
        def job(ledger: Ledger) -> None:
            if record is not None:
                ledger.con.execute(ledger._insert_sql(), ledger._row(intent.run_id, record))
                if record.status == "sent":
                    ledger.accept(intent.run_id, record.endpoint, record.key, record.payload_hash,
                                  record.omie_id, answer, record.recorded_at)
                    for entry in forget:
                        ledger.forget(*entry)
            journal.resolve(ledger.con, intent.run_id, self.company, intent.endpoint, intent.key,
                            resolution, now())
        self._write(job)

    # ---- the writer thread -----------------------------------------------------------
    async def intend(self, run_id: str, endpoint: str, call: str,
                     items: Iterable[tuple[str, str | None, dict[str, Any] | None]]) -> None:
        """The intents of one write call, durable before this returns."""
        await self._queued(INTEND, journal.intent_rows(run_id, self.company, endpoint, call,
                                                       items, now()))

    async def answer(self, run_id: str, record: RowRecord, response: dict[str, Any] | None,
                     forget=(), resolution: str | None = None) -> None:
        """One answer's row result, ledger entry and intent resolution, durable (in one
        transaction) before this returns."""
        await self._queued(ANSWER, Answered(run_id, record, response, forget, resolution))

    async def _queued(self, kind: str, write: Any) -> None:
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        with self._queue_lock:
            first = not self._queue
            if first:
                self._oldest = time.monotonic()
            self._queue.append((kind, write, done, loop))
            if len(self._queue) >= MAX_JOBS:
                self._queue_lock.notify_all()
        # A write joining a queue has a drain on its way that will take it (the queue is
        # emptied only by a drain taking it): one drain asked per batch, not one per write.
        if first:
            self._writer.submit(self._drain)
        await done

    def _drain(self) -> None:
        """Every queued write in one open of the file and one transaction (a few statements
        for all of them: issue 16's per-call cost); the waiting callers go on once it is
        committed. Should that transaction fail, each write goes alone, so only the failing
        one's caller gets the error."""
        jobs = self._take()
        if not jobs:
            return
        self.drains += 1
        self.written += len(jobs)
        try:
            with self._attached() as con:
                try:
                    self._transaction(con, jobs)
                    errors: list[BaseException | None] = [None] * len(jobs)
                except Exception:
                    errors = [self._alone(con, job) for job in jobs]
        except BaseException as exc:      # the file could not be opened
            errors = [exc] * len(jobs)
        _settle(jobs, errors)

    def _take(self) -> list:
        """The queued writes, once it is time to write them (QUIET, LINGER, MAX_JOBS)."""
        with self._queue_lock:
            while self._queue and len(self._queue) < MAX_JOBS:
                now = time.monotonic()
                due = self._oldest + (self.quiet if len(self._queue) == 1 else self.linger)
                if now >= due:
                    break
                self._queue_lock.wait(due - now)
            jobs, self._queue = self._queue, []
            return jobs

    def _transaction(self, con, jobs: list) -> None:
        """The jobs in one transaction: every intent in one statement, then the answers in a
        few (`_runs`)."""
        con.execute("begin")
        try:
            for kind, writes in _runs(jobs):
                if kind == INTEND:
                    journal.intend_rows(con, [row for rows in writes for row in rows],
                                        known=self._journaled)
                else:
                    Ledger(con, self.company, create=False).write_answers(writes)
        except BaseException:
            con.execute("rollback")
            raise
        con.execute("commit")

    def _alone(self, con, job) -> BaseException | None:
        try:
            self._transaction(con, [job])
        except BaseException as exc:
            return exc
        return None

    @contextmanager
    def _attached(self) -> Iterator:
        """The results on the writer thread: a DuckDB file is attached to the thread's own
        in-memory connection and detached after (as cheap as it gets to let the file go, so
        dbt and notebooks get in between drains); PostgreSQL: a short connection."""
        if not isinstance(self.file, ResultsFile):
            with self.file.connection() as con:
                yield con
            return
        import duckdb

        if self._host is None:
            # one thread: its statements are small, and DuckDB's worker threads cost ~1 ms of
            # CPU per call in waking up for them
            self._host = duckdb.connect(config={"threads": 1})
        try:
            with self.file.attached(self._host) as con:
                yield con
        except BaseException:
            host, self._host = self._host, None   # in doubt, start the next drain afresh
            host.close()
            raise

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        if self._host is not None:
            self._host.close()
            self._host = None


def _runs(jobs: list) -> list[tuple[str, list]]:
    """The drain's writes as runs of one kind: all intents, then all answers (two statements'
    worth instead of one per run: a busy drain interleaves them, answers coming back while the
    rows they free queue their intents). In queue order instead when an answer closes an
    intent queued after it in this drain, as putting the intent first would close it."""
    intents = [job[1] for job in jobs if job[0] == INTEND]
    answers = [job[1] for job in jobs if job[0] == ANSWER]
    keys = {(row[0], row[2], row[3]) for rows in intents for row in rows}
    if not any((a.run_id, a.record.endpoint, a.record.key) in keys for a in answers):
        return [(kind, writes) for kind, writes in ((INTEND, intents), (ANSWER, answers))
                if writes]
    return [(kind, [job[1] for job in run]) for kind, run in groupby(jobs, key=lambda j: j[0])]


def _settle(jobs: list, errors: list[BaseException | None]) -> None:
    """Wake each caller with its outcome: one hand-over per event loop for the whole drain (one
    wake-up of the loop, where one per write cost a syscall each on both sides)."""
    by_loop: dict[asyncio.AbstractEventLoop, list] = {}
    for (_, _, done, loop), exc in zip(jobs, errors):
        by_loop.setdefault(loop, []).append((done, exc))

    def put(outcomes: list) -> None:
        for done, exc in outcomes:
            if done.done():
                continue
            if exc is None:
                done.set_result(None)
            else:
                done.set_exception(exc)

    for loop, outcomes in by_loop.items():
        loop.call_soon_threadsafe(put, outcomes)


class ShortSql:
    """`execute(sql, params)` on the results, opened and closed around each statement; the
    rows are fetched before the file is let go."""

    def __init__(self, file):
        self.file = file

    def execute(self, sql: str, params=None) -> "_Rows":
        with self.file.connection() as con:
            cursor = con.execute(sql, params or [])
            description = cursor.description
            rows = cursor.fetchall() if description else []
        return _Rows(rows, description)


class _Rows:
    def __init__(self, rows: list[tuple], description):
        self.rows, self.description = rows, description

    def fetchall(self) -> list[tuple]:
        return list(self.rows)

    def fetchone(self) -> tuple | None:
        return self.rows[0] if self.rows else None
