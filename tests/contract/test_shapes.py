"""Answers shaped as Omie's recorded ones (omie-api.md §9; issue 17, item 7)."""
from __future__ import annotations

import pytest

CLIENTES, RECEBER, PAGAR = "geral/clientes/", "financas/contareceber/", "financas/contapagar/"
PROJETOS, CONTRATO, CATEGORIAS = "geral/projetos/", "servicos/contrato/", "geral/categorias/"


@pytest.fixture
def titulo(omie, uid):
    client = omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": "s-" + uid,
                                                 "razao_social": "Forma"})
    param = {"codigo_lancamento_integracao": uid, "codigo_cliente_fornecedor": client["codigo_cliente_omie"],
             "data_vencimento": "10/12/2030", "valor_documento": 150.0, "codigo_categoria": "1.01.02",
             "id_conta_corrente": 4850011001}
    written = omie.call(RECEBER, "UpsertContaReceber", param)
    assert written.status_code == 200, written.text
    return client, written


def test_a_listed_record_leaves_out_the_fields_never_set(omie, uid, titulo):
    page = omie.ok(RECEBER, "ListarContasReceber", {"filtrar_cliente": titulo[0]["codigo_cliente_omie"]})
    [record] = page["conta_receber_cadastro"]
    for never_set in ("codigo_vendedor", "valor_pis", "numero_documento", "codigo_projeto"):
        assert never_set not in record
    assert list(record) == sorted(record)                 # keys in ASCII order
    got = omie.ok(RECEBER, "ConsultarContaReceber", {"codigo_lancamento_integracao": uid})
    assert got["numero_documento"] == "" and got["codigo_vendedor"] == 0 and got["valor_pis"] == 0


def test_ids_are_numbers_codes_are_strings(omie, uid, titulo):
    client, written = titulo
    got = omie.ok(RECEBER, "ConsultarContaReceber", {"codigo_lancamento_integracao": uid})
    for tag in ("codigo_lancamento_omie", "codigo_cliente_fornecedor", "id_conta_corrente"):
        assert isinstance(got[tag], int) and not isinstance(got[tag], bool), tag
    assert isinstance(got["codigo_categoria"], str) and isinstance(got["codigo_lancamento_integracao"], str)
    assert written.json()["codigo_status"] == "0"
    numeric = omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": "7" + uid[:8].translate(
        str.maketrans("abcdef", "123456")), "razao_social": "Código só de dígitos"})
    assert isinstance(numeric["codigo_cliente_integracao"], str)


def test_money_has_no_trailing_zeros_and_slashes_are_escaped(omie, uid, titulo):
    r = omie.call(RECEBER, "ConsultarContaReceber", {"codigo_lancamento_integracao": uid})
    assert b'"valor_documento":150,' in r.content and b'"valor_documento":150.0' not in r.content
    assert b'"data_vencimento":"10\\/12\\/2030"' in r.content     # PHP json_encode writes \/
    assert r.json()["data_vencimento"] == "10/12/2030"
    assert r.headers["content-type"].startswith("application/json")


def test_a_field_stored_empty_is_listed_as_empty_text_and_unset_objects_as_empty(omie, uid):
    typed = omie.admin("create", endpoint="clientes", fields={"razao_social": "Digitado " + uid})["record"]
    page = omie.ok(CLIENTES, "ListarClientes", {"clientesPorCodigo": [
        {"codigo_cliente_omie": typed["codigo_cliente_omie"]}]})
    [record] = page["clientes_cadastro"]
    assert record["codigo_cliente_integracao"] == ""          # typed in the UI: stored empty
    assert record["enderecoEntrega"] == {} and record["recomendacoes"] == {}
    assert "telefone1_numero" not in record                    # never set: left out


def test_each_module_has_its_own_status_keys_and_the_warning_header(omie, uid):
    cliente = omie.call(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Aviso"})
    body = cliente.json()
    assert set(body) == {"codigo_cliente_omie", "codigo_cliente_integracao", "codigo_status", "descricao_status"}
    assert cliente.headers["omieapi-warning"] == f"{body['codigo_cliente_omie']} - {body['descricao_status']}"
    projeto = omie.call(PROJETOS, "UpsertProjeto", {"codInt": uid[:20], "nome": "Aviso"})
    assert set(projeto.json()) == {"codigo", "codInt", "status", "descricao"}
    assert projeto.headers["omieapi-warning"] == f"{projeto.json()['codigo']} - Projeto cadastrado com sucesso!"
    categoria = omie.ok(CATEGORIAS, "IncluirCategoria", {"categoria_superior": "2.02", "descricao": uid})
    assert set(categoria) == {"codigo_status", "descricao_status", "codigo"}
    listing = omie.call(CATEGORIAS, "ListarCategorias", {"pagina": 1, "registros_por_pagina": 3})
    assert "omieapi-warning" not in listing.headers             # reads carry no status


def test_contracts_carry_info_cadastro(omie, uid):
    from .test_contratos import contrato

    written = omie.ok(CONTRATO, "UpsertContrato", contrato(uid))
    assert set(written) == {"cCodIntCtr", "nCodCtr", "cCodStatus", "cDescStatus"}
    got = omie.ok(CONTRATO, "ConsultarContrato", {"contratoChave": {"nCodCtr": written["nCodCtr"]}})
    info = got["contratoCadastro"]["infoCadastro"]
    assert set(info) == {"dInc", "hInc", "uInc", "dAlt", "hAlt", "uAlt", "cImpAPI"}
    assert info["uInc"] == "WEBSERVICE" and info["cImpAPI"] == "S"
    listed = omie.ok(CONTRATO, "ListarContratos", {"filtrar_cliente": 5500000101, "cExibirInfoCadastro": "S",
                                                   "registros_por_pagina": 500})
    mine = [c for c in listed["contratoCadastro"] if c["cabecalho"]["cCodIntCtr"] == uid[:20]]
    assert mine and mine[0]["infoCadastro"]["uInc"] == "WEBSERVICE"


def test_contas_a_pagar_listed_sparse_too(omie, uid, titulo):
    client = titulo[0]
    omie.ok(PAGAR, "UpsertContaPagar", {"codigo_lancamento_integracao": uid, "valor_documento": 7.70,
                                        "codigo_cliente_fornecedor": client["codigo_cliente_omie"],
                                        "data_vencimento": "15/12/2030", "codigo_categoria": "2.02.01"})
    r = omie.call(PAGAR, "ListarContasPagar", {"filtrar_cliente": client["codigo_cliente_omie"]})
    [record] = r.json()["conta_pagar_cadastro"]
    assert record["valor_documento"] == 7.7 and b'"valor_documento":7.7' in r.content
    assert "numero_documento" not in record and record["info"]["uInc"] == "WEBSERVICE"
