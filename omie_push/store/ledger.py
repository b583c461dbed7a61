"""The results file: the ledger of what Omie accepted, the run history and every row's outcome.

The ledger row of a record is written in the same transaction as its row result, right after
Omie's answer and never before: a failed or lost send leaves the ledger as it was, so the row
is sent again on the next run (the peers' "fingerprint saved before the send" bug).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Sequence

from . import backend
from .schema import DDL  # noqa: F401  (re-exported: tests and readers import it from here)

ROW_COLUMNS = ("run_id", "endpoint", "view", "key", "status", "omie_id", "omie_status", "fault",
               "faultcode", "reasons", "attempts", "payload_hash", "payload", "note", "recorded_at")


def ROW_SCHEMA():
    """Arrow types of row_results' columns (JSON travels as text; DuckDB casts it)."""
    import pyarrow as pa

    kinds = {"attempts": pa.int32(), "recorded_at": pa.timestamp("us")}
    return pa.schema([(name, kinds.get(name, pa.string())) for name in ROW_COLUMNS])


STATUS_KEYS = ("descricao_status", "cDescStatus", "descricao")
_CHUNK = 500
_ACCEPT_SQL = ("insert into ledger (company, endpoint, key, payload_hash, omie_id, answer, run_id, "
               "accepted_at) values ")
_ACCEPT_MARKS = "(?, ?, ?, ?, ?, ?, ?, ?)"
# DuckDB types of row_results' and the ledger's columns as the answers' writer passes them, a
# list per column (backend.unnested); JSON travels as text and is cast on insert
_ROW_TYPES = tuple({"attempts": "integer", "recorded_at": "timestamp"}.get(c, "varchar")
                   for c in ROW_COLUMNS)
_ENTRY_TYPES = ("varchar",) * 7 + ("timestamp",)
_ACCEPT_UPSERT = (" on conflict (company, endpoint, key) do update set payload_hash = "
                  "excluded.payload_hash, omie_id = excluded.omie_id, answer = excluded.answer, "
                  "run_id = excluded.run_id, accepted_at = excluded.accepted_at")


@dataclass
class RowRecord:
    """One row's outcome in one run, as row_results stores it."""

    endpoint: str
    view: str
    key: str | None
    status: str                 # sent | unchanged | rejected | failed | held | not_attempted
    omie_id: str | None = None
    omie_status: str | None = None
    fault: str | None = None
    faultcode: str | None = None
    reasons: list[dict[str, Any]] | None = None
    attempts: int | None = None
    payload_hash: str | None = None
    payload: dict[str, Any] | None = None
    note: str | None = None
    recorded_at: datetime = field(default_factory=lambda: now())


@dataclass(frozen=True)
class LedgerEntry:
    payload_hash: str
    omie_id: str | None


def now() -> datetime:
    """UTC, naive (DuckDB TIMESTAMP has no zone)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def omie_status_of(answer: dict[str, Any] | None) -> str | None:
    """Omie's status text in whichever naming family the call answers with."""
    for key in STATUS_KEYS:
        if answer and answer.get(key):
            return str(answer[key])
    return None


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


