"""The write-ahead journal (table `intents`): a write's intent is durable before its call goes
out, and resolved with its answer in the same transaction as the row result and the ledger.

An intent still open when a run starts belongs to a run that was killed (or whose answer was
lost): the push asks Omie whether that write landed before it plans anything (push/journal.py).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from .backend import DUCKDB, dialect_of, unnested

OPEN = "resolved_at is null"


@dataclass(frozen=True)
class Intent:
    """One write whose answer was never recorded."""

    run_id: str
    endpoint: str
    key: str
    call: str
    payload_hash: str | None
    payload: dict[str, Any] | None
    started_at: datetime


CHUNK = 500          # rows per multi-row statement (well inside both dialects' parameter limits)
INTENT_COLUMNS = ("run_id", "company", "endpoint", "key", "call", "payload_hash", "payload",
                  "started_at")
_INTENT_TYPES = ("varchar",) * 7 + ("timestamp",)           # payload: JSON text, cast on insert
_UPSERT = (" on conflict (run_id, company, endpoint, key) do update set call = excluded.call, "
           "payload_hash = excluded.payload_hash, payload = excluded.payload, "
           "started_at = excluded.started_at, resolved_at = null, resolution = null")


def intent_rows(run_id: str, company: str, endpoint: str, call: str,
                items: Iterable[tuple[str, str | None, dict[str, Any] | None]],
                started_at: datetime) -> list[list[Any]]:
    """The `intents` rows of one write call's (key, payload_hash, payload) items."""
    return [[run_id, company, endpoint, key, call, h, None if p is None else json.dumps(
        p, ensure_ascii=False, default=str), started_at] for key, h, p in items]


def intend(con, run_id: str, company: str, endpoint: str, call: str,
           items: Iterable[tuple[str, str | None, dict[str, Any] | None]], started_at: datetime) -> None:
    """Record (key, payload_hash, payload) intents of one write call, before it goes out."""
    intend_rows(con, intent_rows(run_id, company, endpoint, call, items, started_at))


def intend_rows(con, rows: list[list[Any]], known: set[tuple[str, str, str]] | None = None) -> None:
    """Many calls' intents in one upsert: on DuckDB the rows as a list per column
    (`backend.unnested`), on PostgreSQL a multi-row upsert per CHUNK (one statement per row cost
    ~6 ms). A key given twice keeps its last intent.

    `known`: the (run_id, endpoint, key) a writer already journaled, kept up to date here. On
    DuckDB the intents of other keys go in by a plain insert (half an upsert's cost), the
    primary key still refusing a duplicate; the caller must be the only writer of its run's
    intents, as the recorder's thread is."""
    last = {tuple(r[:4]): r for r in rows}          # one statement may not upsert a key twice
    rows = list(last.values())
    if not rows:
        return
    if dialect_of(con) == DUCKDB:                   # a list per column: one statement each
        fresh = [] if known is None else [r for r in rows if (r[0], r[2], r[3]) not in known]
        again = rows if known is None else [r for r in rows if (r[0], r[2], r[3]) in known]
        if known is not None:
            known.update((r[0], r[2], r[3]) for r in fresh)
        names = ", ".join(INTENT_COLUMNS)
        for part, conflict in ((fresh, ""), (again, _UPSERT)):
            if part:
                select, params = unnested(_INTENT_TYPES, part)
                con.execute(f"insert into intents ({names}) {select}{conflict}", params)
        return
    marks = "(" + ", ".join("?" for _ in INTENT_COLUMNS) + ")"
    for start in range(0, len(rows), CHUNK):
        part = rows[start:start + CHUNK]
        con.execute(f"insert into intents ({', '.join(INTENT_COLUMNS)}) values "
                    + ", ".join(marks for _ in part) + _UPSERT, [v for r in part for v in r])


def resolve(con, run_id: str, company: str, endpoint: str, key: str, resolution: str,
            at: datetime) -> None:
    """Close an open intent: sent | refused | not_sent (its answer) or landed | not_landed
    (what a later run found in Omie)."""
    con.execute(f"update intents set resolved_at = ?, resolution = ? where run_id = ? and "
                f"company = ? and endpoint = ? and key = ? and {OPEN}",
                [at, resolution, run_id, company, endpoint, key])


def resolve_many(con, company: str,
                 entries: list[tuple[str, str, str, str, datetime]]) -> None:
    """Close many open intents, (run_id, endpoint, key, resolution, at) each, in one statement
    (PostgreSQL: one per CHUNK). Each key at most once (the caller's batches make sure of it)."""
    if entries and dialect_of(con) == DUCKDB:       # one statement, a list per column
        select, params = unnested(("varchar",) * 4 + ("timestamp",), entries,
                                  ("run_id", "endpoint", "key", "resolution", "stamp"))
        con.execute(
            f"update intents set resolved_at = v.stamp, resolution = v.resolution from ({select}) "
            f"as v where intents.company = ${len(params) + 1} and intents.run_id = v.run_id and "
            f"intents.endpoint = v.endpoint and intents.key = v.key and intents.{OPEN}",
            params + [company])
        return
    for start in range(0, len(entries), CHUNK):
        part = entries[start:start + CHUNK]
        con.execute(
            "update intents set resolved_at = v.stamp, resolution = v.resolution from (values "
            + ", ".join("(?, ?, ?, ?, ?)" for _ in part) + ") as v(run_id, endpoint, key, "
            "resolution, stamp) where intents.company = ? and intents.run_id = v.run_id and "
            f"intents.endpoint = v.endpoint and intents.key = v.key and intents.{OPEN}",
            [x for e in part for x in e] + [company])


def open_intents(con, company: str) -> list[Intent]:
    """The company's writes whose answer no run recorded, oldest first."""
    rows = con.execute(
        "select run_id, endpoint, key, call, payload_hash, payload, started_at from intents "
        f"where company = ? and {OPEN} order by started_at, endpoint, key", [company]).fetchall()
    return [Intent(r, e, k, c, h, None if p is None else json.loads(p), t)
            for r, e, k, c, h, p, t in rows]
