"""The results store in a PostgreSQL schema: the same Ledger API, the same tables, one run at a
time per company."""
from __future__ import annotations

import pytest

from omie_push.errors import UsageError
from omie_push.store.backend import PostgresResults, to_pyformat
from omie_push.store.connect import connect
from omie_push.store.ledger import Ledger, RowRecord, now


@pytest.fixture
def results(pg_database):
    return PostgresResults(pg_database.url, "omie_push", "test")


def test_the_tables_are_created_in_their_own_schema_with_the_duckdb_columns(results, tmp_path):
    con = connect(results)
    Ledger(con, "app-1")
    pg = con.execute("select table_name, column_name from information_schema.columns "
                     "where table_schema = 'omie_push' order by table_name, ordinal_position").fetchall()
    con.close()
    duck = connect(tmp_path / "r.duckdb")
    Ledger(duck, "app-1")
    local = duck.execute("select table_name, column_name from information_schema.columns "
                         "where table_catalog = 'omie_results' order by table_name, ordinal_position").fetchall()
    duck.close()
    assert pg == local and len(pg) > 30


def test_answers_known_rows_and_runs_round_trip(results):
    con = connect(results)
    ledger = Ledger(con, "app-1")
    ledger.begin_run("r1", "sandbox", False, False, {"select": []}, now())
    ledger.record("r1", [RowRecord("clientes", "omie_clientes", f"C-{i}", "rejected",
                                   reasons=[{"field": "email", "message": "100% wrong"}])
                         for i in range(1500)])
    ledger.record_answer("r1", RowRecord("clientes", "omie_clientes", "C-9", "sent", omie_id="77",
                                         payload_hash="h1", payload={"a": 1}), {"codigo_status": "0"})
    ledger.record_answer("r1", RowRecord("clientes", "omie_clientes", "C-9", "sent", omie_id="77",
                                         payload_hash="h2"), {})            # on conflict do update
    ledger.finish_run("r1", {"clientes": {"sent": 1}}, "ok", 0, now(), 1.5)
    assert {k: (e.payload_hash, e.omie_id) for k, e in ledger.accepted("clientes").items()} == {"C-9": ("h2", "77")}
    assert con.execute("select count(*) from row_results where status = ?", ["rejected"]).fetchone() == (1500,)
    assert con.execute("select outcome, exit_code, counts::text from runs").fetchone() == \
        ("ok", 0, '{"clientes": {"sent": 1}}')
    ledger.forget("clientes", key="C-9")
    assert ledger.accepted("clientes") == {}
    con.close()


HOLDER = """
import sys, time
from omie_push.store.backend import PostgresResults
from omie_push.store.connect import connect
from omie_push.store.ledger import Ledger, now
Ledger(connect(PostgresResults(sys.argv[1], "omie_push", "test")), "app-1").begin_run(
    "r1", "t", False, False, {}, now())
print("holding", flush=True)
time.sleep(120)
"""


def test_one_run_at_a_time_per_company_and_a_killed_run_lets_go(results):
    import subprocess
    import sys

    holder = subprocess.Popen([sys.executable, "-c", HOLDER, results.uri], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        second, other = connect(results), connect(results)
        with pytest.raises(UsageError, match="another omie-push run for company app-1"):
            Ledger(second, "app-1").begin_run("r2", "t", False, False, {}, now())
        Ledger(other, "app-2").begin_run("r3", "t", False, False, {}, now())   # another company runs
        Ledger(other, "app-2").finish_run("r3", {}, "ok", 0, now(), 0.1)
    finally:
        holder.kill()                                                           # SIGKILL: no cleanup
        holder.wait()
    Ledger(second, "app-1").begin_run("r2", "t", False, False, {}, now())     # the lock went with it
    assert second.execute("select run_id, outcome from runs order by run_id").fetchall() == \
        [("r1", "interrupted"), ("r2", "running"), ("r3", "ok")]
    Ledger(second, "app-1").finish_run("r2", {}, "ok", 0, now(), 0.1)
    Ledger(other, "app-1").begin_run("r4", "t", False, False, {}, now())      # released at finish
    Ledger(other, "app-1").finish_run("r4", {}, "ok", 0, now(), 0.1)
    second.close()
    other.close()


def test_a_store_opened_for_each_use_as_the_results_file_is(results):
    assert results.create() is True and results.create() is False
    with results.transaction() as con:
        Ledger(con, "app-1", create=False).record("r9", [RowRecord("clientes", "v", "K", "held")])
    with pytest.raises(Exception, match="read-only"):
        with results.connection(read_only=True) as con:
            Ledger(con, "app-1", create=False).record("r9", [RowRecord("clientes", "v", "K", "held")])
    with results.connection(read_only=True) as con:
        con.execute("use omie_results")                  # DuckDB's aiming is harmless here
        assert con.execute("select count(*) from row_results").fetchone() == (1,)


def test_placeholders_become_pyformat_outside_quotes():
    assert to_pyformat("select '?', x from t where a = ? and b like '%x' and c = ?") == \
        "select '?', x from t where a = %s and b like '%%x' and c = %s"


def test_the_one_grant_a_schema_owned_by_the_profiles_user_is_enough(pg_database):
    import psycopg2

    admin = psycopg2.connect(pg_database.url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("drop role if exists pusher")
        cur.execute("create role pusher login")
        cur.execute(f'revoke create on database "{pg_database.dbname}" from public')
    user = pg_database.url.replace("postgresql://postgres@", "postgresql://pusher@")
    with pytest.raises(UsageError, match="create schema \"omie_push\" authorization"):
        Ledger(connect(PostgresResults(user, "omie_push", "test")), "app-1")
    with admin.cursor() as cur:
        cur.execute("create schema omie_push authorization pusher")           # the one grant
    con = connect(PostgresResults(user, "omie_push", "test"))
    Ledger(con, "app-1").begin_run("r1", "t", False, False, {}, now())
    assert con.execute("select count(*) from runs").fetchone() == (1,)
    con.close()
    with admin.cursor() as cur:
        cur.execute("drop schema omie_push cascade")
        cur.execute("drop owned by pusher")
        cur.execute("drop role pusher")
    admin.close()


def test_json_columns_come_back_as_text_as_duckdb_gives_them(results):
    con = connect(results)
    ledger = Ledger(con, "app-1")
    ledger.record_answer("r1", RowRecord("clientes", "v", "K", "sent", payload_hash="h",
                                         payload={"a": [1, 2]}), {"ok": True})
    assert con.execute("select answer from ledger").fetchone() == ('{"ok": true}',)
    assert con.execute("select payload from row_results").fetchone() == ('{"a": [1, 2]}',)
    con.close()


def test_the_connection_answers_as_duckdbs_does(results):
    """What the store's other tables' code (drift, journal, locks) calls on a connection."""
    con = connect(results)
    Ledger(con, "app-1")
    con.begin()
    con.executemany("insert into runs (run_id, company) values (?, ?)", [["a", "x"], ["b", "x"]])
    con.commit()
    cur = con.execute("select run_id, company from runs order by run_id")
    assert [d[0] for d in cur.description] == ["run_id", "company"]
    assert cur.fetchmany(1) == [("a", "x")] and cur.fetchall() == [("b", "x")]
    con.begin()
    con.execute("delete from runs")
    con.rollback()
    assert con.execute("select count(*) from runs").fetchone() == (2,)
    con.close()