class Ledger:
    """The results tables, on a connection where the results file is attached as omie_results."""

    def __init__(self, con, company: str, create: bool = True):
        self.con = con
        self.company = company
        # DuckDB: the attached file; PostgreSQL: the results schema (tables created if missing)
        (backend.prepare if create else backend.aim)(con)

    def accepted(self, endpoint: str) -> dict[str, LedgerEntry]:
        rows = self.con.execute(
            "select key, payload_hash, omie_id from ledger where company = ? and endpoint = ?",
            [self.company, endpoint]).fetchall()
        return {key: LedgerEntry(h, oid) for key, h, oid in rows}

    def begin_run(self, run_id: str, target: str, dry_run: bool, full_refresh: bool,
                  options: dict[str, Any], started_at: datetime) -> None:
        # A run of this company left unfinished (the process was killed) has ended: say so, so
        # that models reading only finished runs (the Excluir views) see what it got into Omie.
        # A run that holds its lock (run_locks) is alive and left alone.
        # On PostgreSQL the company's session advisory lock is held too (backend.hold_run_lock):
        # the server drops it with the process, however short the other connections are.
        backend.hold_run_lock(self.con, self.company)
        self.con.execute("update runs set outcome = 'interrupted', finished_at = ? "
                         "where finished_at is null and company = ? and run_id not in "
                         "(select run_id from run_locks)", [started_at, self.company])
        self.con.execute(
            "insert into runs (run_id, target, company, started_at, dry_run, full_refresh, options, "
            "outcome) values (?, ?, ?, ?, ?, ?, ?, 'running')",
            [run_id, target, self.company, started_at, dry_run, full_refresh, _json(options)])

    def finish_run(self, run_id: str, counts: dict[str, Any], outcome: str, exit_code: int,
                   finished_at: datetime, duration: float) -> None:
        self.con.execute(
            "update runs set finished_at = ?, duration_seconds = ?, counts = ?, outcome = ?, "
            "exit_code = ? where run_id = ?",
            [finished_at, duration, _json(counts), outcome, exit_code, run_id])
        backend.release_run_lock(self.con, self.company)

    def record(self, run_id: str, records: Iterable[RowRecord]) -> None:
        """Outcomes known without Omie (unchanged, rejected, held, not attempted), in one go."""
        rows = [self._row(run_id, r) for r in records]
        if rows:
            backend.insert_rows(self.con, "row_results", ROW_COLUMNS, rows, ROW_SCHEMA())

    def record_answer(self, run_id: str, record: RowRecord, answer: dict[str, Any] | None,
                      forget: Iterable[tuple[str, str | None, str | None]] = (),
                      resolution: str | None = None) -> None:
        """One of Omie's answers: its row result, if accepted its ledger entry, and the
        resolution of its journal intent, in one transaction (the caller's).

        `forget`: (endpoint, key, omie_id) of ledger entries to drop once accepted (the record
        an Excluir removed; the delete entry of a record an upsert brought back).
        `resolution`: what to mark the intent with; None leaves it open (the answer was lost:
        the next run asks Omie).
        """
        self.con.execute("begin")
        try:
            self.write_answers([Answered(run_id, record, answer, forget, resolution)])
            self.con.execute("commit")
        except BaseException:
            self.con.execute("rollback")
            raise

    def write_answers(self, answers: Sequence["Answered"]) -> None:
        """Many answers as `record_answer` writes one, in the caller's transaction, with a few
        statements per batch instead of four per answer (the per-call cost, issue 16). The
        result equals writing them one by one in order: answers that touch the same ledger
        entries or intent go in successive batches."""
        for batch in _batches(answers):
            self._write_batch(batch)

    def _write_batch(self, batch: list["Answered"]) -> None:
        from .journal import resolve_many

        rows = [self._row(a.run_id, a.record) for a in batch]
        accepted = [a for a in batch if a.accepts]
        if backend.dialect_of(self.con) == backend.DUCKDB:     # a list per column: one statement
            select, params = backend.unnested(_ROW_TYPES, rows)
            self.con.execute(f"insert into row_results ({', '.join(ROW_COLUMNS)}) {select}", params)
            if accepted:
                select, params = backend.unnested(_ENTRY_TYPES, [self._entry(a) for a in accepted])
                self.con.execute(_ACCEPT_SQL.replace(" values ", f" {select}") + _ACCEPT_UPSERT,
                                 params)
        else:
            backend.insert_rows(self.con, "row_results", ROW_COLUMNS, rows, ROW_SCHEMA())
            for start in range(0, len(accepted), _CHUNK):
                part = accepted[start:start + _CHUNK]
                self.con.execute(_ACCEPT_SQL + ", ".join(_ACCEPT_MARKS for _ in part)
                                 + _ACCEPT_UPSERT, [v for a in part for v in self._entry(a)])
        self._forget_many([f for a in accepted for f in a.forget])
        resolve_many(self.con, self.company, [
            (a.run_id, a.record.endpoint, a.record.key, a.resolution, a.record.recorded_at)
            for a in batch if a.resolves])

    def _entry(self, a: "Answered") -> list[Any]:
        r = a.record
        return [self.company, r.endpoint, r.key, r.payload_hash,
                None if r.omie_id is None else str(r.omie_id), _json(a.answer), a.run_id,
                r.recorded_at]

    def _forget_many(self, entries: list[tuple[str, str | None, str | None]]) -> None:
        """`forget` for many entries: one delete per endpoint and kind of key."""
        groups: dict[tuple[str, str], list[str]] = {}
        for endpoint, key, omie_id in entries:
            if key is not None:
                groups.setdefault((endpoint, "key"), []).append(key)
            if omie_id is not None:
                groups.setdefault((endpoint, "omie_id"), []).append(str(omie_id))
        for (endpoint, column), values in groups.items():
            for start in range(0, len(values), _CHUNK):
                part = values[start:start + _CHUNK]
                self.con.execute(f"delete from ledger where company = ? and endpoint = ? and "
                                 f"{column} in ({', '.join('?' for _ in part)})",
                                 [self.company, endpoint, *part])

    def accept(self, run_id: str, endpoint: str, key: str, payload_hash: str | None,
               omie_id: Any, answer: dict[str, Any] | None, accepted_at: datetime) -> None:
        """The ledger entry of a record Omie accepted (standard SQL upsert)."""
        self.con.execute(
            _ACCEPT_SQL + _ACCEPT_MARKS + _ACCEPT_UPSERT,
            [self.company, endpoint, key, payload_hash, None if omie_id is None else str(omie_id),
             _json(answer), run_id, accepted_at])

    def has_any(self) -> bool:
        """Whether this company has any ledger entry (a new or lost ledger has none)."""
        row = self.con.execute("select count(*) from ledger where company = ?",
                               [self.company]).fetchone()
        return bool(row and row[0])

    def forget(self, endpoint: str, key: str | None = None, omie_id: str | None = None) -> None:
        """Drop a ledger entry, by key or by Omie id (an Excluir by chave_lancamento)."""
        if key is not None:
            self.con.execute("delete from ledger where company = ? and endpoint = ? and key = ?",
                             [self.company, endpoint, key])
        if omie_id is not None:
            self.con.execute("delete from ledger where company = ? and endpoint = ? and omie_id = ?",
                             [self.company, endpoint, str(omie_id)])

    def _insert_sql(self) -> str:
        marks = ", ".join("?" for _ in ROW_COLUMNS)
        return f"insert into row_results ({', '.join(ROW_COLUMNS)}) values ({marks})"

    @staticmethod
    def _row(run_id: str, r: RowRecord) -> list[Any]:
        return [run_id, r.endpoint, r.view, r.key, r.status,
                None if r.omie_id is None else str(r.omie_id), r.omie_status, r.fault, r.faultcode,
                _json(r.reasons), r.attempts, r.payload_hash, _json(r.payload), r.note, r.recorded_at]


