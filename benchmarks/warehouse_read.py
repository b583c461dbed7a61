"""Reading one 100k-row view from PostgreSQL into Polars, four ways, on the same server and view:
omie-push's reader (ADBC, batches), connectorx, psycopg2 (DB-API rows) and SQLAlchemy + pandas.

The view is shaped like omie_contas_receber (text, bigint, NUMERIC(15,2), a date as text) plus a
JSONB column, as a dbt view on PostgreSQL gives them. Each way is run `--runs` times; the median
wall time and the peak RSS of the process (each way runs in a fresh Python process) are printed. Run:

    .venv/bin/python benchmarks/warehouse_read.py [--rows 100000] [--runs 5]

The server is OMIE_PUSH_TEST_POSTGRES_URL when set, else a private cluster as in the tests.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VIEW_SQL = """
drop schema if exists bench cascade;
create schema bench;
create table bench.raw as
select 'CR-' || lpad(i::text, 7, '0') as receivable_id, 'CLI-' || (i % 5000) as customer_id,
       '2027-' || lpad((1 + i % 12)::text, 2, '0') || '-15' as due_date,
       round((random() * 100000)::numeric, 2) as amount, '1.01.03' as category_code,
       (1000 + i % 3)::bigint as bank_account_id, 'NF ' || i as document_number,
       jsonb_build_object('tag', 'Cliente ' || (i % 7)) as extra
from generate_series(1, {rows}) as i;
create view bench.omie_contas_receber as
select cast(receivable_id as varchar) as codigo_lancamento_integracao,
       cast(customer_id as varchar) as codigo_cliente_fornecedor_integracao,
       cast(due_date as varchar) as data_vencimento,
       cast(amount as decimal(15, 2)) as valor_documento,
       cast(category_code as varchar) as codigo_categoria,
       cast(bank_account_id as bigint) as id_conta_corrente,
       cast(document_number as varchar) as numero_documento,
       extra
from bench.raw;
"""
QUERY = "select * from bench.omie_contas_receber"


def omie_push_reader(server) -> int:
    import polars as pl
    import pyarrow as pa

    from omie_push.dbt import remote
    from omie_push.dbt.profiles import Warehouse

    creds = {"type": "postgres", "host": server.host, "port": server.port, "user": server.user,
             "password": server.password, "database": server.dbname}
    wh = Warehouse("postgres", "bench", "bench", Path("profiles.yml"), creds)
    model = SimpleNamespace(name="omie_contas_receber", schema="bench",
                            identifier="omie_contas_receber", database=server.dbname)
    batches = list(remote.read_batches(wh, model, 100_000))
    frame = pl.from_arrow(pa.Table.from_batches(batches))
    assert frame.schema["valor_documento"] == pl.Decimal(15, 2), frame.schema
    return frame.height


def connectorx_read(server) -> int:
    import connectorx as cx
    import polars as pl

    frame = pl.from_arrow(cx.read_sql(server.url, QUERY, return_type="arrow"))
    return frame.height


def psycopg2_rows(server) -> int:
    import polars as pl
    import psycopg2

    con = psycopg2.connect(server.url)
    try:
        with con.cursor() as cur:
            cur.execute(QUERY)
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
    finally:
        con.close()
    return pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None).height


def sqlalchemy_pandas(server) -> int:
    import pandas as pd
    import polars as pl
    import sqlalchemy

    engine = sqlalchemy.create_engine(server.url.replace("postgresql://", "postgresql+psycopg2://"))
    try:
        with engine.connect() as con:
            frame = pd.read_sql(sqlalchemy.text(QUERY), con)
    finally:
        engine.dispose()
    return pl.from_pandas(frame).height


WAYS = {"omie-push (ADBC)": omie_push_reader, "connectorx": connectorx_read,
        "psycopg2 rows": psycopg2_rows, "SQLAlchemy + pandas": sqlalchemy_pandas}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one_way(name: str, server, runs: int, rows: int) -> None:
    """In a fresh process: one warm-up read, then `runs` timed reads, and the peak RSS."""
    way = WAYS[name]
    way(server)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        assert way(server) == rows
        times.append(time.perf_counter() - start)
    print(f"  {name:<22} {statistics.median(times):6.3f} s   "
          f"(min {min(times):.3f}, max {max(times):.3f}); peak RSS {peak_mb():.0f} MB", flush=True)


def main() -> None:
    import subprocess

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--way", choices=sorted(WAYS), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    from tests.warehouses.conftest import PrivateCluster, _from_url

    if args.way:
        one_way(args.way, _from_url(args.url), args.runs, args.rows)
        return
    cluster = None
    if os.environ.get("OMIE_PUSH_TEST_POSTGRES_URL"):
        server = _from_url(os.environ["OMIE_PUSH_TEST_POSTGRES_URL"])
    else:
        cluster = PrivateCluster()
        server = cluster.start()
    try:
        import psycopg2

        con = psycopg2.connect(server.url)
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute(VIEW_SQL.format(rows=args.rows))
        con.close()
        print(f"PostgreSQL view of {args.rows} rows; {os.cpu_count()} cores; median of {args.runs} runs")
        for name in WAYS:
            subprocess.run([sys.executable, __file__, "--way", name, "--url", server.url,
                            "--rows", str(args.rows), "--runs", str(args.runs)], check=True)
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
