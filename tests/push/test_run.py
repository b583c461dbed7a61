"""One run end to end in-process: real validation, ledger and sender; Omie faked at the
transport (httpx.MockTransport), so each test can say exactly which calls were made."""
from __future__ import annotations

import json

import duckdb
import httpx
import pytest
from click.testing import CliRunner

from omie_push.cli import main
from omie_push.client import make_sender

from fake_omie import FakeOmie

SECRET = "test-secret-xyz"
FAST = """
target: sandbox
targets:
  sandbox:
    base_url: embedded
    app_key: test-key
    app_secret: test-secret-xyz
    lot_size: 0
    budgets: {calls_per_minute_per_method: 60000, calls_per_minute_per_ip: 240000,
              redundant_window_seconds: 0.01}
"""
CLIENTES = """select * from (values
  ('C-1', 'Alfa Ltda', '11.444.777/0001-61'),
  ('C-2', 'Beta Ltda', '11.222.333/0001-81')) t(codigo_cliente_integracao, razao_social, cnpj_cpf)"""
RECEBER = """select * from (values
  ('R-1', 'C-1', null::bigint, date '2030-01-10', 100.50::decimal(15,2), '1.01.02', 4850011001),
  ('R-2', 'C-2', null::bigint, date '2030-01-11', 200.00::decimal(15,2), '1.01.02', 4850011001)
  ) t(codigo_lancamento_integracao, codigo_cliente_fornecedor_integracao, codigo_cliente_fornecedor,
      data_vencimento,
      valor_documento, codigo_categoria, id_conta_corrente)"""


@pytest.fixture
def project(fake_project):
    (fake_project.root / "omie_push.yml").write_text(FAST)
    fake_project.model("omie_clientes", CLIENTES, "clientes")
    fake_project.model("omie_contas_receber", RECEBER, "contas_receber")
    return fake_project


def push(project, omie: FakeOmie, *args):
    from omie_push.cli import push as command

    def factory(settings):
        return make_sender(settings, transport=httpx.MockTransport(omie))

    runner = CliRunner()
    original = command.run_push

    def patched(**options):
        return original(sender_factory=factory, **options)

    command.run_push = patched
    try:
        result = runner.invoke(main, ["--project-dir", str(project.root), "--json", *args])
    finally:
        command.run_push = original
    assert SECRET not in result.output
    return result


