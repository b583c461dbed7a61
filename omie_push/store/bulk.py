"""Row outcomes and ledger reads as frames: what a run of a million rows records and compares
without one Python object per row (issue 16).

`accepted_frame` reads a company's ledger of one endpoint as a Polars frame (key, payload_hash,
omie_id) for the diff's join; `record_frame` writes a frame of row outcomes (unchanged rows, a
dry run's rows that would be sent) into row_results in one insert.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from . import backend
from .ledger import ROW_COLUMNS, ROW_SCHEMA

LEDGER_COLUMNS = ("key", "payload_hash", "omie_id")


def accepted_frame(con, company: str, endpoint: str):
    """The ledger of one endpoint of one company as a frame of LEDGER_COLUMNS (all text)."""
    import polars as pl

    sql = ("select key, payload_hash, omie_id from ledger where company = ? and endpoint = ?")
    schema = {name: pl.String for name in LEDGER_COLUMNS}
    if backend.dialect_of(con) == backend.DUCKDB:
        table = con.sql(sql, params=[company, endpoint]).to_arrow_table()
        return pl.from_arrow(table).cast(schema)
    rows = con.execute(sql, [company, endpoint]).fetchall()
    return pl.DataFrame(rows, schema=schema, orient="row")


def record_frame(con, run_id: str, endpoint: str, view: str, status: str, frame,
                 recorded_at: datetime) -> None:
    """One row_results row per row of `frame` (columns key, payload_hash, and optionally
    omie_id, payload (JSON text), note), with this status, in one insert."""
    import polars as pl

    if frame.height == 0:
        return
    fixed: dict[str, Any] = {"run_id": run_id, "endpoint": endpoint, "view": view,
                             "status": status, "recorded_at": recorded_at}
    columns = []
    for name in ROW_COLUMNS:
        if name in frame.columns:
            columns.append(pl.col(name).cast(pl.String))
        elif name in fixed:
            columns.append(pl.lit(fixed[name]).alias(name))
        else:
            columns.append(pl.lit(None, dtype=pl.String).alias(name))
    rows = frame.select(columns).with_columns(pl.col("attempts").cast(pl.Int32),
                                              pl.col("recorded_at").cast(pl.Datetime("us")))
    if backend.dialect_of(con) == backend.DUCKDB:
        table = rows.to_arrow().cast(ROW_SCHEMA())
        con.register("_omie_push_frame", table)
        try:
            names = ", ".join(ROW_COLUMNS)
            con.execute(f"insert into row_results ({names}) select {names} from _omie_push_frame")
        finally:
            con.unregister("_omie_push_frame")
        return
    backend.insert_rows(con, "row_results", ROW_COLUMNS, [list(r) for r in rows.iter_rows()])
