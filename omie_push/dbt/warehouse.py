"""Reading an omie view from the warehouse of the dbt target into Polars.

The warehouse is attached READ_ONLY under the database name dbt gave it, read, and detached at
once: a DuckDB file has one writer, and an open reader would lock `dbt build` out. The caller's
connection has the results attached as `omie_results` (omie_push.store.connect), so views that
join the `omie_ids` model see the ids Omie granted earlier in this same run (DuckDB views are
evaluated when read).
"""
from __future__ import annotations

import time

from ..errors import ProjectError
from . import profiles
from .sql import quote_id, quote_str


BUSY_WAIT_SECONDS = 300.0   # how long a read waits for a `dbt build` holding the warehouse


def read_view(project, model, con):
    """The model's relation as a Polars frame; the warehouse is attached only while reading.
    `con`: a DuckDB connection with the results attached as `omie_results` (store.connect),
    so views joining omie_ids resolve."""
    with attached_warehouse(project, model, con):
        relation = _relation(model)
        import polars as pl

        return pl.from_arrow(con.sql(f"select * from {relation}").to_arrow_table())


def relation_exists(project, model, con) -> bool:
    """Whether the model's relation is in the warehouse (built by an earlier dbt invocation)."""
    with attached_warehouse(project, model, con):
        row = con.execute(
            "select count(*) from information_schema.tables "
            "where table_catalog = ? and table_schema = ? and table_name = ?",
            [model.database, model.schema, model.identifier]).fetchone()
        return bool(row and row[0])


class attached_warehouse:
    """Context manager: ATTACH the warehouse READ_ONLY as the manifest's database, then DETACH."""

    def __init__(self, project, model, con):
        self.project, self.model, self.con = project, model, con

    def __enter__(self):
        import duckdb

        path = profiles.duckdb_path(self.project)
        if not path.exists():
            raise ProjectError(f"the warehouse {path} does not exist. Fix: run `dbt build` first.")
        name = self.model.database or path.stem
        deadline, pause = time.monotonic() + BUSY_WAIT_SECONDS, 0.05
        while True:
            try:
                self.con.execute(f"attach {quote_str(str(path))} as {quote_id(name)} (read_only)")
                break
            except duckdb.Error as exc:
                # `dbt build` writing the warehouse holds it: wait for it, within reason
                busy = "lock" in str(exc).lower()
                if not busy or time.monotonic() >= deadline:
                    raise ProjectError(f"cannot open the warehouse {path} read-only: {exc}. "
                                       f"Fix: wait for `dbt build` to finish, or close other "
                                       f"connections.") from None
            time.sleep(pause)
            pause = min(pause * 2, 1.0)
        self.name = name
        return self

    def __exit__(self, *exc):
        self.con.execute(f"detach {quote_id(self.name)}")
        return False


def _relation(model) -> str:
    return ".".join(quote_id(p) for p in (model.database, model.schema, model.identifier) if p)
