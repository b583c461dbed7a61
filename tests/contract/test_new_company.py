"""A new company starts as a new Omie app does (issue 17, item 1): Omie's default categories and
cash account, no clients. What the demo's company held before its integration is a fixture set."""
from __future__ import annotations

import pytest

CLIENTES, RECEBER = "geral/clientes/", "financas/contareceber/"
FRESH = {"app_key": "fresh-key", "app_secret": "fresh-secret"}

@pytest.fixture
def fresh(omie):
    if omie.real:
        pytest.skip("needs a company no one has written to")
    return FRESH


def test_a_new_company_holds_no_clients(omie, fresh):
    body = omie.fault(CLIENTES, "ListarClientes", {"pagina": 1}, **fresh)
    assert body["faultcode"] == "SOAP-ENV:Client-5113"


def test_the_documents_every_developer_tests_with_are_free(omie, fresh, uid):
    """11.222.333/0001-81 and 529.982.247-25: accepted by a new company, as by a new Omie app."""
    for n, doc in enumerate(("11.222.333/0001-81", "52998224725")):
        answer = omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": f"{uid}-{n}",
                                                     "razao_social": "Primeiro", "cnpj_cpf": doc}, **fresh)
        assert answer["codigo_status"] == "0" and answer["descricao_status"] == "Cliente cadastrado com sucesso!"


def test_a_new_company_has_the_cash_account_and_not_the_demos_banks(omie, fresh, uid):
    client = omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": "c" + uid,
                                                 "razao_social": "Conta"}, **fresh)
    conta = {"codigo_lancamento_integracao": uid, "codigo_cliente_fornecedor": client["codigo_cliente_omie"],
             "data_vencimento": "10/12/2030", "valor_documento": 10, "codigo_categoria": "1.01.02"}
    body = omie.fault(RECEBER, "UpsertContaReceber", {**conta, "id_conta_corrente": 4850011002}, **fresh)
    assert body["faultstring"].startswith("ERROR: Código da conta corrente [4850011002]")
    omie.ok(RECEBER, "UpsertContaReceber", {**conta, "id_conta_corrente": 4850011001}, **fresh)


def test_the_demo_fixtures_are_clients_typed_in_omies_screens(omie):
    if omie.real:
        pytest.skip("the demo's fixtures are the sandbox's")
    padaria = omie.ok(CLIENTES, "ConsultarCliente", {"codigo_cliente_omie": 5500000101})
    assert padaria["cnpj_cpf"] == "11.222.333/0001-81" and padaria["codigo_cliente_integracao"] == ""
    assert padaria["info"]["uInc"] != "WEBSERVICE" and padaria["info"]["cImpAPI"] == "N"
    empresa = omie.ok("geral/empresas/", "ListarEmpresas", {"pagina": 1})["empresas_cadastro"][0]
    assert empresa["razao_social"] == "Vértice Tecnologia e Consultoria Ltda"