def results(project, sql):
    con = duckdb.connect(str(project.root / "omie_results.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_refused_client_holds_its_conta_then_both_go_next_run(project):
    omie = FakeOmie.refusing({"C-2"})
    first = push(project, omie)
    assert first.exit_code == 1, first.output
    assert first.stdout.startswith("{"), first.output
    out = json.loads(first.stdout)
    assert out["endpoints"]["omie_clientes"]["sent"] == 1 and out["endpoints"]["omie_clientes"]["failed"] == 1
    assert out["endpoints"]["omie_contas_receber"]["sent"] == 1 and out["endpoints"]["omie_contas_receber"]["held"] == 1, out
    assert omie.codes("UpsertContaReceber") == ["R-1"]          # R-2 was never sent to fail
    rows = dict(((k, s) for k, s in results(project, "select key, status from row_results")))
    assert rows == {"C-1": "sent", "C-2": "failed", "R-1": "sent", "R-2": "held"}
    fault = results(project, "select fault from row_results where key = 'C-2'")[0][0]
    assert fault == "ERROR: O preenchimento da tag [email] é obrigatório!"

    omie2 = FakeOmie()
    held = push(project, omie2)          # refused for good, unchanged: not sent again (issue 10)
    writes = [c for c, _ in omie2.made if not c.startswith(("Listar", "Consultar"))]
    assert held.exit_code == 1 and writes == [], held.output     # only the drift check's reads
    second = push(project, omie2, "--retry-refused")
    assert second.exit_code == 0, second.output
    assert omie2.codes("UpsertCliente") == ["C-2"] and omie2.codes("UpsertContaReceber") == ["R-2"]
    counts = json.loads(second.stdout)["endpoints"]
    assert counts["omie_clientes"]["unchanged"] == 1 and counts["omie_contas_receber"]["unchanged"] == 1

    omie3 = FakeOmie()
    third = push(project, omie3)
    # nothing sent; only the drift check's one List page per endpoint (docs/drift.md)
    assert third.exit_code == 0
    assert sorted(c for c, _ in omie3.made) == ["ListarClientes", "ListarContasReceber"]
    ledger = results(project, "select endpoint, key, omie_id is not null from ledger order by key")
    assert ledger == [("clientes", "C-1", True), ("clientes", "C-2", True),
                      ("contas_receber", "R-1", True), ("contas_receber", "R-2", True)]


def test_dry_run_makes_no_call_and_plans(project):
    omie = FakeOmie()
    result = push(project, omie, "--dry-run")
    assert result.exit_code == 0, result.output
    assert omie.made == []
    plan = json.loads(result.stdout)["endpoints"]["omie_clientes"]
    assert plan["to_send"] == 2 and plan["calls"] == 2 and plan["sent"] == 0
    assert results(project, "select count(*) from ledger") == [(0,)]
    assert results(project, "select dry_run from runs") == [(True,)]


def test_full_refresh_sends_unchanged_rows_again(project):
    push(project, FakeOmie())
    omie = FakeOmie()
    assert push(project, omie, "--full-refresh", "--select", "omie_clientes").exit_code == 0
    assert omie.codes("UpsertCliente") == ["C-1", "C-2"] and omie.codes("UpsertContaReceber") == []


def test_fail_fast_with_a_rejected_row_makes_no_call(project):
    project.model("omie_clientes", CLIENTES.replace("'Beta Ltda'", "null"), "clientes")  # razao_social missing
    omie = FakeOmie()
    result = push(project, omie, "--fail-fast", "--select", "omie_clientes")
    assert result.exit_code == 3, result.output
    assert omie.made == []
    statuses = sorted(s for (s,) in results(project, "select status from row_results"))
    assert statuses == ["not_attempted", "rejected"]
    reasons = results(project, "select reasons from row_results where status = 'rejected'")[0][0]
    assert "razao_social" in reasons


def test_bad_credentials_stop_the_run_with_exit_3(project):
    omie = FakeOmie(status=403)
    result = push(project, omie)
    assert result.exit_code == 3, result.output
    assert len(omie.made) <= 2
    assert results(project, "select count(*) from ledger") == [(0,)]
    assert results(project, "select outcome, exit_code from runs") == [("stopped", 3)]
    with open(project.root / "omie_results.duckdb", "rb") as f:
        assert SECRET.encode() not in f.read()


def test_failed_dbt_build_is_refused(project):
    project.model("omie_clientes", CLIENTES, "clientes", status="error")
    omie = FakeOmie()
    result = push(project, omie, "--select", "omie_clientes")
    assert result.exit_code == 1
    assert "status 'error'" in json.loads(result.stdout)["endpoints"]["omie_clientes"]["error"]
    assert omie.made == []


def test_config_error_exits_2(project):
    (project.root / "omie_push.yml").write_text("targets: {}")
    result = CliRunner().invoke(main, ["--project-dir", str(project.root)])
    assert result.exit_code == 2 and "omie_push.yml" in result.output


CONTRATO = """select * from (values
  ('CT-1', 5500000101::bigint, '001/2026', '2026-01-01', '2027-01-01', 10::bigint, '01', '001', 5::bigint),
  ('CT-2', 5500000101::bigint, '002/2026', '2026-01-01', '2027-01-01', 10::bigint, '01', '001', 5::bigint)
  ) t("cCodIntCtr", "nCodCli", "cNumCtr", "dVigInicial", "dVigFinal", "nDiaFat", "cTipoFat", "cTpVenc", "nDias")"""
ITENS = """select * from (values
  ('CT-1', 1::bigint, '01', '02800', '1.07', 1.00::decimal(15,2), 3200.00::decimal(15,2), 'Suporte'),
  ('CT-2', 1::bigint, '01', '02800', '1.07', 1.00::decimal(15,2), -5.00::decimal(15,2), null),
  ('CT-9', 1::bigint, '01', '02800', '1.07', 1.00::decimal(15,2), 10.00::decimal(15,2), 'Sem contrato')
  ) t("cCodIntCtr", seq, "natOperacao", "codServMunic", "codLC116", quant, "valorUnit", "descrCompleta")"""


class ContratoOmie(FakeOmie):
    def do_UpsertContrato(self, p):
        return 200, {"cCodIntCtr": p["cabecalho"]["cCodIntCtr"], "nCodCtr": 77, "cCodStatus": "0",
                     "cDescStatus": "Contrato cadastrado com sucesso!"}


def test_contract_is_nested_and_a_refused_item_holds_back_its_contract(fake_project):
    (fake_project.root / "omie_push.yml").write_text(FAST)
    fake_project.model("omie_contratos", CONTRATO, "contratos")
    fake_project.model("omie_contratos_itens", ITENS, "contratos")
    omie = ContratoOmie()
    result = push(fake_project, omie)
    assert result.exit_code == 1, result.output
    # (a new results store: the first row is looked up first, to warn of a lost ledger)
    assert [c for c, _ in omie.made if not c.startswith("Consultar")] == ["UpsertContrato"]
    param = [p for c, p in omie.made if c == "UpsertContrato"][0]
    assert param["cabecalho"]["cCodIntCtr"] == "CT-1" and param["cabecalho"]["dVigInicial"] == "01/01/2026"
    assert param["vencTextos"] == {"cTpVenc": "001", "nDias": 5}
    assert param["itensContrato"] == [{"itemCabecalho": {"seq": 1, "natOperacao": "01", "codServMunic": "02800",
                                                         "codLC116": "1.07", "quant": 1.0, "valorUnit": 3200.0},
                                       "itemDescrServ": {"descrCompleta": "Suporte"}}]
    rows = sorted(results(fake_project, "select view, key, status from row_results"))
    assert rows == [("omie_contratos", "CT-1", "sent"), ("omie_contratos", "CT-2", "rejected"),
                    ("omie_contratos_itens", "CT-2", "rejected"), ("omie_contratos_itens", "CT-9", "rejected")]
    counts = json.loads(result.stdout)["endpoints"]
    assert counts["omie_contratos_itens"]["rejected"] == 2 and counts["omie_contratos"]["sent"] == 1
    assert results(fake_project, "select omie_id from ledger where key = 'CT-1'") == [("77",)]


def test_push_order_parents():
    from omie_push import catalog
    from omie_push.dbt.project import OmieModel
    from omie_push.push.order import parents as parents_of

    assert parents_of(catalog.get("clientes")) == ("vendedores",)
    assert set(parents_of(catalog.get("contas_receber"))) == {
        "clientes", "clientes_associar", "categorias", "projetos", "vendedores"}
    assert parents_of(catalog.get("clientes_associar")) == ("clientes",)
    model = OmieModel("omie_projetos", "m", "projetos", "omie_projetos", {"depends_on": ["categorias"]},
                      "w", "main", "omie_projetos", "success")
    assert parents_of(catalog.get("projetos"), [model]) == ("categorias",)


def test_fail_fast_stops_at_the_first_refusal_by_omie(project):
    omie = FakeOmie.refusing({"C-1"})
    result = push(project, omie, "--fail-fast", "--select", "omie_clientes")
    assert result.exit_code == 3, result.output
    assert omie.codes("UpsertCliente") == ["C-1"]            # C-2 never sent
    assert sorted(results(project, "select key, status from row_results")) == [
        ("C-1", "failed"), ("C-2", "not_attempted")]


def test_settings_from_meta_and_cli_reach_the_sender(project):
    project.model("omie_contas_receber", RECEBER, "contas_receber", meta={"lot_size": 7})
    project.model("omie_vendedores", "select 'V-1' as codInt, 'Ana' as nome", "vendedores", meta={"enabled": False})
    seen = []
    from omie_push.cli import push as command

    def factory(settings):
        seen.append(settings)
        return make_sender(settings, transport=httpx.MockTransport(FakeOmie()))

    code = command.run_push(project_dir=str(project.root), associate_duplicates=True, as_json=True,
                        sender_factory=factory)
    assert code == 0
    assert (seen[0].lot_size, seen[0].associate_duplicates) == (7, True)
    assert results(project, "select count(*) from row_results where endpoint = 'vendedores'") == [(0,)]


def test_unknown_selection_is_a_usage_error(project):
    result = push(project, FakeOmie(), "--select", "omie_nothing")
    assert result.exit_code == 2 and "omie_nothing" in result.output


def test_select_takes_several_names_as_dbt_does(project):
    omie = FakeOmie()
    result = push(project, omie, "--select", "omie_clientes", "omie_contas_receber", "--dry-run")
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout)["endpoints"]) == {"omie_clientes", "omie_contas_receber"}
    only = push(project, omie, "--select", "+omie_clientes", "--exclude", "omie_contas_receber", "--dry-run")
    assert set(json.loads(only.stdout)["endpoints"]) == {"omie_clientes"}
