"""End to end: a real `dbt build` of a fresh copy of dbt_project/ (the session's one build of the
sample, tests/conftest.py's `sample_build`).

Then, on a copy of that build, the results file is filled as a finished push would leave it, and the
lazy views are read again: Omie's ids flow into later views and cancelled rows move to the Excluir
views, with no second build.
"""
from __future__ import annotations

import duckdb
import pytest

from omie_push import catalog

pytestmark = pytest.mark.e2e

OMIE_VIEWS = {v.name for _, v in catalog.views()}


def results_by_node(built: dict) -> dict:
    return {r["unique_id"]: r for r in built["run_results"]["results"]}


def test_build_passes_and_files_land_in_the_project(built_project):
    assert built_project["returncode"] == 0, built_project["stdout"][-4000:]
    assert (built_project["build_dir"] / "warehouse.duckdb").exists()
    assert (built_project["build_dir"] / "omie_results.duckdb").exists()


def test_every_omie_view_is_built_and_its_tests_pass(built_project):
    results = results_by_node(built_project)
    nodes = built_project["manifest"]["nodes"]
    built = {n["name"] for uid, n in nodes.items()
             if n["resource_type"] == "model" and results.get(uid, {}).get("status") == "success"}
    assert OMIE_VIEWS <= built, f"not built: {OMIE_VIEWS - built}"
    for uid, node in nodes.items():
        if node["resource_type"] == "model" and node["name"] in OMIE_VIEWS:
            assert node["config"]["materialized"] == "view"
            assert node["config"]["meta"]["omie"]["endpoint"] == catalog.find_view(node["name"])[0].name
    omie_tests = [uid for uid, n in nodes.items() if n["resource_type"] == "test"
                  and {d.split(".")[-1] for d in n["depends_on"]["nodes"]} & OMIE_VIEWS]
    assert len(omie_tests) >= 2 * len(OMIE_VIEWS)
    not_passed = {uid: results[uid]["status"] for uid in omie_tests if results[uid]["status"] != "pass"}
    assert not_passed == {}


def test_bad_cnpj_is_a_warning_not_a_failure(built_project):
    results = results_by_node(built_project)
    warned = [r for uid, r in results.items() if ".cpf_cnpj_valid_stg_customers_document" in uid]
    assert [(r["status"], r["failures"]) for r in warned] == [("warn", 1)]
    assert {r["status"] for r in results.values()} <= {"success", "pass", "warn", "no-op"}


def read(built: dict, sql: str) -> list[tuple]:
    """Read a view as omie-push does: results attached, warehouse opened read-only, closed at once."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{built['dir'] / 'omie_results.duckdb'}' as omie_results (read_only)")
        con.execute(f"attach '{built['dir'] / 'warehouse.duckdb'}' as warehouse (read_only)")
        return con.execute(sql.replace("{w}", "warehouse.main")).fetchall()
    finally:
        con.close()


def test_sample_rows_reach_the_views(built_project):
    assert read(built_project, "select count(*) from {w}.omie_clientes")[0][0] == 38
    bad = read(built_project, "select codigo_cliente_integracao, length(razao_social), email from {w}.omie_clientes "
                              "where codigo_cliente_integracao like 'CLI-09%' order by 1")
    assert [b[0] for b in bad] == ["CLI-0901", "CLI-0902", "CLI-0903"] and bad[1][1] > 60 and "@" not in bad[2][2]
    assert read(built_project, "select data_vencimento from {w}.omie_contas_receber "
                               "where codigo_lancamento_integracao = 'CR-0901'") == [("2027-02-30",)]
    # fresh clone: no Omie ids yet, nothing to delete
    assert read(built_project, "select count(*) from {w}.omie_contratos where \"nCodCli\" is not null") == [(0,)]
    assert read(built_project, "select count(*) from {w}.omie_contas_receber_excluir") == [(0,)]
    assert read(built_project, "select count(*) from {w}.omie_contas_pagar_excluir") == [(0,)]


def record_push(built: dict, finished: bool, rows: list[tuple[str, str, str]]) -> None:
    """Write ledger rows (endpoint, key, omie_id) and their run, as omie-push would."""
    con = duckdb.connect(str(built["dir"] / "omie_results.duckdb"))
    try:
        run_id = f"run-{'done' if finished else 'live'}"
        con.execute("insert into runs (run_id, started_at, finished_at) values (?, now(), ?)",
                    [run_id, "2027-01-01 00:00:00" if finished else None])
        con.executemany("insert into ledger (company, endpoint, key, payload_hash, omie_id, run_id, accepted_at) "
                        "values ('sandbox-key', ?, ?, 'h', ?, ?, now())", [(*r, run_id) for r in rows])
    finally:
        con.close()


def test_omie_ids_flow_into_views_and_cancelled_rows_move_to_excluir(built_project):
    # a push still running created these: they must not be deleted in that same push
    record_push(built_project, finished=False, rows=[("contas_receber", "CR-0950", "7000000950")])
    assert read(built_project, "select count(*) from {w}.omie_contas_receber_excluir") == [(0,)]
    # an earlier, finished push created these
    record_push(built_project, finished=True, rows=[
        ("clientes", "CLI-0001", "6000000001"), ("clientes_associar", "CLI-0501", "5500000101"),
        ("vendedores", "VEND-02", "4000000002"), ("contas_pagar", "CP-0950", "8000000950"),
    ])
    assert read(built_project, "select \"nCodCli\", \"nCodVend\" from {w}.omie_contratos "
                               "where \"cCodIntCtr\" = 'CTR-001'") == [(6000000001, 4000000002)]
    assert read(built_project, "select recomendacoes from {w}.omie_clientes where codigo_cliente_integracao = "
                               "'CLI-0001'") == [({"email_fatura": "financeiro@horizonteazul.com.br", "gerar_boletos": "S"},)]
    assert read(built_project, "select * from {w}.omie_contas_pagar_excluir") == [(8000000950, "CP-0950")]
    assert read(built_project, "select count(*) from {w}.omie_contas_pagar "
                               "where codigo_lancamento_integracao = 'CP-0950'") == [(0,)]
    # the receivable's run finishes: now it is deleted, and it has left the upsert view
    con = duckdb.connect(str(built_project["dir"] / "omie_results.duckdb"))
    con.execute("update runs set finished_at = now() where run_id = 'run-live'")
    con.close()
    assert read(built_project, "select * from {w}.omie_contas_receber_excluir") == [(7000000950, "CR-0950")]
    assert read(built_project, "select count(*) from {w}.omie_contas_receber "
                               "where codigo_lancamento_integracao = 'CR-0950'") == [(0,)]
    ids = read(built_project, "select endpoint, key, omie_id_bigint from {w}.omie_ids order by 1, 2")
    assert ("clientes_associar", "CLI-0501", 5500000101) in ids and len(ids) == 5


def test_running_from_elsewhere_without_the_project_dir_stops_at_once(fresh_project, run_dbt):
    project = fresh_project
    done = run_dbt(["build", "--project-dir", "dbt_project", "--profiles-dir", "dbt_project"], cwd=project.parent)
    assert done.returncode != 0
    assert "is not inside the dbt project" in done.stdout and "DBT_PROJECT_DIR" in done.stdout
    assert not (project / "target" / "run_results.json").exists() or "seed" not in \
        (project / "target" / "run_results.json").read_text()