@dataclass
class Answered:
    """One of Omie's answers to record: `Ledger.record_answer`'s arguments."""

    run_id: str
    record: RowRecord
    answer: dict[str, Any] | None
    forget: Any = ()
    resolution: str | None = None

    def __post_init__(self) -> None:
        forget = self.forget or ()
        if isinstance(forget, tuple) and forget and isinstance(forget[0], str):
            forget = [forget]            # one entry given alone
        self.forget = list(forget)

    @property
    def accepts(self) -> bool:
        return self.record.status == "sent" and self.record.key is not None

    @property
    def resolves(self) -> bool:
        return self.resolution is not None and self.record.key is not None


def _batches(answers: Sequence[Answered]) -> list[list[Answered]]:
    """Consecutive answers that can be written together: a new batch starts where an answer
    touches a ledger entry, an endpoint's forgotten entries or an intent the batch touched."""
    batches: list[list[Answered]] = []
    accepted: set[tuple[str, str]] = set()
    endpoints: set[str] = set()                  # endpoints with entries accepted in the batch
    forgotten: set[str] = set()                  # endpoints with entries dropped in the batch
    resolved: set[tuple[str, str, str]] = set()
    for a in answers:
        entry = (a.record.endpoint, a.record.key) if a.accepts else None
        drops = {f[0] for f in a.forget} if a.accepts else set()
        intent = (a.run_id, a.record.endpoint, a.record.key) if a.resolves else None
        clash = (entry is not None and (entry in accepted or entry[0] in forgotten)) \
            or bool(drops & (endpoints | ({entry[0]} if entry else set()))) \
            or (intent is not None and intent in resolved)
        if not batches or clash:
            batches.append([])
            accepted, endpoints, forgotten, resolved = set(), set(), set(), set()
        batches[-1].append(a)
        if entry is not None:
            accepted.add(entry)
            endpoints.add(entry[0])
            forgotten |= drops
        if intent is not None:
            resolved.add(intent)
    return batches
