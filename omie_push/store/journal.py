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


def intend(con, run_id: str, company: str, endpoint: str, call: str,
           items: Iterable[tuple[str, str | None, dict[str, Any] | None]], started_at: datetime) -> None:
    """Record (key, payload_hash, payload) intents of one write call, before it goes out."""
    rows = [[run_id, company, endpoint, key, call, h, None if p is None else json.dumps(
        p, ensure_ascii=False, default=str), started_at] for key, h, p in items]
    if not rows:
        return
    con.executemany(
        "insert into intents (run_id, company, endpoint, key, call, payload_hash, payload, "
        "started_at) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (run_id, company, endpoint, key) "
        "do update set call = excluded.call, payload_hash = excluded.payload_hash, "
        "payload = excluded.payload, started_at = excluded.started_at, resolved_at = null, "
        "resolution = null", rows)


def resolve(con, run_id: str, company: str, endpoint: str, key: str, resolution: str,
            at: datetime) -> None:
    """Close an open intent: sent | refused | not_sent (its answer) or landed | not_landed
    (what a later run found in Omie)."""
    con.execute(f"update intents set resolved_at = ?, resolution = ? where run_id = ? and "
                f"company = ? and endpoint = ? and key = ? and {OPEN}",
                [at, resolution, run_id, company, endpoint, key])


def open_intents(con, company: str) -> list[Intent]:
    """The company's writes whose answer no run recorded, oldest first."""
    rows = con.execute(
        "select run_id, endpoint, key, call, payload_hash, payload, started_at from intents "
        f"where company = ? and {OPEN} order by started_at, endpoint, key", [company]).fetchall()
    return [Intent(r, e, k, c, h, None if p is None else json.loads(p), t)
            for r, e, k, c, h, p, t in rows]
