"""Where the results tables live: a DuckDB file, or a schema of the PostgreSQL warehouse.

The store's code (Ledger and every table added beside it) speaks one portable SQL: `?`
placeholders, `insert ... on conflict (...) do update`, `begin`/`commit`, unqualified table
names, and `con.execute(sql, params).fetchall()` as DuckDB's connection answers it. A DuckDB
connection is used as it is; `PostgresConnection` answers the same calls on psycopg2 (the
driver dbt-postgres itself uses), turning `?` into `%s`, with the schema as search_path.
Bulk inserts and the DDL differ per dialect, so they are here: `insert_rows` and `prepare`.

One run at a time per company: on a DuckDB file the file's single writer ensures it; on
PostgreSQL `hold_run_lock` takes a session advisory lock named after the company.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

from ..errors import UsageError
from .schema import ddl

DUCKDB, POSTGRES = "duckdb", "postgres"


@dataclass(frozen=True)
class PostgresResults:
    """The results in a schema of a PostgreSQL warehouse (the dbt profile's credentials)."""

    uri: str = field(repr=False)       # libpq URI; may hold the password
    schema: str = "omie_push"
    where: str = ""                    # the profile and target, for messages

    def __str__(self) -> str:
        return f"schema {self.schema} of the PostgreSQL warehouse ({self.where})"

    # The shape of a results store opened for each use (as a DuckDB results file is), so the
    # code that writes in short transactions runs on either.
    def create(self) -> bool:
        """Create the schema and the tables if missing; True if the tables were new."""
        with self.connection() as con:
            new = not con.execute("select 1 from information_schema.tables where table_schema = ? "
                                  "and table_name = 'runs'", [self.schema]).fetchone()
            prepare(con)
        return new

    @contextmanager
    def connection(self, read_only: bool = False) -> Iterator["PostgresConnection"]:
        """A connection aimed at the results schema, closed when the block ends."""
        con = PostgresConnection(self)
        try:
            con.execute(f"set search_path to {quote_id(self.schema)}")
            if read_only:
                con.execute("set default_transaction_read_only = on")
            yield con
        finally:
            con.close()

    @contextmanager
    def transaction(self) -> Iterator["PostgresConnection"]:
        """One short write: open, begin, yield, commit (rollback on error), close."""
        with self.connection() as con:
            con.execute("begin")
            try:
                yield con
            except BaseException:
                con.execute("rollback")
                raise
            con.execute("commit")


def dialect_of(con) -> str:
    return getattr(con, "dialect", DUCKDB)


class PostgresConnection:
    """psycopg2 in autocommit (explicit begin/commit, as the store writes them), answering the
    subset of DuckDB's connection API the store uses."""

    dialect = POSTGRES

    def __init__(self, results: PostgresResults):
        try:
            import psycopg2
        except ImportError:
            raise UsageError("keeping the results in PostgreSQL needs psycopg2, which is not "
                             "installed. Fix: pip install \"omie-push[postgres]\"") from None

        self.results = results
        try:
            self.raw = psycopg2.connect(results.uri)
        except psycopg2.Error as exc:
            raise UsageError(f"cannot open the results in {results}: "
                             f"{str(exc).strip().splitlines()[0]}") from None
        self.raw.autocommit = True
        # JSON columns as text, as DuckDB hands them over (the store's readers json.loads them)
        from psycopg2.extras import register_default_json, register_default_jsonb

        register_default_json(self.raw, loads=lambda text: text)
        register_default_jsonb(self.raw, loads=lambda text: text)
        self._cur = self.raw.cursor()

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> "PostgresConnection":
        if sql.strip().rstrip(";").lower() == "use omie_results":
            return self          # DuckDB's way of aiming at the results: search_path does it here
        self._cur.execute(to_pyformat(sql) if params is not None else sql,
                          tuple(params) if params is not None else None)
        return self

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> "PostgresConnection":
        self._cur.executemany(to_pyformat(sql), [tuple(r) for r in rows])
        return self

    def fetchall(self) -> list[tuple]:
        return self._cur.fetchall()

    def fetchmany(self, size: int = 1) -> list[tuple]:
        return self._cur.fetchmany(size)

    @property
    def description(self):
        """The last result's columns, as DB-API (and DuckDB's connection) give them."""
        return self._cur.description

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    def begin(self) -> None:
        self.execute("begin")

    def commit(self) -> None:
        self.execute("commit")

    def rollback(self) -> None:
        self.execute("rollback")

    def fetchone(self) -> tuple | None:
        return self._cur.fetchone()

    def cursor(self) -> "PostgresConnection":
        """A second connection (for the writer thread), with its own transactions."""
        con = PostgresConnection(self.results)
        con.execute(f"set search_path to {quote_id(self.results.schema)}")
        return con

    def close(self) -> None:
        self.raw.close()


def to_pyformat(sql: str) -> str:
    """`?` placeholders as psycopg2's `%s` (and a literal `%` as `%%`), outside quotes."""
    out, quote = [], None
    for ch in sql:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        else:
            out.append("%%" if ch == "%" else ch)
    return "".join(out)


def quote_id(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def aim(con) -> None:
    """Aim the connection at the results tables (they exist)."""
    if dialect_of(con) == POSTGRES:
        con.execute(f"set search_path to {quote_id(con.results.schema)}")
    else:
        con.execute("use omie_results")


def prepare(con) -> None:
    """Aim the connection at the results tables and create those missing."""
    if dialect_of(con) == POSTGRES:
        schema = quote_id(con.results.schema)
        # `create schema if not exists` needs CREATE on the database even when the schema
        # exists: ask first, so a schema the DBA created for this user is enough (the one grant)
        import psycopg2

        try:
            if not con.execute("select 1 from pg_namespace where nspname = ?",
                               [con.results.schema]).fetchone():
                con.execute(f"create schema {schema}")
            con.execute(f"set search_path to {schema}")
            con.execute(ddl(POSTGRES))
        except psycopg2.errors.InsufficientPrivilege as exc:
            raise UsageError(
                f"cannot create the results tables in {con.results}: {str(exc).splitlines()[0]}. "
                f"Fix (once, as the database owner): create schema {schema} authorization "
                f"<the dbt profile's user>; (docs/warehouses.md, \"The one grant\")") from None
    else:
        con.execute("use omie_results")
        con.execute(ddl(DUCKDB))


def insert_rows(con, table: str, columns: Sequence[str], rows: list[list[Any]], arrow_schema=None) -> None:
    """Many rows at once: one Arrow insert on DuckDB (10k rows ~0.1 s, not ~7 s of
    executemany), psycopg2's execute_values on PostgreSQL."""
    if not rows:
        return
    names = ", ".join(columns)
    if dialect_of(con) == POSTGRES:
        from psycopg2.extras import execute_values

        execute_values(con._cur, f"insert into {table} ({names}) values %s",
                       [tuple(r) for r in rows], page_size=1000)
        return
    import pyarrow as pa

    batch = pa.table({name: [row[i] for row in rows] for i, name in enumerate(columns)},
                     schema=arrow_schema)
    con.register("_omie_push_rows", batch)
    try:
        con.execute(f"insert into {table} ({names}) select {names} from _omie_push_rows")
    finally:
        con.unregister("_omie_push_rows")


def unnested(types: Sequence[str], rows: list[Sequence[Any]], names: Sequence[str] = (),
             first: int = 1) -> tuple[str, list[list[Any]]]:
    """DuckDB: a `select` of many rows passed as one list parameter per column
    (`unnest($1::varchar[]), unnest($2::timestamp[]), ...`, zipped), with its parameters.
    A statement of a few list parameters costs about the same for 1 row as for 200 (~6-10 ms on
    the 2-core build machine), where a multi-row VALUES binds each value (200 rows: ~35 ms), and
    pyarrow's first table imports pandas (~0.4 s): the writer thread's per-call cost (issue 16).
    `names` labels the columns (for an `update ... from`); `first` numbers the first parameter."""
    cells = [f"unnest(${first + i}::{kind}[])" + (f" as {names[i]}" if names else "")
             for i, kind in enumerate(types)]
    return "select " + ", ".join(cells), [[row[i] for row in rows] for i in range(len(types))]


_RUN_LOCKS: dict[tuple[str, str, str], PostgresConnection] = {}


def hold_run_lock(con, company: str) -> None:
    """One run at a time per company. DuckDB: the file has one writer, nothing to do.
    PostgreSQL: a session advisory lock on a connection of its own, held until
    `release_run_lock` (or until the process dies: the server drops its session), so it holds
    however short the store's other connections are. Refused at once if another run holds it."""
    if dialect_of(con) != POSTGRES:
        return
    results = con.results
    key = (results.uri, results.schema, company)
    if key in _RUN_LOCKS:
        return
    holder = PostgresConnection(results)
    name = f"omie-push:{results.schema}:{company}"
    (held,) = holder.execute("select pg_try_advisory_lock(hashtextextended(?, 0))", [name]).fetchone()
    if not held:
        holder.close()
        raise UsageError(f"another omie-push run for company {company} is going on with the "
                         f"results in {results}. Wait for it to finish.")
    _RUN_LOCKS[key] = holder


def release_run_lock(con, company: str) -> None:
    if dialect_of(con) != POSTGRES:
        return
    holder = _RUN_LOCKS.pop((con.results.uri, con.results.schema, company), None)
    if holder is not None:
        holder.close()


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")


def check_schema_name(name: str, where: str) -> str:
    if not _IDENT.match(name or ""):
        raise UsageError(f"{where}: results_schema {name!r} must be a plain SQL name, e.g. omie_push.")
    return name
