"""Contas a receber and a pagar (omie-api.md §3.2-3.3): references, dates, lots, Excluir."""
from __future__ import annotations

import pytest

RECEBER, PAGAR, CLIENTES = "financas/contareceber/", "financas/contapagar/", "geral/clientes/"


@pytest.fixture
def client(omie, uid):
    answer = omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": "cli-" + uid,
                                                 "razao_social": "Cliente das contas"})
    return answer


def conta(uid: str, client: dict, **more) -> dict:
    return {"codigo_lancamento_integracao": uid, "codigo_cliente_fornecedor": client["codigo_cliente_omie"],
            "data_vencimento": "10/12/2030", "valor_documento": 150.25, "codigo_categoria": "1.01.02",
            "id_conta_corrente": 4850011002, **more}


def test_upsert_conta_receber_answers_its_ids(omie, uid, client):
    answer = omie.ok(RECEBER, "UpsertContaReceber", conta(uid, client))
    assert answer["codigo_status"] == "0" and answer["codigo_lancamento_integracao"] == uid
    got = omie.ok(RECEBER, "ConsultarContaReceber", {"codigo_lancamento_omie": answer["codigo_lancamento_omie"]})
    assert got["valor_documento"] == 150.25 and got["data_vencimento"] == "10/12/2030"
    assert got["data_previsao"] == "10/12/2030" and got["numero_parcela"] == "001/001"


def test_client_by_integration_code(omie, uid, client):
    param = conta(uid, client)
    del param["codigo_cliente_fornecedor"]
    param["codigo_cliente_fornecedor_integracao"] = "cli-" + uid
    omie.ok(PAGAR, "UpsertContaPagar", param)
    got = omie.ok(PAGAR, "ConsultarContaPagar", {"codigo_lancamento_integracao": uid})
    assert got["codigo_cliente_fornecedor"] == client["codigo_cliente_omie"]


def test_iso_date_is_refused(omie, uid, client):
    body = omie.fault(RECEBER, "UpsertContaReceber", conta(uid, client, data_vencimento="2030-12-10"))
    assert "[data_vencimento]" in body["faultstring"] and "dd/mm/aaaa" in body["faultstring"]


def test_impossible_date_is_refused(omie, uid, client):
    omie.fault(RECEBER, "UpsertContaReceber", conta(uid, client, data_vencimento="31/02/2030"))


@pytest.mark.parametrize("tag,value,what", [
    ("codigo_categoria", "1.01.77", "Código da categoria"),
    ("codigo_categoria", "1.01", "Código da categoria"),    # a group (totalizadora) cannot take entries
    ("id_conta_corrente", 123, "Código da conta corrente"),
    ("codigo_projeto", 456, "Código do projeto"),
    ("codigo_vendedor", 789, "Código do vendedor"),
])
def test_references_must_exist(omie, uid, client, tag, value, what):
    body = omie.fault(RECEBER, "UpsertContaReceber", conta(uid, client, **{tag: value}))
    assert body["faultstring"].startswith(f"ERROR: {what} [{value}]")
    omie.fault(RECEBER, "ConsultarContaReceber", {"codigo_lancamento_integracao": uid})


def test_client_must_exist(omie, uid, client):
    body = omie.fault(PAGAR, "UpsertContaPagar", conta(uid, client, codigo_cliente_fornecedor=999))
    assert body == {"faultstring": "ERROR: Cliente não cadastrado para o Código [999] !",
                    "faultcode": "SOAP-ENV:Client-105"}


def test_category_in_categorias_must_exist(omie, uid, client):
    param = conta(uid, client, categorias=[{"codigo_categoria": "9.99.99", "valor": 150.25}])
    omie.fault(RECEBER, "UpsertContaReceber", param)


def test_project_and_vendedor_named_by_their_ids(omie, uid, client):
    proj = omie.ok("geral/projetos/", "UpsertProjeto", {"codInt": uid[:20], "nome": "Projeto"})
    vend = omie.ok("geral/vendedores/", "UpsertVendedor", {"codInt": uid, "nome": "Vendedora"})
    omie.ok(RECEBER, "UpsertContaReceber", conta(uid, client, codigo_projeto=proj["codigo"],
                                                 codigo_vendedor=vend["codigo"]))
    listed = omie.ok(RECEBER, "ListarContasReceber", {"filtrar_por_projeto": proj["codigo"]})
    assert [r["codigo_lancamento_integracao"] for r in listed["conta_receber_cadastro"]] == [uid]


def test_required_fields_on_insert(omie, uid, client):
    param = conta(uid, client)
    del param["valor_documento"]
    body = omie.fault(PAGAR, "UpsertContaPagar", param)
    assert body["faultstring"] == "ERROR: O preenchimento da tag [valor_documento] é obrigatório!"


def test_alteration_keeps_absent_fields(omie, uid, client):
    omie.ok(RECEBER, "UpsertContaReceber", conta(uid, client, observacao="primeira"))
    omie.ok(RECEBER, "UpsertContaReceber", {"codigo_lancamento_integracao": uid, "valor_documento": 99})
    got = omie.ok(RECEBER, "ConsultarContaReceber", {"codigo_lancamento_integracao": uid})
    assert got["valor_documento"] == 99 and got["observacao"] == "primeira"


