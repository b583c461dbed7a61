"""The demo on PostgreSQL, end to end: `dbt build --target postgres` on a real server, then
`omie-push --dbt-target postgres` to the sandbox over real HTTP, the results in the
warehouse's schema omie_push (where dbt reads them as source omie_results). The same checks as
the DuckDB end-to-end tests (tests/e2e): everything lands, after a second `dbt build` a second
push sends nothing, one changed customer is the only row sent, a failed row is retried."""
from __future__ import annotations

import csv
import json
import os
import shutil

import pytest

from omie_push.store.backend import to_pyformat
from tests.e2e.conftest import E2E, KEY, ROOT, SECRET, TARGETS, dbt_build
from tests.e2e.test_push_e2e import LISTINGS, assert_one_drift_page_at_most, keys_in_omie, writes

pytestmark = pytest.mark.e2e
PG = ("--dbt-target", "postgres")


class PostgresE2E(E2E):
    """E2E whose results and warehouse queries go to PostgreSQL (schema omie_push, then public)."""

    server = None

    def results(self, sql: str, *params) -> list[tuple]:
        import psycopg2

        con = psycopg2.connect(self.server.url)
        try:
            with con.cursor() as cur:
                cur.execute("set search_path to omie_push, public")
                cur.execute(to_pyformat(sql), params)
                return cur.fetchall()
        finally:
            con.close()

    warehouse = results


@pytest.fixture(scope="module")
def pg_e2e(tmp_path_factory, postgres_server):
    from omie_push.sandbox.testing import serve

    server = postgres_server.create_database("omie_push_demo_e2e")
    base = tmp_path_factory.mktemp("pg_e2e")
    project = base / "dbt_project"
    shutil.copytree(ROOT / "dbt_project", project, ignore=shutil.ignore_patterns(
        "target", "logs", "*.duckdb", "*.duckdb.wal", ".omie-sandbox", ".user.yml"))
    saved = {k: os.environ.get(k) for k in (*server.env(), "E2E_OMIE_APP_SECRET", "DBT_TARGET")}
    os.environ.update(server.env())
    os.environ["E2E_OMIE_APP_SECRET"] = SECRET
    os.environ.pop("DBT_TARGET", None)
    try:
        dbt_build(project, "--target", "postgres")
        state = base / "sandbox.sqlite"
        with serve({KEY: SECRET}, state_path=state, fixtures=["demo"]) as url, \
                serve({KEY: SECRET}, state_path=state,
                      traffic={"limits": "off", "faults": "broken=1.0"}) as faulty:
            (project / "omie_push.yml").write_text(TARGETS.format(url=url, faulty_url=faulty,
                                                                  lossy_url=faulty, key=KEY))
            e2e = PostgresE2E(project, url, faulty)
            e2e.server = server
            yield e2e
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_first_push_lands_every_valid_row_with_the_results_in_the_warehouse(pg_e2e):
    views_before = {v: pg_e2e.warehouse(f'select count(*) from public."{v}"')[0][0]
                    for v in ("omie_clientes", "omie_contas_receber", "omie_contratos", "omie_categorias")}
    run = pg_e2e.push(*PG)
    assert run.exit_code == 1, run.out                # the sample has bad rows on purpose
    for view, counts in run.out["endpoints"].items():
        assert "error" not in counts, (view, counts)
        assert counts["failed"] == counts["not_attempted"] == 0, (view, counts)
        recorded = pg_e2e.results("select count(*) from row_results where run_id = ? and view = ?",
                                  run.out["run_id"], view)[0][0]
        assert recorded == sum(counts[s] for s in ("sent", "unchanged", "rejected", "failed", "held",
                                                    "not_attempted")), view
        if view in views_before:
            assert recorded == views_before[view], view
    for endpoint in LISTINGS:
        sent = {k for (k,) in pg_e2e.results("select key from ledger where endpoint = ?", endpoint)}
        assert sent and sent <= set(keys_in_omie(pg_e2e, endpoint)), endpoint
    # the contracts got their client's Omie id through omie_ids, read from the warehouse's results
    contracts = pg_e2e.results("select payload from row_results where run_id = ? and endpoint = 'contratos' "
                               "and status = 'sent'", run.out["run_id"])
    assert contracts and all((p if isinstance(p, dict) else json.loads(p))["cabecalho"]["nCodCli"]
                             for (p,) in contracts)
    assert pg_e2e.results("select outcome, exit_code from runs where run_id = ?", run.out["run_id"]) == \
        [("finished with refused rows", 1)]
    assert pg_e2e.warehouse("select count(*) from public.omie_ids")[0][0] == \
        pg_e2e.results("select count(*) from ledger")[0][0]
    assert not list(pg_e2e.project.glob("*.duckdb"))          # no results file beside the project


