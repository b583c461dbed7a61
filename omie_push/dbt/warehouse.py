"""Reading an omie view from the warehouse of the dbt target: as Arrow record batches
(`read_batches`) or one Polars frame (`read_view`).

A DuckDB warehouse (below) is read through the caller's DuckDB connection; any other warehouse
through its own driver, opened from the dbt profile for one read (omie_push.dbt.remote). The
DuckDB warehouse is attached READ_ONLY under the database name dbt gave it, read, and detached at
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
BATCH_ROWS = 100_000


def read_batches(project, model, con, rows: int = BATCH_ROWS, prelude=None):
    """The model's rows as pyarrow RecordBatches of at most `rows` rows (at least one batch:
    an empty view still has its columns). `con`: for a DuckDB warehouse, a DuckDB connection
    with the results attached as `omie_results` (store.connect), so views joining omie_ids
    resolve; other warehouses are read through their own driver and ignore it.
    `prelude(dialect)`: SQL statements run on the reading session first (the run's company,
    which omie_ids reads)."""
    wh = _checked_warehouse(project)
    statements = list(prelude(wh.type)) if prelude is not None else []
    if wh.type != "duckdb":
        from . import remote

        yield from remote.read_batches(wh, model, rows, statements)
        return
    for sql in statements:
        con.execute(sql)
    with attached_warehouse(project, model, con):
        reader = con.sql(f"select * from {_relation(model)}").to_arrow_reader(rows)
        empty = True
        for batch in reader:
            empty = False
            yield batch
        if empty:
            yield _empty(reader.schema)


_BUILT_FOR: dict[tuple, str] = {}


def _checked_warehouse(project):
    """The target's warehouse, refused when the manifest was written for another adapter (the
    relations it names are then those of another warehouse: `dbt build --target` first)."""
    wh = profiles.warehouse(project)
    path = project.target_path / "manifest.json"
    if not path.exists():
        return wh
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _BUILT_FOR:
        _BUILT_FOR[key] = str(project.manifest().get("metadata", {}).get("adapter_type") or "")
    built = _BUILT_FOR[key]
    if built and built != wh.type:
        raise ProjectError(f"{path} was written by dbt for a {built} target, but the dbt target "
                           f"chosen is {wh.target!r} ({wh.type}). Fix: run `dbt build --target "
                           f"{wh.target}` first, or pass the target it was built with "
                           f"(--dbt-target, DBT_TARGET).")
    return wh


def _empty(schema):
    import pyarrow as pa

    return pa.RecordBatch.from_pylist([], schema=schema)


def read_view(project, model, con, prelude=None):
    """The model's relation as one Polars frame (the batches of `read_batches` together)."""
    import polars as pl
    import pyarrow as pa

    # each batch becomes Polars as it arrives and its Arrow copy is let go: a million rows are
    # never held twice (nor copied once more into one chunk)
    parts = [pl.from_arrow(pa.Table.from_batches([batch]), rechunk=False)
             for batch in read_batches(project, model, con, prelude=prelude)]
    return pl.concat(parts, rechunk=False) if len(parts) > 1 else parts[0]


def spill_view(project, model, con, path, prelude=None) -> None:
    """The model's relation written to an Arrow IPC file at `path`, batch by batch: the view
    is read once and let go (the connection, with the results attached, is released at once),
    and no frame of the whole view is ever held (push.batches reads it back a slice at a time)."""
    import pyarrow as pa

    batches = read_batches(project, model, con, prelude=prelude)
    first = next(batches)
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, first.schema) as writer:
        writer.write_batch(first)
        for batch in batches:
            if batch.schema != first.schema:      # a driver may type a later batch apart
                batch = pa.Table.from_batches([batch]).cast(first.schema).combine_chunks().to_batches()[0]
            writer.write_batch(batch)


def relation_exists(project, model, con) -> bool:
    """Whether the model's relation is in the warehouse (built by an earlier dbt invocation)."""
    wh = _checked_warehouse(project)
    if wh.type != "duckdb":
        from . import remote

        return remote.relation_exists(wh, model)
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
