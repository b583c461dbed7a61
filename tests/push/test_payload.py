"""Rows -> Omie param objects: names, nesting, dates, numbers, nulls left out."""
import json
from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from omie_push import catalog
from omie_push.push import payload
from omie_push.push.payload import PayloadError

CLIENTES = catalog.get("clientes")
RECEBER = catalog.get("contas_receber")
CONTRATOS = catalog.get("contratos")


def test_nulls_left_out_never_empty_strings():
    param = payload.build(CLIENTES, {"codigo_cliente_integracao": "C-1", "razao_social": "Acme",
                                     "email": None, "tags": None, "cnpj_cpf": None})
    assert param == {"codigo_cliente_integracao": "C-1", "razao_social": "Acme"}


def test_dates_become_dd_mm_aaaa_and_decimals_json_numbers():
    row = {"codigo_lancamento_integracao": "R-1", "data_vencimento": date(2026, 3, 5),
           "data_previsao": "2026-03-10", "data_emissao": "01/02/2026",
           "valor_documento": Decimal("1612.05"), "id_conta_corrente": Decimal("4850011001")}
    param = payload.build(RECEBER, row)
    assert param["data_vencimento"] == "05/03/2026"
    assert param["data_previsao"] == "10/03/2026"
    assert param["data_emissao"] == "01/02/2026"
    assert json.dumps(param["valor_documento"]) == "1612.05"
    assert param["id_conta_corrente"] == 4850011001 and isinstance(param["id_conta_corrente"], int)


def test_bad_date_and_bad_number_are_row_errors_naming_the_field():
    with pytest.raises(PayloadError, match="data_vencimento"):
        payload.build(RECEBER, {"codigo_lancamento_integracao": "R", "data_vencimento": "5 de março"})
    with pytest.raises(PayloadError, match="id_conta_corrente"):
        payload.build(RECEBER, {"codigo_lancamento_integracao": "R", "id_conta_corrente": "12.5"})


def test_objects_and_arrays_from_struct_list_columns_and_json_text():
    frame = pl.DataFrame({
        "codigo_cliente_integracao": ["C-1", "C-2"],
        "tags": [[{"tag": "VIP"}, {"tag": "SP"}], None],
        "enderecoEntrega": [{"entEndereco": "Rua A", "entNumero": None}, None],
        "recomendacoes": [None, '{"numero_parcelas": "001", "codigo_vendedor": null}'],
    })
    first, second = [payload.build(CLIENTES, r) for r in frame.iter_rows(named=True)]
    assert first["tags"] == [{"tag": "VIP"}, {"tag": "SP"}]
    assert first["enderecoEntrega"] == {"entEndereco": "Rua A"}
    assert second["recomendacoes"] == {"numero_parcelas": "001"}
    assert "tags" not in second


def test_invalid_json_text_is_a_row_error():
    with pytest.raises(PayloadError, match="tags: not valid JSON"):
        payload.build(CLIENTES, {"codigo_cliente_integracao": "C", "tags": "[{tag: x"})


def test_boolean_flag_becomes_s_or_n_and_numbers_in_text_fields_stay_text():
    param = payload.build(CLIENTES, {"codigo_cliente_integracao": "C", "inativo": False,
                                     "codigo_pais": 1058, "info": {"dInc": "x"}})
    assert param["inativo"] == "N" and param["codigo_pais"] == "1058"
    assert "info" not in param          # read-only: Omie fills it


def test_excluir_sends_the_key_object_only():
    ep = catalog.get("contas_receber_excluir")
    assert payload.build(ep, {"codigo_lancamento_integracao": "R-9", "chave_lancamento": 77}) == \
        {"codigo_lancamento_integracao": "R-9"}
    assert payload.build(ep, {"codigo_lancamento_integracao": None, "chave_lancamento": 77}) == \
        {"chave_lancamento": 77}
    with pytest.raises(PayloadError):
        payload.build(ep, {"codigo_lancamento_integracao": None, "chave_lancamento": None})


def test_contrato_nested_from_header_items_and_departments():
    header = {"cCodIntCtr": "CT-1", "nCodCli": 5500000101, "cNumCtr": "001", "dVigInicial": date(2026, 1, 1),
              "cCodCateg": "1.01.02", "cTpVenc": "001", "nDias": 10, "cEnviarBoleto": "S",
              "cObsContrato": None, "nValTotMes": 99}
    items = [
        {"cCodIntCtr": "CT-1", "seq": 2, "codServMunic": "0107", "quant": Decimal("1"),
         "descrCompleta": "Suporte", "aliqISS": Decimal("2.5")},
        {"cCodIntCtr": "CT-1", "seq": 1, "codServMunic": "0105", "quant": Decimal("2"),
         "descrCompleta": "Hospedagem", "aliqISS": None},
    ]
    deps = [{"cCodIntCtr": "CT-1", "cCodDep": "D1", "nPerDep": Decimal("100")}]
    param = payload.build(CONTRATOS, header, {"omie_contratos_itens": items,
                                              "omie_contratos_departamentos": deps})
    assert param["cabecalho"] == {"cCodIntCtr": "CT-1", "nCodCli": 5500000101, "cNumCtr": "001",
                                  "dVigInicial": "01/01/2026"}
    assert param["infAdic"] == {"cCodCateg": "1.01.02"}
    assert param["vencTextos"] == {"cTpVenc": "001", "nDias": 10}
    assert param["emailCliente"] == {"cEnviarBoleto": "S"}
    assert "observacoes" not in param
    assert [i["itemCabecalho"]["seq"] for i in param["itensContrato"]] == [1, 2]
    assert param["itensContrato"][0] == {"itemCabecalho": {"seq": 1, "codServMunic": "0105", "quant": 2.0},
                                         "itemDescrServ": {"descrCompleta": "Hospedagem"}}
    assert param["itensContrato"][1]["itemImpostos"] == {"aliqISS": 2.5}
    assert param["departamentos"] == [{"cCodDep": "D1", "nPerDep": 100.0}]