@pytest.mark.real_omie
def test_excluir_missing_by_id_is_client_105(omie):
    body = omie.fault(RECEBER, "ExcluirContaReceber", {"chave_lancamento": 123})
    assert body == {"faultstring": "ERROR: Lançamento não cadastrado para o Código [123] !",
                    "faultcode": "SOAP-ENV:Client-105"}


@pytest.mark.real_omie
def test_excluir_missing_by_code_is_client_103(omie, uid):
    body = omie.fault(PAGAR, "ExcluirContaPagar", {"codigo_lancamento_integracao": "nao-existe-" + uid})
    assert body == {"faultstring": f"ERROR: Lançamento não cadastrado para o Código de Integração "
                                   f"[nao-existe-{uid}]!", "faultcode": "SOAP-ENV:Client-103"}


@pytest.mark.real_omie
def test_excluir_conta_receber_keys_on_chave_lancamento(omie):
    body = omie.fault(RECEBER, "ExcluirContaReceber", {"codigo_lancamento_omie": 123})
    assert body["faultstring"] == ("ERROR: Tag [codigo_lancamento_omie] não faz parte da estrutura do "
                                   "tipo complexo [conta_receber_cadastro_chave]!")


def test_excluir_deletes(omie, uid, client):
    receber = omie.ok(RECEBER, "UpsertContaReceber", conta(uid, client))
    gone = omie.ok(RECEBER, "ExcluirContaReceber", {"chave_lancamento": receber["codigo_lancamento_omie"]})
    assert gone["codigo_status"] == "0" and gone["codigo_lancamento_integracao"] == uid
    omie.fault(RECEBER, "ConsultarContaReceber", {"codigo_lancamento_integracao": uid})
    pagar = omie.ok(PAGAR, "UpsertContaPagar", conta(uid, client))
    omie.ok(PAGAR, "ExcluirContaPagar", {"codigo_lancamento_omie": pagar["codigo_lancamento_omie"]})
    omie.fault(PAGAR, "ConsultarContaPagar", {"codigo_lancamento_integracao": uid})


def test_lote_receber_answers_each_record(omie, uid, client):
    records = [conta(f"{uid}-1", client), conta(f"{uid}-2", client, codigo_categoria="1.01.88"),
               conta(f"{uid}-3", client)]
    answer = omie.ok(RECEBER, "UpsertContaReceberPorLote", {"lote": 3, "conta_receber_cadastro": records})
    statuses = answer["status_lote"]
    assert [s["codigo_lancamento_integracao"] for s in statuses] == [f"{uid}-1", f"{uid}-2", f"{uid}-3"]
    assert [s["codigo_status"] == "0" for s in statuses] == [True, False, True]
    assert "1.01.88" in statuses[1]["descricao_status"]
    omie.ok(RECEBER, "ConsultarContaReceber", {"codigo_lancamento_integracao": f"{uid}-3"})
    omie.fault(RECEBER, "ConsultarContaReceber", {"codigo_lancamento_integracao": f"{uid}-2"})


def test_lote_pagar_has_no_per_record_status_and_is_refused_whole(omie, uid, client):
    good = omie.ok(PAGAR, "UpsertContaPagarPorLote", {"lote": 1, "conta_pagar_cadastro": [conta(f"{uid}-a", client)]})
    assert set(good) == {"lote", "codigo_status", "descricao_status"}
    omie.fault(PAGAR, "UpsertContaPagarPorLote", {"lote": 2, "conta_pagar_cadastro": [
        conta(f"{uid}-b", client), conta(f"{uid}-c", client, data_vencimento="2030-01-01")]})
    omie.fault(PAGAR, "ConsultarContaPagar", {"codigo_lancamento_integracao": f"{uid}-b"})


def test_listar_contas_pagar_filters_by_client_and_cnpj(omie, uid):
    from validate_docbr import CNPJ

    digits = CNPJ().generate()
    client = omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": "f-" + uid,
                                                 "razao_social": "Fornecedor", "cnpj_cpf": digits})
    omie.ok(PAGAR, "UpsertContaPagar", conta(uid, client))
    by_client = omie.ok(PAGAR, "ListarContasPagar", {"filtrar_cliente": client["codigo_cliente_omie"]})
    by_cnpj = omie.ok(PAGAR, "ListarContasPagar", {"filtrar_por_cpf_cnpj": digits})
    assert by_client["conta_pagar_cadastro"] == by_cnpj["conta_pagar_cadastro"]
    assert [r["codigo_lancamento_integracao"] for r in by_cnpj["conta_pagar_cadastro"]] == [uid]


def test_a_year_before_1901_is_client_104(omie, uid, client):
    body = omie.fault(RECEBER, "UpsertContaReceber", conta(uid, client, data_vencimento="10/12/1899"))
    assert body == {"faultstring": "ERROR: O ano informado na tag [data_vencimento] deve ser maior que 1900!",
                    "faultcode": "SOAP-ENV:Client-104"}


def test_lote_receber_holds_at_most_500(omie, uid, client):
    records = [conta(f"{uid}-{i}", client) for i in range(501)]
    body = omie.fault(RECEBER, "UpsertContaReceberPorLote", {"lote": 9, "conta_receber_cadastro": records})
    assert body["faultstring"] == "ERROR: O lote deve conter no máximo [500] registros!"
