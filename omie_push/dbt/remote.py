"""Reading a view from a warehouse on a server (PostgreSQL, Snowflake, BigQuery, Redshift,
Databricks) as Arrow record batches, through the driver `connections` maps the profile onto.

The connection is opened for one read and closed after it, like the DuckDB file: nothing of
the warehouse stays open between the endpoints of a run.

PostgreSQL through ADBC: NUMERIC arrives as an opaque type (its text), so the select casts
each NUMERIC(p, s) column to text and the batch turns it into decimal(p, s) — exact, as DuckDB
gives it; an unconstrained NUMERIC is cast to double precision. JSON and JSONB arrive as JSON
text (`arrow.json`), which the schema check accepts for Omie's arrays and objects.
"""
from __future__ import annotations

import importlib
import re
from typing import Iterator

from ..errors import ProjectError
from . import connections

BACKTICKS = {"bigquery", "databricks"}


def quote(kind: str, name: str) -> str:
    if kind == "snowflake" and re.match(r"^[A-Za-z_][A-Za-z0-9_$]*$", name):
        return name            # dbt-snowflake does not quote by default: Snowflake upper-cases
    if kind in BACKTICKS:
        return "`" + name.replace("`", "\\`") + "`"
    return '"' + name.replace('"', '""') + '"'


def relation(kind: str, model) -> str:
    """The model's relation as its warehouse names it (PostgreSQL and Redshift read within the
    connection's database, so the database part is left out there)."""
    parts = [model.schema, model.identifier]
    if kind not in ("postgres", "redshift") and model.database:
        parts.insert(0, model.database)
    return ".".join(quote(kind, p) for p in parts if p)


def open_connection(wh):
    """A DB-API connection to the warehouse, or a ProjectError naming the extra to install."""
    missing = connections.missing_extra(wh.type) if wh.type in connections.DRIVERS else None
    if missing:
        raise ProjectError(f"{wh.where}: {missing}")
    args = connections.driver_args(wh.type, wh.credentials, wh.where)
    module = importlib.import_module(args.driver)
    try:
        if args.driver.startswith("adbc_driver_"):
            dbapi = importlib.import_module(args.driver + ".dbapi")
            if args.uri is not None:
                return dbapi.connect(args.uri, autocommit=True)
            return dbapi.connect(db_kwargs=args.kwargs, autocommit=True)
        return module.connect(**args.kwargs)
    except Exception as exc:  # noqa: BLE001 - each driver has its own error classes
        raise ProjectError(f"{wh.where}: cannot connect: {_first_line(exc, wh.credentials)}. Fix "
                           f"the output in profiles.yml (`dbt debug --target {wh.target}` checks "
                           f"it).") from None


SECRET_FIELDS = ("password", "pass", "token", "private_key", "private_key_passphrase",
                 "keyfile_json", "client_secret", "refresh_token")


def _first_line(exc: Exception, creds: dict) -> str:
    """The driver's first line, with any secret of the profile blanked out."""
    line = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    for key in SECRET_FIELDS:
        value = creds.get(key)
        if isinstance(value, str) and len(value) >= 3:
            line = line.replace(value, "***")
    return line


def read_batches(wh, model, rows: int, statements=()) -> Iterator:
    """The model's rows as pyarrow RecordBatches of at most `rows` rows; `statements` run on
    the session first (the run's company, which omie_ids reads)."""
    con = open_connection(wh)
    try:
        cur = con.cursor()
        try:
            for sql in statements:
                cur.execute(sql)
            yield from _rechunk(_batches(wh.type, cur, model, rows), rows)
        finally:
            cur.close()
    finally:
        con.close()


def relation_exists(wh, model) -> bool:
    con = open_connection(wh)
    try:
        cur = con.cursor()
        try:
            cur.execute(f"select * from {relation(wh.type, model)} where 1 = 0")
            return True
        except Exception:  # noqa: BLE001 - a missing relation is each driver's own error
            return False
        finally:
            cur.close()
    finally:
        con.close()


def _batches(kind: str, cur, model, rows: int) -> Iterator:
    import pyarrow as pa

    if kind == "postgres":
        decimals, select = _postgres_select(cur, model)
        cur.execute(select)
        yield from _adbc(cur, decimals)
    elif kind in ("snowflake", "bigquery"):
        cur.execute(f"select * from {relation(kind, model)}")
        yield from _adbc(cur, {})
    elif kind == "databricks":
        cur.execute(f"select * from {relation(kind, model)}")
        while (table := cur.fetchmany_arrow(rows)).num_rows:
            yield from table.to_batches()
    else:   # redshift_connector: DB-API rows
        cur.execute(f"select * from {relation(kind, model)}")
        names = [d[0] for d in cur.description]
        while chunk := cur.fetchmany(rows):
            yield pa.RecordBatch.from_pylist([dict(zip(names, r)) for r in chunk])


def _adbc(cur, decimals: dict) -> Iterator:
    """An ADBC result's batches, at least one (an empty view still has its columns)."""
    reader = cur.fetch_record_batch()
    empty = True
    for batch in reader:
        empty = False
        yield _plain(batch, decimals)
    if empty:
        yield _plain(_empty_batch(reader.schema), decimals)


def _empty_batch(schema):
    import pyarrow as pa

    return pa.RecordBatch.from_pylist([], schema=schema)


def _postgres_select(cur, model) -> tuple[dict, str]:
    """(NUMERIC columns -> (precision, scale), the select that casts them for ADBC)."""
    from .sql import quote_str

    cur.execute("select column_name, data_type, numeric_precision, numeric_scale "
                "from information_schema.columns "
                f"where table_schema = {quote_str(model.schema)} "
                f"and table_name = {quote_str(model.identifier)} order by ordinal_position")
    columns = cur.fetchall()
    if not columns:
        raise ProjectError(f"{model.name}: {model.schema}.{model.identifier} is not in the "
                           f"warehouse. Fix: run `dbt build --select {model.name}` first.")
    decimals, exprs = {}, []
    for name, kind, precision, scale in columns:
        col = quote("postgres", name)
        if kind == "numeric" and precision is not None:
            decimals[name] = (int(precision), int(scale or 0))
            exprs.append(f"cast({col} as text) as {col}")
        elif kind == "numeric":
            exprs.append(f"cast({col} as double precision) as {col}")
        else:
            exprs.append(col)
    return decimals, f"select {', '.join(exprs)} from {relation('postgres', model)}"


def _plain(batch, decimals: dict):
    """Extension types (JSON, opaque) as their storage; cast NUMERIC text to decimal(p, s)."""
    import pyarrow as pa

    arrays, fields = [], []
    for name, column in zip(batch.schema.names, batch.columns):
        if isinstance(column.type, pa.BaseExtensionType):
            column = column.storage
        if name in decimals:
            column = column.cast(pa.decimal128(*decimals[name]))
        arrays.append(column)
        fields.append(pa.field(name, column.type))
    return pa.RecordBatch.from_arrays(arrays, schema=pa.schema(fields))


def _rechunk(batches: Iterator, rows: int) -> Iterator:
    for batch in batches:
        if batch.num_rows == 0:
            yield batch
        for start in range(0, batch.num_rows, rows):
            yield batch.slice(start, rows)
