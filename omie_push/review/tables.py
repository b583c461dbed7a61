"""The results tables as people read them: the only SQL over `runs`, `row_results` and `ledger`
outside the store that writes them (omie_push/store/schema.py holds their DDL).

A `Snapshot` is one read of the file: the run history, the row results of the latest runs
(payloads left out: they are read one row at a time, on demand) and the Omie ids of the
ledger. Columns a file does not have yet (an older or newer store) come back as nulls, so a
change of the store's shape lands here and nowhere else.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .source import Results, frame, reading, tables_of

DEFAULT_RUNS = 30        # row results are read for this many of the latest runs

RUN_COLUMNS = {
    "run_id": "varchar", "target": "varchar", "company": "varchar", "started_at": "timestamp",
    "finished_at": "timestamp", "duration_seconds": "double", "dry_run": "boolean",
    "full_refresh": "boolean", "options": "varchar", "counts": "varchar", "outcome": "varchar",
    "exit_code": "integer",
}
ROW_COLUMNS = {
    "run_id": "varchar", "endpoint": "varchar", "view": "varchar", "key": "varchar",
    "status": "varchar", "omie_id": "varchar", "omie_status": "varchar", "fault": "varchar",
    "faultcode": "varchar", "reasons": "varchar", "attempts": "integer",
    "payload_hash": "varchar", "note": "varchar", "recorded_at": "timestamp",
}
LEDGER_COLUMNS = {
    "company": "varchar", "endpoint": "varchar", "key": "varchar", "payload_hash": "varchar",
    "omie_id": "varchar", "run_id": "varchar", "accepted_at": "timestamp",
}


def _select(table: str, wanted: dict[str, str], present: set[str]) -> str:
    """Every wanted column, as text where it is JSON, null where this file lacks it."""
    parts = [f"cast({name} as {kind}) as {name}" if name in present
             else f"cast(null as {kind}) as {name}" for name, kind in wanted.items()]
    return f"select {', '.join(parts)} from {table}"


@dataclass
class Snapshot:
    """One read of the results file; everything the notebooks and `omie-push runs` show."""

    results: Results
    runs: Any                  # Polars frame, newest first (RUN_COLUMNS)
    rows: Any                  # row_results of the latest runs (ROW_COLUMNS)
    ledger: Any                # LEDGER_COLUMNS
    read_at: datetime
    other_tables: tuple[str, ...] = ()   # tables this reader does not show (yet)
    run_ids: tuple[str, ...] = field(default=())   # the runs whose rows were read

    @property
    def empty(self) -> bool:
        return self.runs.height == 0

    @property
    def path(self) -> Path:
        return self.results.path

    def message(self) -> str:
        """What to tell a person when there is nothing to show."""
        return self.results.no_run_message()

    def real_runs(self):
        """The runs that talked to Omie (dry runs left out), newest first."""
        import polars as pl

        return self.runs.filter(~pl.col("dry_run").fill_null(False))

    def last_run_id(self, dry_run: bool = False) -> str | None:
        runs = self.runs if dry_run else self.real_runs()
        return runs["run_id"][0] if runs.height else None

    def run(self, run_id: str) -> dict[str, Any] | None:
        import polars as pl

        found = self.runs.filter(pl.col("run_id") == run_id)
        return found.row(0, named=True) if found.height else None

    def rows_of(self, run_id: str):
        import polars as pl

        return self.rows.filter(pl.col("run_id") == run_id)


def empty_snapshot(results: Results | None) -> Snapshot:
    import polars as pl

    def empty(columns: dict[str, str]):
        kinds = {"varchar": pl.String, "timestamp": pl.Datetime("us"), "double": pl.Float64,
                 "boolean": pl.Boolean, "integer": pl.Int32}
        return pl.DataFrame(schema={name: kinds[kind] for name, kind in columns.items()})

    return Snapshot(results, empty(RUN_COLUMNS), empty(ROW_COLUMNS), empty(LEDGER_COLUMNS),
                    _now())


def snapshot(results: Results, last: int = DEFAULT_RUNS, run_ids: tuple[str, ...] = (),
             ledger: bool = True) -> Snapshot:
    """Read the history, the rows of the `last` runs (plus any of `run_ids`) and (unless
    `ledger` is false) the ledger's Omie ids, in one short read-only visit."""
    if not results.exists:
        return empty_snapshot(results)
    with reading(results) as con:
        present = tables_of(con)
        if "runs" not in present:
            return empty_snapshot(results)
        runs = frame(con, _select("runs", RUN_COLUMNS, present["runs"])
                     + " order by started_at desc nulls last, run_id desc")
        keep = tuple(dict.fromkeys([*runs["run_id"].head(last).to_list(), *run_ids]))
        rows = _rows(con, present, keep)
        ids = (frame(con, _select("ledger", LEDGER_COLUMNS, present["ledger"])
                     + " order by endpoint, key") if ledger and "ledger" in present
               else empty_snapshot(results).ledger)
    # drift and drift_checks are read by review/drift.py
    others = tuple(sorted(set(present) - {"runs", "row_results", "ledger", "drift", "drift_checks"}))
    return Snapshot(results, runs, rows, ids, _now(), others, keep)


def _rows(con, present: dict[str, set[str]], run_ids: tuple[str, ...]):
    columns = present.get("row_results")
    if columns is None:
        return empty_snapshot(None).rows
    where = f"where run_id in ({', '.join('?' for _ in run_ids)})" if run_ids else "where false"
    return frame(con, f"{_select('row_results', ROW_COLUMNS, columns)} {where} "
                      f"order by recorded_at, endpoint, view, key", list(run_ids))


def payloads(results: Results, run_id: str, view: str | None = None,
             keys: list[str] | None = None) -> dict[tuple[str, str | None], dict[str, Any]]:
    """The payloads one run recorded, by (view, key): what was sent, or on a dry run what
    would be sent, exactly as built."""
    sql = "select view, key, payload::varchar from row_results where run_id = ? and payload is not null"
    params: list[Any] = [run_id]
    if view is not None:
        sql += " and view = ?"
        params.append(view)
    if keys:
        sql += f" and key in ({', '.join('?' for _ in keys)})"
        params += list(keys)
    with reading(results) as con:
        rows = con.execute(sql, params).fetchall()
    return {(v, k): json.loads(p) for v, k, p in rows}


def accepted_payloads(results: Results, company: str, endpoint: str,
                      keys: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """What Omie last accepted per key: the payload of the sent row whose hash the ledger
    keeps (the ledger itself keeps only the hash)."""
    sql = ("select l.key, r.payload::varchar from ledger l join row_results r "
           "on r.run_id = l.run_id and r.endpoint = l.endpoint and r.key = l.key "
           "and r.payload_hash = l.payload_hash and r.status = 'sent' "
           "where l.company = ? and l.endpoint = ? and r.payload is not null")
    params: list[Any] = [company, endpoint]
    if keys:
        sql += f" and l.key in ({', '.join('?' for _ in keys)})"
        params += list(keys)
    if not results.exists:
        return {}
    with reading(results) as con:
        rows = con.execute(sql, params).fetchall()
    return {k: json.loads(p) for k, p in rows}


def _now() -> datetime:
    from ..store.ledger import now

    return now()
