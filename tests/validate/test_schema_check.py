"""The schema check: unknown, read-only, missing or wrong-kind columns stop the view with a
message naming the view, the column and the fix."""
from __future__ import annotations

import datetime

import polars as pl
import pytest

from omie_push.errors import ViewError
from omie_push.validate import check_schema

CLIENTE = {"codigo_cliente_integracao": ["C1"], "razao_social": ["Padaria"]}


def error_of(view: str, frame: pl.DataFrame) -> str:
    with pytest.raises(ViewError) as caught:
        check_schema(view, frame)
    return str(caught.value)


def test_a_good_frame_passes():
    check_schema("omie_clientes", pl.DataFrame({**CLIENTE, "tags": [[{"tag": "vip"}]],
                                                "enderecoEntrega": [{"entEndereco": "Rua A"}],
                                                "cep": [1001000], "complemento": [None]}))


def test_unknown_column_names_view_column_and_catalog():
    message = error_of("omie_clientes", pl.DataFrame({**CLIENTE, "razao_socail": ["x"]}))
    assert "omie_clientes: column razao_socail is not a field of Upsert Clientes" in message
    assert "did you mean razao_social?" in message
    assert "`omie-push catalog clientes`" in message


def test_read_only_column():
    message = error_of("omie_clientes", pl.DataFrame({**CLIENTE, "importado_api": ["S"]}))
    assert "omie_clientes: column importado_api is read-only in Omie" in message
    assert "drop it from the view" in message


def test_missing_required_column():
    message = error_of("omie_clientes", pl.DataFrame({"codigo_cliente_integracao": ["C1"]}))
    assert message == ("omie_clientes: column razao_social is missing; Omie requires it "
                       "(String(60)): add it to the view")


def test_missing_whole_group():
    frame = pl.DataFrame({"codigo_lancamento_integracao": ["R1"], "data_vencimento": ["2026-01-10"],
                          "valor_documento": [1.0]})
    message = error_of("omie_contas_receber", frame)
    assert "none of codigo_cliente_fornecedor, codigo_cliente_fornecedor_integracao is a column" in message


def test_text_where_a_number_belongs():
    frame = pl.DataFrame({**CLIENTE, "valor_limite_credito": ["1.000,00"]})
    message = error_of("omie_clientes", frame)
    assert ("omie_clientes: column valor_limite_credito is text where a number belongs (Decimal): "
            "cast it to DECIMAL in the view") == message


def test_list_where_an_object_belongs():
    frame = pl.DataFrame({**CLIENTE, "enderecoEntrega": [[{"entEndereco": "Rua A"}]]})
    message = error_of("omie_clientes", frame)
    assert "column enderecoEntrega is a LIST where Omie wants one object: build a STRUCT" in message


def test_struct_where_a_list_belongs():
    frame = pl.DataFrame({**CLIENTE, "tags": [{"tag": "vip"}]})
    assert "column tags is a STRUCT where Omie wants a list" in error_of("omie_clientes", frame)


def test_timestamp_where_a_date_belongs():
    frame = pl.DataFrame({"codigo_lancamento_integracao": ["R1"], "codigo_cliente_fornecedor": [1],
                          "data_vencimento": [datetime.datetime(2026, 1, 10)],
                          "valor_documento": [1.0]})
    assert "column data_vencimento is a timestamp where Omie wants a date: cast it to DATE" \
        in error_of("omie_contas_receber", frame)


def test_boolean_flag_and_float_text():
    frame = pl.DataFrame({**CLIENTE, "inativo": [True], "cep": [1001.5]})
    message = error_of("omie_clientes", frame)
    assert "column inativo is a BOOLEAN where Omie wants S/N" in message
    assert "column cep is Float64 where text belongs: cast it to VARCHAR" in message


def test_every_problem_is_listed_and_validate_view_stops(validate):
    frame = pl.DataFrame({"codigo_cliente_integracao": ["C1"], "bogus": [1], "info": [{"a": 1}]})
    with pytest.raises(ViewError) as caught:
        validate("omie_clientes", frame)
    lines = str(caught.value).splitlines()
    assert len(lines) == 3 and all(line.startswith("omie_clientes: column ") for line in lines)


def test_child_views_are_checked_against_their_own_fields(validate):
    itens = pl.DataFrame({"cCodIntCtr": ["K1"], "seq": [1], "natOperacao": ["01"],
                          "codServMunic": ["1234"], "codLC116": ["7.02"], "quant": [1.0],
                          "valorUnit": [10.0], "descrCompleta": ["Servico"]})
    assert validate("omie_contratos_itens", itens).rejected == []
    with pytest.raises(ViewError, match="omie_contratos: column seq is not a field"):
        check_schema("omie_contratos", pl.DataFrame({"cCodIntCtr": ["K1"], "seq": [1]}))


def test_unknown_view():
    with pytest.raises(ViewError, match="'omie_nada' is not an omie view"):
        check_schema("omie_nada", pl.DataFrame({"a": [1]}))
