"""A connection to the results: a DuckDB connection with the results file attached as
`omie_results`, or (results in a PostgreSQL warehouse) a `backend.PostgresConnection`.

The push and the readers (validate, the view reader) go through here, so views joining the
`omie_ids` model resolve wherever they are read.
"""
from __future__ import annotations

from pathlib import Path

from ..dbt.sql import quote_str
from ..errors import ProjectError
from .backend import PostgresConnection, PostgresResults
from .schema import DDL

RESULTS_DB = "omie_results"


def connect(results_path: Path | PostgresResults | None, read_only: bool = False):
    """An in-memory DuckDB connection with the results file attached as `omie_results`, or a
    connection to the results schema of a PostgreSQL warehouse (`PostgresResults`).

    Read-only (for readers such as `omie-push validate`): the file is attached READ_ONLY, or,
    before any push made it, an empty in-memory stand-in with the same tables is attached, so
    views joining omie_ids still resolve and nothing is written.
    """
    if isinstance(results_path, PostgresResults):
        return PostgresConnection(results_path)
    import duckdb

    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")   # a long read prints none (--json)
    if results_path is not None and read_only and not Path(results_path).exists():
        con.execute(f"attach ':memory:' as {RESULTS_DB}")
        con.execute(f"use {RESULTS_DB}")
        con.execute(DDL)
        con.execute("use memory")
        return con
    if results_path is not None:
        Path(results_path).parent.mkdir(parents=True, exist_ok=True)
        mode = " (read_only)" if read_only else ""
        try:
            con.execute(f"attach {quote_str(str(results_path))} as {RESULTS_DB}{mode}")
        except duckdb.Error as exc:
            con.close()
            raise ProjectError(f"cannot open the results file {results_path}: {exc}. "
                               f"Fix: close whatever holds it (a notebook, another omie-push).") from None
    return con
