"""A third-party Omie client from PyPI, api-omie, talks to the sandbox over real HTTP.

api-omie has no documented base-URL setting: its API root is the instance attribute
`_endpoint` ("https://app.omie.com.br/api/v1/"), set in its constructor. The test sets that one
attribute on the instance and changes nothing else of the library (docs/sandbox.md explains
why this library and not omie-python, whose documented `prefix` setting would fit better but
whose exact dependency pins would downgrade pandas and pydantic in this environment).
"""
from __future__ import annotations

import pytest
from validate_docbr import CNPJ

omieapi = pytest.importorskip("omieapi", reason="api-omie is in the dev extra")

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def base_url():
    from omie_push.sandbox.testing import serve

    with serve({"lib-key": "lib-secret"}) as url:
        yield url


def client(base_url: str, secret: str = "lib-secret"):
    omie = omieapi.Omie("lib-key", secret)
    omie._endpoint = base_url + "/"      # the only change: where the library sends its calls
    return omie


def test_the_library_writes_and_reads_unchanged(base_url):
    omie = client(base_url)
    digits = CNPJ().generate()
    answer = omie.upsert_cliente(codigo_cliente_integracao="LIB-1", razao_social="Cliente da biblioteca",
                                 cnpj_cpf=digits)
    assert answer["codigo_status"] == "0" and answer["codigo_cliente_integracao"] == "LIB-1"
    page = omie.listar_clientes(pagina=1, registros_por_pagina=10, clientesFiltro={"cnpj_cpf": digits})
    assert page["clientes_cadastro"][0]["cnpj_cpf"] == CNPJ().mask(digits)
    projeto = omie.upsert_projeto(codInt="LIB-P", nome="Projeto da biblioteca")
    assert projeto["status"] == "0"


def test_the_library_sees_omies_faults_as_from_omie(base_url):
    omie = client(base_url)
    missing = omie.consultar_cliente(codigo_cliente_omie=999999999)
    assert missing["Error"] == 500
    assert missing["Mensagem"] == {"faultstring": "ERROR: Cliente não cadastrado para o Código [999999999] !",
                                   "faultcode": "SOAP-ENV:Client-105"}
    unknown_tag = omie.listar_clientes(pagina=1, nao_existe="x")
    assert unknown_tag["Mensagem"]["faultcode"] == "SOAP-ENV:Client-5001"


def test_the_library_sees_the_credentials_fault(base_url):
    refused = client(base_url, secret="wrong").listar_clientes(pagina=1)
    assert refused["Error"] == 403
    assert refused["Mensagem"]["faultstring"] == "A chave de acesso está inválida ou o aplicativo está suspenso."


def test_against_a_fresh_sandbox_with_limits_the_library_sees_omies_answers_and_faults():
    """Issue 17, Done when: a new company takes the CNPJ every developer tests with; the
    library sees REDUNDANT, and 403 for a suspended app, as it would from Omie."""
    from omie_push.sandbox.testing import admin, serve

    with serve({"lib-key": "lib-secret"}, traffic={"limits": "real"}) as url:
        omie = client(url)
        first = omie.upsert_cliente(codigo_cliente_integracao="LIB-CNPJ", razao_social="Padaria de teste",
                                    cnpj_cpf="11.222.333/0001-81")
        assert first["codigo_status"] == "0"
        again = omie.upsert_cliente(codigo_cliente_integracao="LIB-CNPJ", razao_social="Padaria de teste",
                                    cnpj_cpf="11.222.333/0001-81")
        assert again["Error"] == 500 and again["Mensagem"]["faultcode"] == "SOAP-ENV:Client-6"
        assert again["Mensagem"]["faultstring"].startswith("ERROR: Consumo redundante detectado.")
        assert again["headers"].get("omieapi-warning") is None      # a fault carries no status
        listed = omie.listar_clientes(pagina=1, registros_por_pagina=10)
        assert [c["cnpj_cpf"] for c in listed["clientes_cadastro"]] == ["11.222.333/0001-81"]
        admin(url, "suspend", "lib-key", "lib-secret")
        suspended = omie.listar_clientes(pagina=2, registros_por_pagina=10)
        assert suspended["Error"] == 403
        assert suspended["Mensagem"]["faultstring"] == "A chave de acesso está inválida ou o aplicativo está suspenso."
