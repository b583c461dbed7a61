"""The drift tables: each field someone changed in Omie on a record omie-push wrote, and where
the next check starts (docs/drift.md). Written by the push's drift check and by
`omie-push drift --accept/--overwrite`; read by the review layer.

A drift row is `open` when found; `accepted` (Omie's value stands: the row is no longer held),
`overwrite` (the user asked the next push to send the warehouse's value) and `overwritten`
(omie-push sent the row again after it was found) close it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from .ledger import now

OPEN = "open"
ACCEPTED = "accepted"
OVERWRITE = "overwrite"          # asked for; the next push sends the row and closes it
OVERWRITTEN = "overwritten"
UNRESOLVED = (OPEN, OVERWRITE)

COLUMNS = ("company", "endpoint", "key", "field", "our_value", "omie_value", "changed_by",
           "changed_at", "found_run_id", "found_at", "status")


@dataclass(frozen=True)
class DriftRow:
    endpoint: str
    key: str
    field: str
    our_value: str | None
    omie_value: str | None
    changed_by: str | None
    changed_at: str | None


class DriftStore:
    """The drift tables of one company, on a connection where the results are the default
    database (the push's `Ledger` connection, or one of `omie-push drift`)."""

    def __init__(self, con, company: str):
        self.con, self.company = con, company

    # ---- where the next check starts ----------------------------------------------------
    def since(self, endpoint: str) -> str | None:
        row = self.con.execute("select since from drift_checks where company = ? and endpoint = ?",
                               [self.company, endpoint]).fetchone()
        return row[0] if row else None

    def minutes_since_check(self, endpoint: str) -> float | None:
        """Minutes since the endpoint's last drift check (None: never checked)."""
        row = self.con.execute("select checked_at from drift_checks where company = ? and "
                               "endpoint = ?", [self.company, endpoint]).fetchone()
        if not row or row[0] is None:
            return None
        return max(0.0, (now() - row[0]).total_seconds() / 60.0)

    def checked(self, endpoint: str, since: str | None, run_id: str, at: datetime, calls: int) -> None:
        self.con.execute("delete from drift_checks where company = ? and endpoint = ?",
                         [self.company, endpoint])
        self.con.execute("insert into drift_checks (company, endpoint, since, run_id, checked_at, calls) "
                         "values (?, ?, ?, ?, ?, ?)", [self.company, endpoint, since, run_id, at, calls])

    # ---- what was sent -----------------------------------------------------------------
    def accepted_payloads(self, endpoint: str, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The payload Omie last accepted per key: the sent row whose hash the ledger keeps."""
        keys = list(keys)
        if not keys:
            return {}
        marks = ", ".join("?" for _ in keys)
        rows = self.con.execute(
            "select l.key, r.payload::varchar from ledger l join row_results r "
            "on r.run_id = l.run_id and r.endpoint = l.endpoint and r.key = l.key "
            "and r.payload_hash = l.payload_hash and r.status = 'sent' "
            f"where l.company = ? and l.endpoint = ? and l.key in ({marks}) and r.payload is not null",
            [self.company, endpoint, *keys]).fetchall()
        return {k: json.loads(p) for k, p in rows}

    # ---- drift rows --------------------------------------------------------------------
    def record(self, rows: Iterable[DriftRow], run_id: str, at: datetime) -> int:
        """Add the differences not recorded yet (the same field, value and change of a key is
        one drift however often it is seen); returns how many were new."""
        added = 0
        for r in rows:
            seen = self.con.execute(
                "select 1 from drift where company = ? and endpoint = ? and key = ? and field = ? "
                "and omie_value is not distinct from ? and changed_at is not distinct from ?",
                [self.company, r.endpoint, r.key, r.field, r.omie_value, r.changed_at]).fetchone()
            if seen:
                continue
            self.con.execute(
                f"insert into drift ({', '.join(COLUMNS)}) values ({', '.join('?' for _ in COLUMNS)})",
                [self.company, r.endpoint, r.key, r.field, r.our_value, r.omie_value, r.changed_by,
                 r.changed_at, run_id, at, OPEN])
            added += 1
        return added

    def unresolved(self, endpoint: str | None = None) -> list[dict[str, Any]]:
        """Open drift and drift the user asked to overwrite, oldest first."""
        sql = ("select endpoint, key, field, our_value, omie_value, changed_by, changed_at, "
               "found_run_id, found_at, status from drift where company = ? and status in (?, ?)")
        params: list[Any] = [self.company, *UNRESOLVED]
        if endpoint is not None:
            sql += " and endpoint = ?"
            params.append(endpoint)
        cur = self.con.execute(sql + " order by found_at, endpoint, key, field", params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def resolve(self, key: str, status: str, at: datetime, run_id: str | None = None,
                endpoint: str | None = None, only: tuple[str, ...] = UNRESOLVED) -> int:
        """Close (or mark for overwriting) the unresolved drift of a key; returns how many."""
        sql = "from drift where company = ? and key = ? and status in ({})".format(
            ", ".join("?" for _ in only))
        params: list[Any] = [self.company, key, *only]
        if endpoint is not None:
            sql += " and endpoint = ?"
            params.append(endpoint)
        count = self.con.execute(f"select count(*) {sql}", params).fetchone()[0]
        if count:
            self.con.execute(f"update drift set status = ?, resolved_at = ?, resolved_run_id = ? "
                             f"{sql.removeprefix('from drift')}", [status, at, run_id, *params])
        return count
