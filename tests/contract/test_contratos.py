"""Contratos de serviço (omie-api.md §3.7): the nested record, its answer and its reads."""
from __future__ import annotations

CONTRATO = "servicos/contrato/"


def contrato(uid: str, **cabecalho) -> dict:
    return {
        "cabecalho": {"cCodIntCtr": uid[:20], "nCodCli": 5500000101, "cNumCtr": "CTR-" + uid[:6],
                      "cCodSit": "10", "dVigInicial": "01/01/2030", "dVigFinal": "31/12/2030",
                      "nDiaFat": 10, "cTipoFat": "01", **cabecalho},
        "infAdic": {"cCodCateg": "1.01.02", "nCodCC": 4850011002, "cCidPrestServ": "SAO PAULO (SP)",
                    "cNumEncap": "", "cUsoConsumo": "N"},
        "vencTextos": {"cTpVenc": "001", "nDias": 5, "cCodPerRef": "001", "cDiaIni": "01", "cDiaFim": "30"},
        "departamentos": [{"cCodDep": "ADM", "cDesDep": "Administração", "nPerDep": 100}],
        "itensContrato": [{"itemCabecalho": {"seq": 1, "natOperacao": "01", "codServMunic": "0107",
                                             "codLC116": "1.07", "quant": 2, "valorUnit": 500.0},
                           "itemDescrServ": {"descrCompleta": "Suporte mensal"},
                           "itemImpostos": {"aliqISS": 2.0, "retISS": "N"}}],
    }


def test_upsert_contrato_answers_cs_status(omie, uid):
    answer = omie.ok(CONTRATO, "UpsertContrato", contrato(uid))
    assert set(answer) == {"cCodIntCtr", "nCodCtr", "cCodStatus", "cDescStatus"}
    assert answer["cCodStatus"] == "0" and answer["cCodIntCtr"] == uid[:20]
    got = omie.ok(CONTRATO, "ConsultarContrato", {"contratoChave": {"nCodCtr": answer["nCodCtr"]}})
    cab = got["contratoCadastro"]["cabecalho"]
    assert cab["nValTotMes"] == 1000.0 and cab["nCodCli"] == 5500000101
    item = got["contratoCadastro"]["itensContrato"][0]["itemCabecalho"]
    assert item["valorTotal"] == 1000.0 and item["codItem"] > 0


def test_upsert_by_integration_code_alters(omie, uid):
    first = omie.ok(CONTRATO, "UpsertContrato", contrato(uid))
    again = omie.ok(CONTRATO, "UpsertContrato", {"cabecalho": {"cCodIntCtr": uid[:20], "nDiaFat": 20}})
    assert again["nCodCtr"] == first["nCodCtr"]
    got = omie.ok(CONTRATO, "ConsultarContrato", {"contratoChave": {"cCodIntCtr": uid[:20]}})
    assert got["contratoCadastro"]["cabecalho"]["nDiaFat"] == 20
    assert got["contratoCadastro"]["cabecalho"]["cNumCtr"] == "CTR-" + uid[:6]


def test_the_client_must_exist(omie, uid):
    body = omie.fault(CONTRATO, "UpsertContrato", contrato(uid, nCodCli=42))
    assert body["faultstring"] == "ERROR: Cliente não cadastrado para o Código [42] !"


def test_allowed_values_and_required_fields(omie, uid):
    assert "[cTipoFat]" in omie.fault(CONTRATO, "UpsertContrato", contrato(uid, cTipoFat="05"))["faultstring"]
    param = contrato(uid)
    del param["cabecalho"]["dVigFinal"]
    assert "[dVigFinal]" in omie.fault(CONTRATO, "UpsertContrato", param)["faultstring"]


def test_item_fields_come_from_the_service_when_codservico_is_given(omie, uid):
    param = contrato(uid)
    param["itensContrato"] = [{"itemCabecalho": {"seq": 1, "codServico": 77}, "itemDescrServ": {"descrCompleta": "x"}}]
    omie.ok(CONTRATO, "UpsertContrato", param)
    param["cabecalho"]["cCodIntCtr"] = (uid + "b")[:20]
    param["itensContrato"] = [{"itemCabecalho": {"seq": 1}, "itemDescrServ": {"descrCompleta": "x"}}]
    omie.fault(CONTRATO, "UpsertContrato", param)


def test_listar_contratos_filters_by_client(omie, uid):
    client = omie.ok("geral/clientes/", "UpsertCliente", {"codigo_cliente_integracao": "k-" + uid,
                                                          "razao_social": "Contratante"})
    omie.ok(CONTRATO, "UpsertContrato", contrato(uid, nCodCli=client["codigo_cliente_omie"]))
    listed = omie.ok(CONTRATO, "ListarContratos", {"filtrar_cliente": client["codigo_cliente_omie"]})
    assert [c["cabecalho"]["cCodIntCtr"] for c in listed["contratoCadastro"]] == [uid[:20]]


def test_erasing_a_required_field_is_refused(omie, uid):
    omie.ok(CONTRATO, "UpsertContrato", contrato(uid))
    body = omie.fault(CONTRATO, "UpsertContrato", {"cabecalho": {"cCodIntCtr": uid[:20], "dVigFinal": ""}})
    assert body["faultstring"] == "ERROR: O preenchimento da tag [dVigFinal] é obrigatório!"


def test_references_in_inf_adic_must_exist(omie, uid):
    param = contrato(uid)
    param["infAdic"]["nCodProj"] = 31337
    body = omie.fault(CONTRATO, "UpsertContrato", param)
    assert body["faultstring"] == ("ERROR: Código do projeto [31337] informado na tag [nCodProj] "
                                   "não está cadastrado!")
