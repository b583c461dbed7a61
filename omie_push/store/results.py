"""The results file, opened only while it is used: a write opens it, writes in one transaction
and closes it; a read attaches it read-only and closes it.

DuckDB lets one process write a file and none read it meanwhile, so holding it for an hours-long
push would lock out `dbt build` and the notebooks. Here the push holds it for the milliseconds of
each write. When someone else holds it (a notebook reading, dbt taking its snapshot), a write
waits and tries again, for up to `wait_seconds`. Within one process the opens are serialized
(DuckDB refuses one file attached twice with different modes).
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..dbt.sql import quote_str
from ..errors import ProjectError
from .schema import DDL

RESULTS_DB = "omie_results"
_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()
BUSY_TEXTS = ("could not set lock", "conflicting lock", "resource temporarily unavailable",
              "unique file handle conflict")


def _process_lock(path: Path) -> threading.RLock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(str(path.resolve()), threading.RLock())


def is_busy(exc: BaseException) -> bool:
    """Whether a DuckDB error says another process holds the file (try again later)."""
    text = str(exc).lower()
    return any(t in text for t in BUSY_TEXTS)


class ResultsFile:
    """One results file; every use opens and closes it."""

    def __init__(self, path: Path, wait_seconds: float = 600.0):
        self.path = Path(path)
        self.wait_seconds = wait_seconds
        self.lock = _process_lock(self.path)
        self.waited = 0.0                 # seconds spent waiting for another holder, in total

    def create(self) -> bool:
        """Create the file and its tables (idempotent). True if the file was new."""
        new = not self.path.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connection() as con:
            con.execute(DDL)
        return new

    @contextmanager
    def connection(self, read_only: bool = False) -> Iterator:
        """An in-memory DuckDB connection with the file attached as `omie_results` (the current
        database), closed (and the file released) when the block ends."""
        import duckdb

        with self.lock:
            con = self._open(duckdb, read_only)
            try:
                yield con
            finally:
                con.close()

    @contextmanager
    def transaction(self) -> Iterator:
        """One short write: open, begin, yield, commit (rollback on error), close."""
        with self.connection() as con:
            con.execute("begin")
            try:
                yield con
            except BaseException:
                con.execute("rollback")
                raise
            con.execute("commit")

    @contextmanager
    def attached(self, host) -> Iterator:
        """The file attached (read-write) to `host`, an in-memory DuckDB connection the caller
        keeps, and detached when the block ends, which lets the file go as closing does: ~2 ms
        of CPU where a new connection costs ~25 ms (the writer thread's path, per drain)."""
        import duckdb

        with self.lock:
            self._open(duckdb, False, host)
            try:
                yield host
            finally:
                host.execute("use memory")
                host.execute(f"detach {RESULTS_DB}")

    def _open(self, duckdb, read_only: bool, host=None):
        mode = " (read_only)" if read_only else ""
        deadline = time.monotonic() + self.wait_seconds
        pause = 0.01
        while True:
            con = host or duckdb.connect()
            con.execute("set enable_progress_bar = false")   # a long read prints none (--json)
            try:
                con.execute(f"attach {quote_str(str(self.path))} as {RESULTS_DB}{mode}")
                con.execute(f"use {RESULTS_DB}")
                return con
            except duckdb.Error as exc:
                if host is None:
                    con.close()
                if not is_busy(exc) or time.monotonic() >= deadline:
                    raise ProjectError(
                        f"cannot open the results file {self.path}: {exc}. Fix: close whatever "
                        f"holds it open for long (a notebook kept connected, another program)."
                    ) from None
            time.sleep(pause)
            self.waited += pause
            pause = min(pause * 2, 0.5)
