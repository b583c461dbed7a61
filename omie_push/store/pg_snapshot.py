"""The results tables of a PostgreSQL schema, copied into an in-memory DuckDB connection.

The review layer (notebooks, `omie-push runs` and `show`) reads the results with DuckDB SQL;
when they live in PostgreSQL it reads a copy taken in one visit (ADBC, Arrow), the server's
connection closed at once, as it does with the DuckDB file. JSON columns arrive as text, which
DuckDB's JSON functions read as well.
"""
from __future__ import annotations

from .backend import PostgresResults, quote_id


def copy_into(results: PostgresResults, duck) -> list[str]:
    """Copy every table of the results schema into `duck` (its main schema); their names."""
    import pyarrow as pa

    try:
        import adbc_driver_postgresql.dbapi as pg
    except ImportError:
        from ..errors import UsageError

        raise UsageError("reading results kept in PostgreSQL needs adbc-driver-postgresql, which "
                         "is not installed. Fix: pip install \"omie-push[postgres]\"") from None

    from ..dbt.sql import quote_str

    copied = []
    with pg.connect(results.uri) as con, con.cursor() as cur:
        cur.execute("select table_name from information_schema.tables "
                    f"where table_schema = {quote_str(results.schema)} and table_type = 'BASE TABLE'")
        tables = [r[0] for r in cur.fetchall()]
        for table in tables:
            cur.execute(f"select * from {quote_id(results.schema)}.{quote_id(table)}")
            frame = cur.fetch_arrow_table()
            columns = [c.cast(c.type.storage_type) if isinstance(c.type, pa.BaseExtensionType)
                       else c for c in frame.columns]
            plain = pa.table(columns, names=frame.column_names)
            duck.register("_omie_results_copy", plain)
            try:
                duck.execute(f"create table {quote_id(table)} as select * from _omie_results_copy")
            finally:
                duck.unregister("_omie_results_copy")
            copied.append(table)
    return copied