def test_the_review_reads_the_results_from_the_warehouse(pg_e2e, monkeypatch):
    from omie_push.review.listing import runs
    from omie_push.review.source import locate

    monkeypatch.setenv("DBT_TARGET", "postgres")              # `omie-push runs` as the push chose
    results = locate(pg_e2e.project)
    assert results.warehouse is not None and results.warehouse.schema == "omie_push"
    listed = runs(pg_e2e.project)
    last = pg_e2e.results("select run_id from runs order by started_at desc limit 1")[0][0]
    assert listed["runs"][0]["run_id"] == last
    assert "omie_push" in listed["results"]


def test_after_a_second_dbt_build_a_second_push_sends_nothing(pg_e2e):
    dbt_build(pg_e2e.project, "--target", "postgres")
    run = pg_e2e.push(*PG)
    assert writes(run) == []                     # the drift check's List pages aside
    assert_one_drift_page_at_most(run)
    for view, counts in run.out["endpoints"].items():
        assert counts["sent"] == counts["failed"] == 0, (view, counts)
        assert counts["unchanged"] + counts["rejected"] + counts["held"] == sum(
            v for k, v in counts.items() if isinstance(v, int) and k != "to_send"), (view, counts)


def test_a_changed_customer_fails_once_then_is_the_only_row_sent(pg_e2e):
    seed = pg_e2e.project / "seeds" / "raw_customers.csv"
    rows = list(csv.DictReader(seed.open(encoding="utf-8")))
    sent = {k for (k,) in pg_e2e.results("select key from ledger where endpoint = 'clientes'")}
    target = next(r for r in rows if r["customer_id"] in sent)
    target["trade_name"] = (target["trade_name"] or "X")[:40] + " Renovada"
    with seed.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    dbt_build(pg_e2e.project, "--target", "postgres", "--select", "raw_customers+")
    code = target["customer_id"]
    before = pg_e2e.results("select payload_hash from ledger where endpoint = 'clientes' and key = ?", code)

    failing = pg_e2e.push(*PG, "--select", "omie_clientes", target="faulty")
    assert failing.exit_code == 1
    assert "endpoints" in failing.out, failing.out
    assert failing.out["endpoints"]["omie_clientes"]["failed"] == 1
    assert set(failing.writes("UpsertCliente")) == {code}
    assert pg_e2e.results("select payload_hash from ledger where endpoint = 'clientes' and key = ?", code) == before

    run = pg_e2e.push(*PG)                                    # the failed row is retried
    assert run.writes("UpsertCliente") == [code]
    assert [c for c, _ in run.calls if not c.startswith(("Consultar", "Listar"))] == ["UpsertCliente"]
    assert run.out["endpoints"]["omie_clientes"]["sent"] == 1
    stored = pg_e2e.omie("geral/clientes/", "ConsultarCliente", {"codigo_cliente_integracao": code})
    assert stored["nome_fantasia"] == target["trade_name"]
    assert writes(pg_e2e.push(*PG)) == []


def test_a_cancelled_receivable_is_deleted_once_through_the_excluir_view(pg_e2e):
    """The Excluir view joins omie_ids (finished runs only), read from the warehouse's results."""
    seed = pg_e2e.project / "seeds" / "raw_receivables.csv"
    rows = list(csv.DictReader(seed.open(encoding="utf-8")))
    in_omie = set(keys_in_omie(pg_e2e, "contas_receber"))
    target = next(r for r in rows if r["receivable_id"] in in_omie and r["status"] != "cancelado")
    target["status"] = "cancelado"
    with seed.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    dbt_build(pg_e2e.project, "--target", "postgres", "--select", "raw_receivables+")
    run = pg_e2e.push(*PG)
    assert [c for c, _ in writes(run)] == ["ExcluirContaReceber"], run.calls
    assert target["receivable_id"] not in keys_in_omie(pg_e2e, "contas_receber")
    assert pg_e2e.results("select count(*) from ledger where endpoint = 'contas_receber' and key = ?",
                          target["receivable_id"]) == [(0,)]
    assert writes(pg_e2e.push(*PG)) == []
