"""The wire protocol (omie-api.md §1): URLs, envelope, credentials, unknown tags, escaping."""
from __future__ import annotations

import pytest

CLIENTES = "geral/clientes/"
ALL_PATHS = ["geral/clientes/", "financas/contareceber/", "financas/contapagar/", "geral/projetos/",
             "geral/vendedores/", "geral/categorias/", "servicos/contrato/"]


@pytest.mark.real_omie
def test_without_trailing_slash_the_server_redirects(omie):
    r = omie.post("geral/clientes", {"call": "ListarClientes", "app_key": omie.app_key,
                                     "app_secret": omie.app_secret, "param": [{}]},
                  follow_redirects=False)
    assert r.status_code == 301
    assert r.headers["location"].endswith("/api/v1/geral/clientes/")


@pytest.mark.real_omie
def test_unknown_service_path_is_404(omie):
    r = omie.post("geral/naoexiste/", {"call": "ListarNada", "app_key": omie.app_key,
                                       "app_secret": omie.app_secret, "param": [{}]})
    assert r.status_code == 404


@pytest.mark.real_omie
@pytest.mark.parametrize("path", ALL_PATHS)
def test_the_seven_services_answer(omie, path):
    """Every service exists (a listing call answers 200 or the empty-page fault, never 404)."""
    listing = {"geral/clientes/": "ListarClientes", "financas/contareceber/": "ListarContasReceber",
               "financas/contapagar/": "ListarContasPagar", "geral/projetos/": "ListarProjetos",
               "geral/vendedores/": "ListarVendedores", "geral/categorias/": "ListarCategorias",
               "servicos/contrato/": "ListarContratos"}[path]
    r = omie.call(path, listing, {"pagina": 1, "registros_por_pagina": 5})
    assert r.status_code in (200, 500), r.text
    if r.status_code == 500:
        assert r.json()["faultcode"] == "SOAP-ENV:Client-5113"


@pytest.mark.real_omie
def test_wrong_credentials_are_403_with_omies_text(omie):
    r = omie.call(CLIENTES, "ListarClientes", {"pagina": 1}, app_key=omie.app_key,
                  app_secret="not-the-secret")
    assert r.status_code == 403
    assert r.json() == {"faultstring": "A chave de acesso está inválida ou o aplicativo está suspenso.",
                        "faultcode": "SOAP-ENV:Server"}


@pytest.mark.real_omie
def test_non_ascii_is_escaped_in_answers(omie):
    r = omie.call(CLIENTES, "ListarClientes", {"pagina": 1}, app_key="no-such-key", app_secret="x")
    assert b"est\\u00e1" in r.content
    assert "á".encode() not in r.content


def test_bad_json_is_a_fault(omie):
    r = omie.post(CLIENTES, b'{"call": "ListarClientes", "param": [')
    assert r.status_code == 500
    assert r.json() == {"faultstring": "JSON request with SyntaxError", "faultcode": "SOAP-ENV:Client"}


def test_json_that_is_not_an_object_is_a_fault(omie):
    r = omie.post(CLIENTES, b'[1, 2]')
    assert r.status_code == 500
    assert r.json()["faultstring"] == "Invalid JSON Object"


def test_unknown_call_is_a_fault(omie):
    body = omie.fault(CLIENTES, "ListarFoguetes", {})
    assert "ListarFoguetes" in body["faultstring"]


@pytest.mark.parametrize("param", [{}, [], [{}, {}], ["x"]], ids=["object", "empty", "two", "string"])
def test_param_must_be_an_array_of_one_object(omie, param):
    r = omie.post(CLIENTES, {"call": "ListarClientes", "app_key": omie.app_key,
                             "app_secret": omie.app_secret, "param": param})
    assert r.status_code == 500
    assert r.json()["faultcode"] == "SOAP-ENV:Client-5001"


def test_a_call_of_another_service_is_unknown_here(omie):
    body = omie.fault("geral/projetos/", "ListarClientes", {})
    assert "ListarClientes" in body["faultstring"]


@pytest.mark.real_omie
def test_unknown_tag_is_refused_naming_tag_and_type(omie):
    body = omie.fault(CLIENTES, "ListarClientes", {"pagina": 1, "pagina_extra": 2})
    assert body == {"faultstring": "ERROR: Tag [pagina_extra] não faz parte da estrutura do tipo "
                                   "complexo [clientes_list_request]!",
                    "faultcode": "SOAP-ENV:Client-5001"}


def test_unknown_tag_in_a_record(omie, uid):
    body = omie.fault(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid,
                                                  "razao_social": "X", "apelido": "Y"})
    assert body["faultstring"] == ("ERROR: Tag [apelido] não faz parte da estrutura do tipo "
                                   "complexo [clientes_cadastro]!")


def test_unknown_tag_in_a_nested_object(omie, uid):
    body = omie.fault(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "X",
                                                  "tags": [{"tag": "ok"}, {"nome": "bad"}]})
    assert body["faultstring"] == "ERROR: Tag [nome] não faz parte da estrutura do tipo complexo [tags]!"


def test_unknown_tag_deep_in_a_contract(omie, uid):
    body = omie.fault("servicos/contrato/", "UpsertContrato", {
        "cabecalho": {"cCodIntCtr": uid}, "itensContrato": [{"itemCabecalho": {"seq": 1, "cor": "azul"}}]})
    assert "[cor]" in body["faultstring"] and "[itemCabecalho]" in body["faultstring"]


def test_one_unknown_tag_per_answer(omie, uid):
    body = omie.fault(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "X",
                                                  "primeira": 1, "segunda": 2})
    assert body["faultstring"].count("Tag [") == 1


def test_app_key_may_be_a_number(omie):
    if omie.real:
        pytest.skip("needs the sandbox's numeric test key")
    r = omie.post("geral/categorias/", {"call": "ListarCategorias", "app_key": 1234567890,
                                        "app_secret": "numeric-secret", "param": [{"pagina": 1}]})
    assert r.status_code == 200, r.text


def test_legacy_get_with_json_query(omie):
    import json

    body = {"call": "ListarCategorias", "app_key": omie.app_key, "app_secret": omie.app_secret,
            "param": [{"pagina": 1, "registros_por_pagina": 3}]}
    import httpx

    r = httpx.get(f"{omie.base_url}/geral/categorias/", params={"JSON": json.dumps(body)})
    assert r.status_code == 200 and r.json()["registros"] == 3
