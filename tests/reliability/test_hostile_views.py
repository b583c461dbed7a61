"""A corpus of hostile views (issue 10, item 10): wrong and missing columns, wrong types, nulls,
blank strings, over-long strings, accents and emoji, invalid CPF/CNPJ, 31/02 and ISO-vs-Brazilian
dates, negative, zero and huge decimals, duplicate keys, broken JSON in Object fields, zero rows.

Built as real dbt models (tests/reliability/hostile_project) and pushed to the sandbox over
HTTP. Each bad input meets a clear error (its view stops, naming the column and the fix) or a
per-row rejection; nothing invalid reaches the sandbox, read back through List calls; the valid
rows of the same views land exactly as written."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import KEY, SECRET, SECRET_ENV, Rig, dbt

HOSTILE = Path(__file__).with_name("hostile_project")
GOOD_CLIENTS = {"GOOD-1": "Ação & Companhia Ltda 🚀", "GOOD-2": "Maria da Conceição"}
GOOD_RECEIVABLES = {"GOOD-R1": 1234.56, "GOOD-R2": 0.01}
# view -> (rows the view holds, rows that must be refused before any call)
ROW_CASES = {"omie_clientes": (13, 11), "omie_contas_receber": (11, 9), "omie_projetos": (3, 2)}
VIEW_CASES = {"omie_contas_pagar": ("valor_documento is text", "column data_vencimento is missing"),
              "omie_contratos": ("column cNumCtrr is not a field", "did you mean cNumCtr")}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from omie_push.sandbox.testing import serve

    base = tmp_path_factory.mktemp("hostile")
    project = base / "project"
    shutil.copytree(HOSTILE, project)
    dbt(project, "build")
    with serve({KEY: SECRET}, state_path=base / "sandbox.sqlite", fixtures=["demo"]) as url, \
            pytest.MonkeyPatch.context() as env:
        env.setenv(SECRET_ENV, SECRET)
        rig = Rig(project, url)
        rig.configure()
        yield rig


@pytest.fixture(scope="module")
def pushed(hostile):
    return hostile.push()


def test_every_hostile_row_is_refused_before_any_call_and_the_valid_ones_land(hostile, pushed):
    assert pushed.exit_code == 1, pushed.stderr
    views = pushed.out["endpoints"]
    for view, (rows, refused) in ROW_CASES.items():
        counts = views[view]
        assert counts["sent"] == rows - refused, (view, counts)
        assert counts["rejected"] + counts["held"] == refused, (view, counts)
        assert counts["failed"] == 0, (view, counts)
    # each refusal names its field and says why
    reasons = dict(hostile.results("select key, reasons::varchar from row_results where status = 'rejected' "
                                   "and view = 'omie_contas_receber'"))
    assert "data_vencimento" in reasons["BAD-3102"] and "data_vencimento" in reasons["BAD-brdate"]
    assert "greater than zero" in reasons["BAD-negative"] and "greater than zero" in reasons["BAD-zero"]
    assert "more digits" in reasons["BAD-huge"] and "id_conta_corrente" in reasons["BAD-fraction"]
    clients = dict(hostile.results("select key, reasons::varchar from row_results where status = 'rejected' "
                                   "and view = 'omie_clientes'"))
    assert "cnpj_cpf" in clients["BAD-cnpj"] and "cnpj_cpf" in clients["BAD-cpf"]
    assert "not valid JSON" in clients["BAD-json"] and "expected a JSON object" in clients["BAD-jsonlist"]
    assert "at most 60" in clients["BAD-long"] and "email" in clients["BAD-email"]
    held = hostile.results("select note from row_results where key = 'BAD-parent'")[0][0]
    assert "refused in this run" in held


def test_views_that_cannot_be_sent_stop_with_the_column_and_the_fix(pushed):
    views = pushed.out["endpoints"]
    for view, fragments in VIEW_CASES.items():
        error = views[view]["error"]
        assert "\n" not in error and all(f in error for f in fragments), error
        assert views[view]["sent"] == 0
    assert sum(views["omie_vendedores"].values()) == 0 and "error" not in views["omie_vendedores"]


def test_nothing_invalid_reached_the_sandbox(hostile, pushed):
    clients = {c["codigo_cliente_integracao"]: c for c in hostile.listing(
        "geral/clientes/", "ListarClientes", "clientes_cadastro") if c.get("codigo_cliente_integracao")}
    ours = {k: v for k, v in clients.items() if k.startswith(("GOOD", "BAD")) or k == ""}
    assert set(ours) == set(GOOD_CLIENTS)
    for code, name in GOOD_CLIENTS.items():
        assert ours[code]["razao_social"] == name          # accents and emoji intact
    assert ours["GOOD-1"]["nome_fantasia"] == "São João Ações 😀"
    receivables = {r["codigo_lancamento_integracao"]: r for r in hostile.listing(
        "financas/contareceber/", "ListarContasReceber", "conta_receber_cadastro")}
    assert {k: r["valor_documento"] for k, r in receivables.items()} == GOOD_RECEIVABLES
    assert receivables["GOOD-R1"]["data_vencimento"] == "31/01/2030"
    one = hostile.omie("financas/contareceber/", "ConsultarContaReceber",
                       {"codigo_lancamento_integracao": "GOOD-R1"})
    assert one.get("observacao") == "Pagamento à vista ✅", one
    projects = {p["codInt"]: p for p in hostile.listing("geral/projetos/", "ListarProjetos", "cadastro")}
    assert set(projects) == {"PRJ-OK"} and projects["PRJ-OK"]["nome"] == "Projeto Ação 🌱"
    for call in ("ListarContasPagar", "ListarContratos"):
        path = "financas/contapagar/" if call == "ListarContasPagar" else "servicos/contrato/"
        array = "conta_pagar_cadastro" if call == "ListarContasPagar" else "contratoCadastro"
        assert hostile.listing(path, call, array) == []


def test_the_second_run_sends_nothing(hostile, pushed):
    again = hostile.push()
    views = again.out["endpoints"]
    assert all(v.get("sent", 0) == 0 and v.get("failed", 0) == 0 for v in views.values()), views
    assert views["omie_clientes"]["unchanged"] == len(GOOD_CLIENTS)
