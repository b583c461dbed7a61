"""The normaliser and comparer of the drift check and the live dry run: what omie-push sent
against what Omie answers, after Omie's own formatting (omie-api.md §9)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from omie_push.catalog import get
from omie_push.push.drift_compare import differences, flatten, normalise, same

CLIENTES = get("clientes")
RECEBER = get("contas_receber")
CONTRATOS = get("contratos")


def test_cnpj_cpf_and_cep_punctuation_do_not_count():
    assert same("11444777000161", "11.444.777/0001-61", name="cnpj_cpf")
    assert same("01310-100", "01310100", name="cep")
    assert not same("11444777000161", "11.222.333/0001-81", name="cnpj_cpf")


def test_dates_in_any_of_the_shapes_we_meet():
    assert normalise(date(2030, 1, 10)) == "10/01/2030"
    assert same("2030-01-10", "10/01/2030", is_date=True)
    assert same(date(2030, 1, 10), "10/1/2030")
    assert not same("2030-01-10", "11/01/2030", is_date=True)


def test_decimals_without_trailing_zeros_and_numbers_as_text():
    assert same(Decimal("150.00"), 150, "Decimal")
    assert same(100.5, "100.50", "Decimal")
    assert same("7,7", 7.7, "Decimal")
    assert not same(100.5, 100.51, "Decimal")


def test_blank_missing_empty_and_consultars_zero():
    for blank in (None, "", "  ", {}, []):
        assert normalise(blank) is None
    assert same(None, 0, "Decimal")          # Consultar answers an empty number as 0
    assert not same(None, 0, "String")       # but a text "0" is a value
    assert not same("", "Rua A", "String")


def test_differences_only_for_the_fields_we_send():
    sent = {"codigo_cliente_integracao": "C-1", "razao_social": "Alfa Ltda",
            "cnpj_cpf": "11444777000161", "endereco": "Rua A, 1", "cep": "01310100"}
    omie = {"codigo_cliente_integracao": "C-1", "razao_social": "Alfa Ltda",
            "cnpj_cpf": "11.444.777/0001-61", "endereco": "Rua B, 2", "cep": "01310-100",
            "telefone1_numero": "5555", "info": {"uAlt": "P000100001"}}
    found = differences(CLIENTES, sent, omie)
    assert [(d.field, d.ours, d.omie) for d in found] == [("endereco", "Rua A, 1", "Rua B, 2")]


def test_a_field_omie_no_longer_holds_is_a_difference():
    found = differences(CLIENTES, {"razao_social": "Alfa", "contato": "Ana"}, {"razao_social": "Alfa"})
    assert [(d.field, d.ours, d.omie) for d in found] == [("contato", "Ana", None)]


def test_nested_contracts_under_contrato_cadastro():
    sent = {"cabecalho": {"cCodIntCtr": "CT-1", "dVigInicial": "2030-01-01", "nValTotMes": 100},
            "itensContrato": [{"itemCabecalho": {"quant": 2, "valorUnit": 50}}]}
    omie = {"contratoCadastro": {"cabecalho": {"cCodIntCtr": "CT-1", "dVigInicial": "01/01/2030",
                                               "nValTotMes": 120},
                                 "itensContrato": [{"itemCabecalho": {"quant": 2, "valorUnit": 60,
                                                                      "codItem": 1}}]}}
    found = {d.field: (d.ours, d.omie) for d in differences(CONTRATOS, sent, omie)}
    assert found == {"cabecalho.nValTotMes": (100, 120),
                     "itensContrato[0].itemCabecalho.valorUnit": (50, 60)}


def test_money_and_dates_of_a_titulo():
    sent = {"codigo_lancamento_integracao": "R-1", "data_vencimento": "10/01/2030",
            "valor_documento": 100.5}
    same_record = {"codigo_lancamento_integracao": "R-1", "data_vencimento": "10/01/2030",
                   "valor_documento": 100.50}
    assert differences(RECEBER, sent, same_record) == []
    moved = differences(RECEBER, sent, {"data_vencimento": "15/01/2030", "valor_documento": 100.5,
                                        "codigo_lancamento_integracao": "R-1"})
    assert [d.field for d in moved] == ["data_vencimento"]


def test_flatten_paths():
    assert flatten({"a": {"b": 1}, "c": [{"d": 2}], "e": {}}) == {"a.b": 1, "c[0].d": 2, "e": {}}
