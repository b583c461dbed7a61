"""The results tables: written only after Omie's answer, one transaction per result."""
import re
from pathlib import Path

import duckdb
import pytest

from omie_push.store.connect import connect
from omie_push.store.ledger import DDL, Ledger, RowRecord
from omie_push.store.schema import TABLES, dbt_macro

MACRO = Path(__file__).resolve().parents[2] / "dbt_project" / "macros" / "omie_results_tables.sql"


def columns(con, table):
    return [(r[0], r[1]) for r in con.execute(f"describe {table}").fetchall()]


def test_dbt_macro_creates_the_same_tables_as_the_pusher():
    """dbt's on-run-start creates the tables when dbt runs first: the DDL must not drift."""
    text = MACRO.read_text()
    body = re.search(r"\{%\s*macro omie_results_ddl\(\)\s*-?%\}(.*?)\{%-?\s*endmacro", text, re.S)
    assert body, f"{MACRO} has no omie_results_ddl macro"
    statements = [s for s in body.group(1).split(";") if s.strip()]
    assert len(statements) == len(TABLES), f"the macro should create {', '.join(TABLES)}"
    ours, theirs = duckdb.connect(), duckdb.connect()
    ours.execute(DDL)
    for s in statements:
        theirs.execute(s.rstrip().rstrip(";"))
    for table in TABLES:
        assert columns(theirs, table) == columns(ours, table), table


def test_dbt_macro_file_is_generated_from_the_one_ddl():
    assert MACRO.read_text() == dbt_macro(), (
        "macros/omie_results_tables.sql is out of date: write omie_push.store.schema.dbt_macro() to it")


@pytest.fixture
def ledger(tmp_path):
    con = connect(tmp_path / "results.duckdb")
    yield Ledger(con, "app-1")
    con.close()


def test_ledger_written_only_for_accepted_rows(ledger):
    sent = RowRecord("clientes", "omie_clientes", "C-1", "sent", omie_id="555", payload_hash="h1",
                     payload={"razao_social": "A"})
    failed = RowRecord("clientes", "omie_clientes", "C-2", "failed", fault="ERROR: x", payload_hash="h2")
    ledger.record_answer("r1", sent, {"codigo_status": "0", "descricao_status": "ok"})
    ledger.record_answer("r1", failed, None)
    assert {k: (e.payload_hash, e.omie_id) for k, e in ledger.accepted("clientes").items()} == {"C-1": ("h1", "555")}
    rows = ledger.con.execute("select key, status, fault from row_results order by key").fetchall()
    assert rows == [("C-1", "sent", None), ("C-2", "failed", "ERROR: x")]


def test_a_later_acceptance_replaces_the_hash_and_company_separates(ledger):
    ledger.record_answer("r1", RowRecord("clientes", "v", "C-1", "sent", payload_hash="h1"), {})
    ledger.record_answer("r2", RowRecord("clientes", "v", "C-1", "sent", payload_hash="h2"), {})
    assert ledger.accepted("clientes")["C-1"].payload_hash == "h2"
    assert Ledger(ledger.con, "app-2").accepted("clientes") == {}


def test_excluir_forgets_the_upsert_entry_by_key_or_id(ledger):
    ledger.record_answer("r", RowRecord("contas_pagar", "v", "P-1", "sent", omie_id="11", payload_hash="a"), {})
    ledger.record_answer("r", RowRecord("contas_pagar", "v", "P-2", "sent", omie_id="22", payload_hash="b"), {})
    ledger.record_answer("r", RowRecord("contas_pagar_excluir", "x", "P-1", "sent", payload_hash="c"), {},
                         forget=("contas_pagar", "P-1", None))
    ledger.record_answer("r", RowRecord("contas_pagar_excluir", "x", "codigo_lancamento_omie:22", "sent",
                                        payload_hash="d"), {}, forget=("contas_pagar", None, "22"))
    assert ledger.accepted("contas_pagar") == {}
    assert set(ledger.accepted("contas_pagar_excluir")) == {"P-1", "codigo_lancamento_omie:22"}


def test_a_failed_write_rolls_back_both_tables(ledger):
    bad = RowRecord("clientes", "v", "C-9", "sent", payload_hash=None)   # not null violated
    with pytest.raises(duckdb.Error):
        ledger.record_answer("r", bad, {})
    assert ledger.con.execute("select count(*) from row_results").fetchone()[0] == 0


def test_runs_row_is_opened_and_closed(ledger):
    from omie_push.store.ledger import now

    ledger.begin_run("r1", "sandbox", False, True, {"select": []}, now())
    ledger.finish_run("r1", {"omie_clientes": {"sent": 1}}, "success", 0, now(), 1.5)
    row = ledger.con.execute("select target, full_refresh, outcome, exit_code, counts from runs").fetchone()
    assert row[:4] == ("sandbox", True, "success", 0) and '"sent": 1' in row[4]


def test_a_run_left_unfinished_is_marked_interrupted_by_the_next(ledger):
    from omie_push.store.ledger import now

    ledger.begin_run("killed", "sandbox", False, False, {}, now())
    ledger.begin_run("next", "sandbox", False, False, {}, now())
    rows = dict(ledger.con.execute("select run_id, outcome from runs").fetchall())
    assert rows == {"killed": "interrupted", "next": "running"}
